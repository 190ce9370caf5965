import Foundation
import Testing

/// `pam serve --port 0` binds a port the system picks and records it in `<state>/serve.json`;
/// `pam token` mints tokens for the server that runs on the state, whatever its port.
@Suite("pam serve address and pam token", .serialized)
struct ServeAddressTests {
    static func token(_ arguments: [String]) async throws -> CLITests.Run {
        let run = try await CLITests.pam(["token"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return CLITests.Run(status: run.status, stdout: run.stdout.trimmingCharacters(in: .whitespacesAndNewlines), stderr: run.stderr)
    }

    /// The claims of a JWT, unverified.
    static func claims(_ token: String) throws -> [String: Any] {
        let parts = token.split(separator: ".")
        try #require(parts.count == 3)
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let data = try #require(Data(base64Encoded: base64))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("port 0: the bound port is logged and recorded, links and tokens name it, the record goes on clean shutdown")
    func boundPortIsRecorded() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        #expect(server.port > 0 && server.port != 8080)

        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: server.serveRecord)) as? [String: Any])
        #expect(record["port"] as? Int == server.port)
        #expect(record["host"] as? String == "127.0.0.1")
        #expect(record["baseURL"] as? String == server.base)
        #expect(server.log().contains("listening on http://127.0.0.1:\(server.port)"))

        // Presigned links and the issuer of signed-in tokens use the bound port, not 0 or 8080.
        let token = try await server.signIn()
        #expect(try Self.claims(token)["iss"] as? String == server.base)
        let upload = try await server.api("PUT", "/api/upload", token: token, json: ["file_name": "lake.jpg"])
        let url = try #require(upload.json?["url"] as? String)
        #expect(url.hasPrefix("\(server.base)/pam-storage/"), "\(url)")
        let put = try await HTTP.request(
            "PUT", url, body: try Data(contentsOf: try #require(ServeTests.photos.first)),
            headers: ["Content-Type": "image/jpeg"])
        #expect(put.status == 200)

        #expect(try await server.stop(SIGTERM) == 0)
        #expect(!FileManager.default.fileExists(atPath: server.serveRecord.path), "serve.json stays after a clean shutdown")
    }

    @Test("pam token mints for the running server's port; without one it says which URL it used, and a 401 names the wrong issuer")
    func tokenFollowsTheServer() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        // Before any server ran: the default address, said on standard error.
        let early = try await Self.token(["--state", server.state.path])
        #expect(early.stderr.contains("no running pam serve") && early.stderr.contains("http://127.0.0.1:8080"), "\(early.stderr)")
        #expect(try Self.claims(early.stdout)["iss"] as? String == "http://127.0.0.1:8080")

        try await server.start()
        let minted = try await Self.token(["--state", server.state.path])
        #expect(try Self.claims(minted.stdout)["iss"] as? String == server.base)
        #expect(minted.stderr.isEmpty, "\(minted.stderr)")
        let labels = try await server.api("GET", "/api/labels", token: minted.stdout)
        #expect(labels.status == 200, "\(labels.text)")

        // A token of this pool's key minted for another port: refused, and the answer says why.
        let wrongPort = try await server.api("GET", "/api/labels", token: early.stdout)
        #expect(wrongPort.status == 401)
        let message = try #require(wrongPort.json?["message"] as? String)
        #expect(message.contains("issuer is not this user pool"), "\(message)")
        #expect(message.contains(server.base), "\(message)")
        // Other refusals stay terse: a forged signature says nothing more.
        var forged = minted.stdout
        forged.removeLast(4)
        forged += "AAAA"
        let forgedAnswer = try await server.api("GET", "/api/labels", token: forged)
        #expect(forgedAnswer.status == 401 && forgedAnswer.json?["message"] as? String == "Unauthorized")
        try await server.stop()
    }

    @Test("--expires-in -10 and --expires-in=-10 parse and mint an already expired token")
    func negativeLifetime() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        for arguments in [["--expires-in", "-10"], ["--expires-in=-10"]] {
            let run = try await Self.token(["--state", server.state.path] + arguments)
            let claims = try Self.claims(run.stdout)
            let expiry = try #require(claims["exp"] as? Int)
            let issued = try #require(claims["iat"] as? Int)
            #expect(expiry - issued == -10, "\(arguments)")
            let answer = try await server.api("GET", "/api/labels", token: run.stdout)
            #expect(answer.status == 401 && answer.json?["message"] as? String == "The token has expired", "\(arguments): \(answer.text)")
        }
        let positive = try await Self.token(["--state", server.state.path, "--expires-in", "60"])
        let claims = try Self.claims(positive.stdout)
        #expect((claims["exp"] as? Int ?? 0) - (claims["iat"] as? Int ?? 0) == 60)
        try await server.stop()
    }
}
