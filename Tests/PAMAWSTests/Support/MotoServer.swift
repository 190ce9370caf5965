import AsyncHTTPClient
import Foundation
import PAMAWS
import PAMCore
import PAMSigV4
import PAMTestSupport
import Testing

/// A moto server for the AWS adapter tests: the one at `PAM_TEST_MOTO_ENDPOINT` when set (CI may
/// start one), otherwise one started once for this test process on a loopback port moto binds itself (port 0), that
/// stops by itself when the test process ends (`Emulator/moto/serve.py --exit-with-parent`).
actor MotoServer {
    /// The shared server every integration suite uses (signature checking off).
    static let shared = MotoServer(environmentVariable: "PAM_TEST_MOTO_ENDPOINT", extraEnvironment: [:])
    /// A server that checks request signatures after the first `setupActions` requests.
    static let setupActions = 3
    static let signatureChecking = MotoServer(
        environmentVariable: nil,
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
        // Port 0: moto binds a port the system picks and writes it to the port file, so no other
        // process can take the port between choosing and binding.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pam-moto-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let portFile = folder.appendingPathComponent("port")
        let log = folder.appendingPathComponent("moto.log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "0", "--port-file", portFile.path, "--exit-with-parent"]
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extraEnvironment { environment[key] = value }
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        do {
            let port = try await Self.boundPort(portFile, process: process, log: log)
            let url = URL(string: "http://127.0.0.1:\(port)")!
            try await Self.waitUntilReady(url, process: process)
            return url
        } catch {
            process.terminate()
            throw PAMError(
                .io, "moto could not be started (is `moto[server]` installed? run Emulator/moto/install.sh)",
                underlying: PAMError(.io, "\(error)"))
        }
    }

    /// The port serve.py reports once bound, polled for up to 60 seconds (importing moto is slow
    /// on a busy machine).
    private static func boundPort(_ file: URL, process: Process, log: URL) async throws -> Int {
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline {
            if let text = try? String(contentsOf: file, encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return port
            }
            if !process.isRunning {
                throw PAMError(.io, "moto exited during start-up: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PAMError(.io, "moto did not report its port within 600 seconds")
    }

    /// Polls the server's dashboard until it answers, for up to 300 seconds.
    private static func waitUntilReady(_ url: URL, process: Process?) async throws {
        let deadline = Date().addingTimeInterval(300)
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
        throw PAMError(.io, "moto did not answer at \(url) within 300 seconds")
    }
}

/// Clients and fresh resource names for tests against moto.
enum Moto {
    static let region = "us-east-1"
    static let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")

    static func configuration(_ endpoint: URL, credentials: AWSCredentials = credentials) -> AWSConfiguration {
        AWSConfiguration(
            credentials: credentials, region: region,
            endpointOverrides: Dictionary(uniqueKeysWithValues: AWSService.allCases.map { ($0, endpoint) }))
    }

    static func client(server: MotoServer = .shared, credentials: AWSCredentials = credentials, retry: AWSRetryPolicy = .default)
        async throws -> AWSClient
    {
        AWSClient(configuration: configuration(try await server.endpoint(), credentials: credentials), retry: retry)
    }

    /// A name no other test uses, valid for buckets, tables and topics.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.lowercased().prefix(13))"
    }
}
