import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// The hosted-UI endpoints and HEAD over real HTTP: `/.well-known/jwks.json` verifies the server's
/// tokens in an independent implementation (Python's `cryptography`), `/logout` redirects only to
/// allowed URLs, and `HEAD` on a presigned link answers as `GET` would, without a body.
@Suite("pam serve sign-in endpoints and HEAD", .serialized)
struct SignInEndpointsTests {
    /// Verifies an RS256 JWT against a JWKS with Python's `cryptography`; prints the claims' `iss`.
    static let verifyScript = """
        import base64, json, sys
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, rsa
        def b64(text):
            return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        jwks, token = json.loads(sys.argv[1]), sys.argv[2]
        header, claims, signature = token.split(".")
        kid = json.loads(b64(header))["kid"]
        key = next(k for k in jwks["keys"] if k["kid"] == kid)
        assert key["kty"] == "RSA" and key["alg"] == "RS256", key
        public = rsa.RSAPublicNumbers(int.from_bytes(b64(key["e"]), "big"), int.from_bytes(b64(key["n"]), "big")).public_key()
        public.verify(b64(signature), f"{header}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256())
        print(json.loads(b64(claims))["iss"])
        """

    @Test("the JWKS over HTTP verifies a token the server issued, and not a token of another key")
    func jwksVerifiesTokens() async throws {
        let server = try ServerProcess()
        let folder = server.state.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await server.start()
        let jwks = try await HTTP.request("GET", "\(server.base)/.well-known/jwks.json")
        #expect(jwks.status == 200 && jwks.headers["Content-Type"]?.hasPrefix("application/json") == true)
        let token = try await server.signIn()
        let verified = try await ExternalProcess.python(Self.verifyScript, [jwks.text, token])
        #expect(verified.status == 0, "\(verified.errors)")
        #expect(verified.output.trimmingCharacters(in: .whitespacesAndNewlines) == server.base)

        // Same claims, another pool's key: the published key refuses it.
        let foreign = try await CLITests.pam(["token", "--state", folder.appendingPathComponent("other").path, "--base-url", server.base])
        let refused = try await ExternalProcess.python(
            Self.verifyScript, [jwks.text, foreign.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
        #expect(refused.status != 0)
        try await server.stop()
    }

    @Test("/logout redirects to the page, and refuses an unknown client or a foreign target")
    func logout() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let page = server.base + "/"
        let out = try await HTTP.request("GET", "\(server.base)/logout?client_id=pam-local-client&logout_uri=\(HTTP.formEncode(page))")
        #expect(out.status == 302 && out.headers["Location"] == page, "\(out.status) \(out.headers)")
        let wrongClient = try await HTTP.request("GET", "\(server.base)/logout?client_id=someone-else&logout_uri=\(HTTP.formEncode(page))")
        #expect(wrongClient.status == 400 && wrongClient.headers["Location"] == nil)
        for target in ["http://evil.example/", "https://evil.example/\(server.base)", "javascript:alert(1)"] {
            let foreign = try await HTTP.request(
                "GET", "\(server.base)/logout?client_id=pam-local-client&logout_uri=\(HTTP.formEncode(target))")
            #expect(foreign.status == 400 && foreign.headers["Location"] == nil, "\(target): \(foreign.status)")
        }
        let missing = try await HTTP.request("GET", "\(server.base)/logout?client_id=pam-local-client")
        #expect(missing.status == 400)
        try await server.stop()
    }

    @Test("HEAD on a presigned link: GET's status and headers, no body; a range and a bad signature too")
    func headOnObjects() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let photo = try Data(contentsOf: try #require(ServeTests.photos.first))
        let token = try await server.signIn()
        let uploadURL = try await server.upload(photo, fileName: "head.jpg", token: token)
        let key = try #require(URL(string: uploadURL)?.lastPathComponent)
        // A GET link as the bundle links are made: the state's own presign key, the server's base URL.
        let signer = PresignedURLSigner(
            key: try StateDirectory(server.state).loadOrCreatePresignKey(), baseURL: try #require(URL(string: server.base)))
        let link = try signer.sign(.get, ObjectRef(bucket: "pam-storage", key: key), contentType: nil, expiresIn: 600, now: Date())
            .absoluteString

        let get = try await HTTP.request("GET", link)
        let head = try await HTTP.request("HEAD", link)
        #expect(get.status == 200 && get.body == photo)
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(head.headers["Content-Length"] == "\(photo.count)")
        #expect(head.header("ETag") != nil && head.header("ETag") == get.header("ETag"))
        #expect(head.headers["Content-Type"] == get.headers["Content-Type"])
        let ranged = try await HTTP.request("HEAD", link, headers: ["Range": "bytes=100-199"])
        #expect(ranged.status == 206 && ranged.body.isEmpty && ranged.headers["Content-Range"] == "bytes 100-199/\(photo.count)")
        let tampered = link.replacingOccurrences(of: "X-Pam-Signature=", with: "X-Pam-Signature=00")
        let refused = try await HTTP.request("HEAD", tampered)
        #expect(refused.status == 403 && refused.body.isEmpty)
        try await server.stop()
    }
}
