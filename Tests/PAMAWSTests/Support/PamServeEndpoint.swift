import AsyncHTTPClient
import Foundation
import PAMAWS
import PAMCore
import PAMSigV4
import PAMTestSupport

/// A `pam serve` in a fresh state folder, for PAM's own AWS adapters to use as their S3 endpoint
/// (`--aws-port 0`; both ports read from the `serve.json` it writes once bound). Its buckets are
/// `pam-storage` and `pam-working`, empty at start; the default key pair signs.
final class PamServeEndpoint: @unchecked Sendable {
    static let credentials = AWSCredentials(accessKeyID: "pam", secretAccessKey: "pam-local-secret")
    let folder: URL
    private let process: Process
    private(set) var port = 0
    private(set) var awsPort = 0

    var state: URL { folder.appendingPathComponent("state") }
    var log: String { (try? String(contentsOf: folder.appendingPathComponent("serve.log"), encoding: .utf8)) ?? "" }
    var endpoint: URL { URL(string: "http://127.0.0.1:\(awsPort)")! }

    /// Starts the server and waits until its app port answers.
    static func start() async throws -> PamServeEndpoint {
        signal(SIGPIPE, SIG_IGN)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pam-serve-s3-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let server = try PamServeEndpoint(folder: folder)
        do {
            try await server.waitUntilReady()
        } catch {
            await server.stop()
            throw error
        }
        return server
    }

    private init(folder: URL) throws {
        self.folder = folder
        let logFile = folder.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process = Process()
        process.executableURL = try PamCommand.executable()
        process.arguments = ["serve", "--state", folder.appendingPathComponent("state").path, "--port", "0", "--aws-port", "0"]
        if let root = PamCommand.packageRoot { process.currentDirectoryURL = root }
        var environment = ProcessInfo.processInfo.environment
        for name in ["PAM_BASE_URL", "PAM_BACKEND", "PAM_STORAGE", "AWS_ENDPOINT_URL"] { environment[name] = nil }
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    private func waitUntilReady() async throws {
        let record = state.appendingPathComponent("serve.json")
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline {
            guard process.isRunning else { throw PAMError(.io, "pam serve exited during start-up: \(log)") }
            if let data = try? Data(contentsOf: record), let fields = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                (fields["pid"] as? NSNumber)?.int32Value == process.processIdentifier,
                let port = (fields["port"] as? NSNumber)?.intValue, let awsPort = (fields["awsPort"] as? NSNumber)?.intValue
            {
                self.port = port
                self.awsPort = awsPort
                let probe = HTTPClientRequest(url: "http://127.0.0.1:\(port)/config.json")
                if let answer = try? await HTTPClient.shared.execute(probe, timeout: .seconds(2)), answer.status.code == 200 { return }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PAMError(.io, "pam serve did not start within 600 seconds: \(log)")
    }

    /// A client of the endpoint for every service (only S3 answers), signing with the default key pair.
    func client() -> AWSClient {
        AWSClient(
            configuration: AWSConfiguration(
                credentials: Self.credentials, region: "us-east-1",
                endpointOverrides: Dictionary(uniqueKeysWithValues: AWSService.allCases.map { ($0, endpoint) })))
    }

    /// The environment that points `pam`'s S3 port at this endpoint.
    var environment: [String: String] {
        [
            "AWS_ENDPOINT_URL": endpoint.absoluteString, "AWS_ACCESS_KEY_ID": Self.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": Self.credentials.secretAccessKey, "AWS_REGION": "us-east-1", "AWS_PROFILE": "",
            "AWS_SESSION_TOKEN": "",
        ]
    }

    /// Stops the server (SIGTERM, then SIGKILL after 20 s) and removes its folder.
    func stop() async {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}
