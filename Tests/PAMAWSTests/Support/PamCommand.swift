import Foundation
import PAMCore
import PAMTestSupport

/// The built `pam` executable, run with extra environment variables from the package root.
enum PamCommand {
    static var packageRoot: URL? { AWSFixtures.root?.deletingLastPathComponent() }

    /// `pam` beside the test bundle (SwiftPM builds it with the tests).
    static func executable() throws -> URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("pam").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        let executable = folder.appendingPathComponent("pam")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw PAMError(.notFound, "pam is not built beside \(CommandLine.arguments[0])")
        }
        return executable
    }

    /// Runs `pam arguments…` with `environment` added to this process's (through `/usr/bin/env`).
    static func run(_ arguments: [String], environment: [String: String]) async throws -> ExternalProcess.Result {
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return try await ExternalProcess.run(assignments + [try executable().path] + arguments, in: packageRoot)
    }

    /// The variables that point every AWS port of `pam` at `endpoint` (moto) with test credentials.
    static func awsEnvironment(_ endpoint: URL) -> [String: String] {
        [
            "AWS_ENDPOINT_URL": endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": Moto.region, "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "",
        ]
    }
}
