import Foundation
import PAMCore

/// Locates `Fixtures/` by walking up from this source file.
enum AWSFixtures {
    static let root: URL? = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("Fixtures")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    /// The folder of each SigV4 suite case, sorted by name.
    static var sigV4Cases: [String] {
        guard let folder = root?.appendingPathComponent("aws-sigv4-test-suite"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { !$0.contains(".") && $0 != "NOTICE" }.sorted()
    }

    static func file(_ relative: String) throws -> String {
        guard let root else { throw PAMError(.notFound, "Fixtures directory not found above \(#filePath)") }
        return try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }
}
