import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `pam serve` in a fresh state folder, talked to over real HTTP. It listens on port 0 — a port
/// the system picks when binding, so nothing else on the machine can race for it — and the test
/// learns the port from the `serve.json` the server writes into its state folder.
final class ServerProcess: @unchecked Sendable {
    let state: URL
    /// `--config`; nil: none given, so `pam serve` picks `./pam.json` or its built-in defaults.
    let config: String?
    /// The `pam` to run (default: the one built beside the tests) and its working folder (default: the package root).
    var executable: URL?
    var workingDirectory = CLITests.packageRoot
    /// Extra environment variables for the server (`PAM_STORAGE`, `AWS_ENDPOINT_URL`, fault hooks …).
    var environment: [String: String]
    /// The port the server bound; 0 until `start()` (or `launch()` and `waitForAddress()`) has read it.
    private(set) var port = 0
    /// The AWS endpoint's port (`--aws-port 0`), read with `port`.
    private(set) var awsPort = 0
    private(set) var process: Process?
    private var logFile: URL

    var base: String { "http://127.0.0.1:\(port)" }
    var serveRecord: URL { state.appendingPathComponent("serve.json") }

    init(state: URL? = nil, config: String? = "Emulator/pam.json", environment: [String: String] = [:]) throws {
        // A server killed mid-request must not take the test process down with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        self.state = state ?? CLITests.temporaryFolder().appendingPathComponent("state")
        self.config = config
        self.environment = environment
        logFile = self.state.deletingLastPathComponent().appendingPathComponent("serve-\(UUID().uuidString.prefix(6)).log")
    }

    /// Starts the server and waits until it has recorded its port and answers there.
    func start(extraArguments: [String] = []) async throws {
        try launch(extraArguments: extraArguments)
        try await waitForAddress()
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            if let response = try? await HTTP.request("GET", "\(base)/config.json"), response.status == 200 { return }
            guard process?.isRunning == true else { throw HTTP.Failure("pam serve exited early: \(log())") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HTTP.Failure("pam serve did not answer on port \(port) within 300 s: \(log())")
    }

    /// Starts `pam serve --port 0` without waiting for it.
    func launch(extraArguments: [String] = []) throws {
        try FileManager.default.createDirectory(at: logFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let process = Process()
        process.executableURL = try executable ?? CLITests.pamExecutable()
        process.arguments =
            ["serve", "--state", state.path, "--port", "0"] + (config.map { ["--config", $0] } ?? []) + ["--aws-port", "0"] + extraArguments
        process.currentDirectoryURL = workingDirectory
        var environment = ProcessInfo.processInfo.environment
        // The server's addresses come from its own bound port, not from the test's environment.
        environment["PAM_BASE_URL"] = nil
        for (key, value) in self.environment { environment[key] = value }
        process.environment = environment
        let logHandle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        self.process = process
        port = 0
    }

    /// Waits for this process's `serve.json` (a restarted server's predecessor may have left one)
    /// and takes the port from it; as long as `start()` then waits for the first answer, since a
    /// machine busy with other work (a second test run) once took over a minute.
    func waitForAddress(timeout: TimeInterval = 300) async throws {
        guard let process else { throw HTTP.Failure("pam serve is not running") }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let data = try? Data(contentsOf: serveRecord),
                let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                (record["pid"] as? NSNumber)?.int32Value == process.processIdentifier,
                let port = (record["port"] as? NSNumber)?.intValue, port > 0
            {
                self.port = port
                awsPort = (record["awsPort"] as? NSNumber)?.intValue ?? 0
                return
            }
            guard process.isRunning else { throw HTTP.Failure("pam serve exited before recording its port: \(log())") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HTTP.Failure("pam serve did not record its port within \(timeout) s: \(log())")
    }

    /// Sends `signal` and waits for the process to end; returns its exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM, timeout: TimeInterval = 20) async throws -> Int32 {
        guard let process else { return 0 }
        kill(process.processIdentifier, signal)
        return try await waitForExit(timeout: timeout)
    }

    /// Waits for the process to end by itself; returns its exit status (the signal's number when a
    /// signal ended it: see `terminationReason`).
    @discardableResult
    func waitForExit(timeout: TimeInterval = 60) async throws -> Int32 {
        guard let process else { return 0 }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            throw HTTP.Failure("pam serve did not end within \(timeout) s")
        }
        self.process = nil
        lastTermination = (process.terminationStatus, process.terminationReason)
        return process.terminationStatus
    }

    /// How the last process ended: its status and whether a signal ended it.
    private(set) var lastTermination: (status: Int32, reason: Process.TerminationReason)?

    /// What the server printed and logged.
    func log() -> String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    deinit { if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    // MARK: The API, as the web page uses it

    /// Signs in through the hosted UI's implicit grant and returns the id token.
    func signIn(username: String = "photographer", password: String = "offline-photos") async throws -> String {
        let redirect = "\(base)/"
        let query = "response_type=token&client_id=pam-local-client&redirect_uri=\(HTTP.formEncode(redirect))&state=xyz"
        let page = try await HTTP.request("GET", "\(base)/oauth2/authorize?\(query)")
        guard page.status == 200, page.text.contains("name=\"password\"") else { throw HTTP.Failure("no sign-in form: \(page.status)") }
        let form = "username=\(username)&password=\(HTTP.formEncode(password))&\(query)"
        let answer = try await HTTP.request(
            "POST", "\(base)/oauth2/authorize", body: Data(form.utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded"])
        guard answer.status == 302, let location = answer.headers["Location"], location.hasPrefix(redirect + "#"),
            let fragment = URLComponents(string: "?" + String(location.split(separator: "#", maxSplits: 1)[1])),
            let token = fragment.queryItems?.first(where: { $0.name == "id_token" })?.value,
            fragment.queryItems?.first(where: { $0.name == "state" })?.value == "xyz"
        else { throw HTTP.Failure("sign-in did not redirect with tokens: \(answer.status) \(answer.headers)") }
        return token
    }

    func api(_ method: String, _ path: String, token: String?, json: Any? = nil) async throws -> HTTP.Response {
        var headers: [String: String] = [:]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        var body: Data?
        if let json {
            body = try JSONSerialization.data(withJSONObject: json)
            headers["Content-Type"] = "application/json"
        }
        return try await HTTP.request(method, "\(base)\(path)", body: body, headers: headers)
    }

    /// Uploads a photo as the page does: presigned URL from the API, then PUT to it.
    func upload(_ data: Data, fileName: String, token: String) async throws -> String {
        let answer = try await api("PUT", "/api/upload", token: token, json: ["file_name": fileName])
        guard answer.status == 200, let url = (answer.json?["url"] as? String) else {
            throw HTTP.Failure("no upload URL: \(answer.status) \(answer.text)")
        }
        let put = try await HTTP.request("PUT", url, body: data, headers: ["Content-Type": "image/jpeg"])
        guard put.status == 200 else { throw HTTP.Failure("upload failed: \(put.status) \(put.text)") }
        return url
    }

    /// Waits until no photo is pending analysis.
    func waitForAnalysis(token: String, timeout: TimeInterval = 120) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let status = try await api("GET", "/api/status", token: token)
            if status.json?["pending"] as? Int == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HTTP.Failure("analysis still pending after \(timeout) s")
    }

    func labelCounts(token: String) async throws -> [String: Int] {
        let answer = try await api("GET", "/api/labels", token: token)
        guard answer.status == 200, let labels = answer.json?["labels"] as? [String: [String: Int]] else {
            throw HTTP.Failure("bad labels answer: \(answer.status) \(answer.text)")
        }
        return labels.compactMapValues { $0["count"] }
    }
}

/// A small HTTP client over URLSession that does not follow redirects.
enum HTTP {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
        /// A header by name, in any case (`ETag` may arrive as `Etag`).
        func header(_ name: String) -> String? { headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value }
    }

    private final class NoRedirects: NSObject, URLSessionTaskDelegate {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    private static let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)

    static func request(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Response {
        guard let target = URL(string: url) else { throw Failure("bad URL \(url)") }
        var request = URLRequest(url: target, timeoutInterval: 60)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw Failure("not an HTTP response") }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
        return Response(status: http.statusCode, headers: fields, body: data)
    }

    static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }
}
