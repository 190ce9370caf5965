import AsyncHTTPClient
import Foundation
import PAMConformance
import PAMAWS
import PAMCore
import Testing

/// A moto server for the AWS adapter tests: the one at `PAM_TEST_MOTO_ENDPOINT` when set (CI may
/// start one), otherwise one started once for this test process on a free loopback port, that
/// stops by itself when the test process ends (`Emulator/moto/serve.py --exit-with-parent`).
actor MotoServer {
    /// The shared server every integration suite uses (signature checking off).
    static let shared = MotoServer(environmentVariable: "PAM_TEST_MOTO_ENDPOINT", extraEnvironment: [:])
    /// A server that checks request signatures after the first `setupActions` requests.
    static let setupActions = 3
    static let signatureChecking = MotoServer(environmentVariable: nil,
                                              extraEnvironment: ["INITIAL_NO_AUTH_ACTION_COUNT": String(setupActions)])

    private let environmentVariable: String?
    private let extraEnvironment: [String: String]
    private var started: Task<URL, any Error>?
    private var process: Process?

    init(environmentVariable: String?, extraEnvironment: [String: String]) {
        self.environmentVariable = environmentVariable
        self.extraEnvironment = extraEnvironment
    }

    /// The server's endpoint, starting it on first use.
    func endpoint() async throws -> URL {
        if let started { return try await started.value }
        let task = Task { try await self.start() }
        started = task
        return try await task.value
    }

    private func start() async throws -> URL {
        if let name = environmentVariable, let text = ProcessInfo.processInfo.environment[name], !text.isEmpty {
            guard let url = URL(string: text) else { throw PAMError(.invalidArgument, "\(name) is not a URL: \(text)") }
            try await Self.waitUntilReady(url, process: nil)
            return url
        }
        guard let root = AWSFixtures.root?.deletingLastPathComponent() else {
            throw PAMError(.notFound, "cannot find the package root to start moto from")
        }
        let script = root.appendingPathComponent("Emulator/moto/serve.py").path
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try await Self.freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, String(port), "--exit-with-parent"]
            var environment = ProcessInfo.processInfo.environment
            for (key, value) in extraEnvironment { environment[key] = value }
            process.environment = environment
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("pam-moto-\(port).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            self.process = process
            let url = URL(string: "http://127.0.0.1:\(port)")!
            do {
                try await Self.waitUntilReady(url, process: process)
                return url
            } catch {
                lastError = error
                process.terminate()
            }
        }
        throw PAMError(.io, "moto could not be started (is `moto[server]` installed? run Emulator/moto/install.sh)",
                       underlying: lastError.map { PAMError(.io, "\($0)") })
    }

    /// Polls the server's dashboard until it answers, for up to 30 seconds.
    private static func waitUntilReady(_ url: URL, process: Process?) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let process, !process.isRunning { throw PAMError(.io, "moto exited during start-up") }
            var request = HTTPClientRequest(url: url.absoluteString + "/moto-api/")
            request.method = .GET
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)), response.status.code < 500 {
                _ = try? await response.body.collect(upTo: 1 << 22)
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw PAMError(.io, "moto did not answer at \(url) within 30 seconds")
    }

    /// A loopback port nothing listens on right now.
    static func freePort() async throws -> Int {
        let run = try await ExternalProcess.python("import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
        guard let port = Int(run.output.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw PAMError(.io, "no free port found") }
        return port
    }
}

/// Clients and fresh resource names for tests against moto.
enum Moto {
    static let region = "us-east-1"
    static let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")

    static func configuration(_ endpoint: URL, credentials: AWSCredentials = credentials) -> AWSConfiguration {
        AWSConfiguration(credentials: credentials, region: region,
                         endpointOverrides: Dictionary(uniqueKeysWithValues: AWSService.allCases.map { ($0, endpoint) }))
    }

    static func client(server: MotoServer = .shared, credentials: AWSCredentials = credentials, retry: AWSRetryPolicy = .default) async throws -> AWSClient {
        AWSClient(configuration: configuration(try await server.endpoint(), credentials: credentials), retry: retry)
    }

    /// A name no other test uses, valid for buckets, tables and topics.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.lowercased().prefix(13))"
    }
}
