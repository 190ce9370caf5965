import Foundation
import PAMCore
import PAMTestSupport

/// AWS's SigV4 test suite (`Fixtures/aws-sigv4-test-suite`): its cases and their files.
enum SigV4Fixtures {
    /// The folder of each case, sorted by name.
    static var cases: [String] {
        guard let folder = FixtureFiles.root?.appendingPathComponent("aws-sigv4-test-suite"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [] }
        return names.filter { !$0.contains(".") && $0 != "NOTICE" }.sorted()
    }

    static func file(_ relative: String) throws -> String {
        guard let root = FixtureFiles.root else { throw PAMError(.notFound, "Fixtures directory not found above \(#filePath)") }
        return try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }
}
