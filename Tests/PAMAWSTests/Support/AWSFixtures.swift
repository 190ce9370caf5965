import Foundation
import PAMCore
import PAMTestSupport

/// The AWS tests' fixtures: the SigV4 suite's cases and files (the folder: `FixtureFiles`).
enum AWSFixtures {
    static var root: URL? { FixtureFiles.root }

    /// The folder of each SigV4 suite case, sorted by name.
    static var sigV4Cases: [String] {
        guard let folder = root?.appendingPathComponent("aws-sigv4-test-suite"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [] }
        return names.filter { !$0.contains(".") && $0 != "NOTICE" }.sorted()
    }

    static func file(_ relative: String) throws -> String {
        guard let root else { throw PAMError(.notFound, "Fixtures directory not found above \(#filePath)") }
        return try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }
}
