import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `pam serve` on a free loopback port in a fresh state folder, talked to over real HTTP.
final class ServerProcess: @unchecked Sendable {
    let state: URL
    let port: Int
    let config: String
    private(set) var process: Process?
    private var logFile: URL

    var base: String { "http://127.0.0.1:\(port)" }

    init(state: URL? = nil, config: String = "Emulator/pam.json") throws {
        // A server killed mid-request must not take the test process down with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        self.state = state ?? CLITests.temporaryFolder().appendingPathComponent("state")
        self.port = try Self.freePort()
        self.config = config
        logFile = self.state.deletingLastPathComponent().appendingPathComponent("serve-\(UUID().uuidString.prefix(6)).log")
    }

    /// Starts the server and waits until it answers.
    func start() async throws {
        try FileManager.default.createDirectory(at: logFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let process = Process()
        process.executableURL = try CLITests.pamExecutable()
        process.arguments = ["serve", "--state", state.path, "--port", "\(port)", "--config", config]
        process.currentDirectoryURL = CLITests.packageRoot
        let logHandle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let response = try? await HTTP.request("GET", "\(base)/config.json"), response.status == 200 { return }
            guard process.isRunning else { throw HTTP.Failure("pam serve exited early: \(log())") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HTTP.Failure("pam serve did not answer within 30 s: \(log())")
    }

    /// Sends `signal` and waits for the process to end; returns its exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM, timeout: TimeInterval = 20) async throws -> Int32 {
        guard let process else { return 0 }
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            throw HTTP.Failure("pam serve did not stop within \(timeout) s after signal \(signal)")
        }
        self.process = nil
        return process.terminationStatus
    }

    /// What the server printed and logged.
    func log() -> String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    deinit { if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw HTTP.Failure("socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0 }
        }
        guard bound else { throw HTTP.Failure("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: The API, as the web page uses it

    /// Signs in through the hosted UI's implicit grant and returns the id token.
    func signIn(username: String = "photographer", password: String = "offline-photos") async throws -> String {
        let redirect = "\(base)/"
        let query = "response_type=token&client_id=pam-local-client&redirect_uri=\(HTTP.formEncode(redirect))&state=xyz"
        let page = try await HTTP.request("GET", "\(base)/oauth2/authorize?\(query)")
        guard page.status == 200, page.text.contains("name=\"password\"") else { throw HTTP.Failure("no sign-in form: \(page.status)") }
        let form = "username=\(username)&password=\(HTTP.formEncode(password))&\(query)"
        let answer = try await HTTP.request("POST", "\(base)/oauth2/authorize", body: Data(form.utf8),
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
        guard answer.status == 200, let url = (answer.json?["url"] as? String) else { throw HTTP.Failure("no upload URL: \(answer.status) \(answer.text)") }
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
    }

    private final class NoRedirects: NSObject, URLSessionTaskDelegate {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }

    nonisolated(unsafe) private static let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)

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
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }
}
