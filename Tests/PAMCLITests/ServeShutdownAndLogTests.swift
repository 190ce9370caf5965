import Foundation
import PAMCore
import PAMLocal
import Testing

/// What `pam serve` promises about shutting down and about its log.
@Suite("pam serve shutdown and log", .serialized)
struct ServeShutdownAndLogTests {
    static func outboxFiles(_ server: ServerProcess, suffix: String) -> [URL] {
        let folder = server.state.appendingPathComponent("outbox")
        return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.lastPathComponent.hasSuffix(suffix) }
    }

    /// Uploads `photos` through the API and waits for their analysis; returns a token.
    static func uploadAndAnalyse(_ server: ServerProcess, _ photos: [URL]) async throws -> String {
        let token = try await server.signIn()
        for photo in photos {
            _ = try await server.upload(Data(contentsOf: photo), fileName: photo.lastPathComponent, token: token)
        }
        try await server.waitForAnalysis(token: token)
        return token
    }

    @Test("SIGTERM right after bundle requests: every bundle reaches the outbox, then the process exits 0")
    func sigtermFinishesBundles() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let photos = Array(ServeTests.photos.prefix(12))
        let token = try await Self.uploadAndAnalyse(server, photos)
        let counts = try await server.labelCounts(token: token)
        let label = try #require(counts.max { $0.value < $1.value }?.key)

        // Four bundles accepted (202), then SIGTERM before they can have been built.
        let requests = 4
        for index in 0..<requests {
            let answer = try await server.api(
                "POST", "/api/download", token: token, json: ["labels": [label], "email": "shutdown\(index)@example.com"])
            #expect(answer.status == 202, "\(answer.text)")
        }
        let process = try #require(server.process)
        kill(process.processIdentifier, SIGTERM)
        #expect(try await server.waitForExit() == 0)
        #expect(server.lastTermination?.reason == .exit)

        let messages = Self.outboxFiles(server, suffix: ".eml")
        #expect(messages.count == requests, "\(messages.map(\.lastPathComponent))")
        let recipients = Set(
            try messages.compactMap { url -> String? in
                let text = try String(contentsOf: url, encoding: .utf8)
                return text.range(of: #"shutdown\d@example\.com"#, options: .regularExpression).map { String(text[$0]) }
            })
        #expect(recipients == Set((0..<requests).map { "shutdown\($0)@example.com" }))
        // Each message's bundle is complete: the zip it links to is in the working bucket and whole.
        let zips = try await ServeTests.storedObjects(server, bucket: "pam-working").filter { $0.key.hasSuffix(".zip") }
        #expect(zips.count == requests)
        for (_, zip) in zips {
            let entries = try await ZipVerifier.verify(.data(try Data(contentsOf: zip)))
            #expect(entries.count == counts[label])
        }
    }

    @Test("the log never holds a query string, a signature, a token, a password, an address or a phone number")
    func logHygiene() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start(extraArguments: ["--verbose"])
        let photos = Array(ServeTests.photos.prefix(3))
        let token = try await server.signIn()
        var uploadURLs: [String] = []
        for photo in photos {
            uploadURLs.append(try await server.upload(Data(contentsOf: photo), fileName: photo.lastPathComponent, token: token))
        }
        try await server.waitForAnalysis(token: token)
        let label = try #require(try await server.labelCounts(token: token).max { $0.value < $1.value }?.key)

        // Secrets in query strings of every kind of route, and in headers.
        let querySecret = "qs-secret-4711"
        _ = try await server.api("GET", "/api/labels?access_token=\(querySecret)", token: token)
        _ = try await server.api("GET", "/api/status?\(querySecret)", token: "not-a-token-\(querySecret)")
        _ = try await HTTP.request(
            "GET",
            "\(server.base)/oauth2/authorize?response_type=token&client_id=pam-local-client&redirect_uri=\(HTTP.formEncode(server.base + "/"))&state=\(querySecret)"
        )
        _ = try await HTTP.request(
            "GET", "\(server.base)/logout?client_id=pam-local-client&logout_uri=\(HTTP.formEncode(server.base + "/?\(querySecret)"))")
        _ = try await HTTP.request("GET", "\(server.base)/index.html?\(querySecret)")
        _ = try await HTTP.request("GET", "\(server.base)/pam-storage/nothing.jpg?X-Pam-Expires=1&X-Pam-Signature=\(querySecret)")

        // A bundle to an address and one to a phone number; the link fetched with its signature.
        let address = "log-hygiene@example.com"
        let phone = "+15555550199"
        #expect(try await server.api("POST", "/api/download", token: token, json: ["labels": [label], "email": address]).status == 202)
        #expect(try await server.api("POST", "/api/download", token: token, json: ["labels": [label], "phone": phone]).status == 202)
        #expect(
            try await ServeLifecycleTests.eventually {
                Self.outboxFiles(server, suffix: ".eml").count == 1 && Self.outboxFiles(server, suffix: ".json").count == 1
            })
        let message = try String(contentsOf: try #require(Self.outboxFiles(server, suffix: ".eml").first), encoding: .utf8)
        let link = String(try #require(message.split(whereSeparator: \.isNewline).first { $0.hasPrefix("\(server.base)/pam-working/") }))
        #expect(try await HTTP.request("GET", link, headers: ["Range": "bytes=0-99"]).status == 206)
        #expect(try await HTTP.request("HEAD", link).status == 200)
        #expect(try await server.stop() == 0)

        let log = server.log()
        #expect(log.contains("GET /api/labels 200"), "the log has request lines")
        var secrets = [token, querySecret, address, phone, String(phone.dropFirst()), "5555550199", "offline-photos"]
        for url in uploadURLs + [link] {
            let components = try #require(URLComponents(string: url))
            secrets += (components.queryItems ?? []).compactMap(\.value).filter { $0.count > 12 }
            secrets.append(try #require(components.percentEncodedQuery))
        }
        for secret in secrets {
            #expect(!log.contains(secret), "the log holds '\(secret.prefix(24))…'")
        }
        for marker in ["X-Pam-Signature", "X-Pam-Expires", "access_token", "id_token", "Bearer", "logout_uri", "redirect_uri"] {
            #expect(!log.contains(marker), "the log holds '\(marker)'")
        }
        // The token's own parts (a log could print its header or claims alone).
        for part in token.split(separator: ".") where part.count > 12 {
            #expect(!log.contains(part))
        }
    }
}
