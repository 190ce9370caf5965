import Foundation
import Testing

/// `pam serve` with `PAM_COGNITO_*` verifies id tokens of a Cognito user pool instead of its own
/// sign-in. The pool here is a second `pam serve`, whose local user pool has Cognito's token shape
/// and publishes its keys at `/.well-known/jwks.json`.
@Suite("pam serve in Cognito mode", .serialized)
struct CognitoModeTests {
    static func token(_ arguments: [String]) async throws -> String {
        let run = try await CLITests.pam(["token"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a token of the configured pool is accepted; another key, another issuer, an expired token and the local sign-in's are 401")
    func cognitoTokens() async throws {
        let folder = CLITests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pool = try ServerProcess(state: folder.appendingPathComponent("pool"))
        try await pool.start()
        // Every port local: the user pool alone is Cognito's.
        let app = try ServerProcess(
            state: folder.appendingPathComponent("app"),
            environment: [
                "PAM_BACKEND": "local",
                "PAM_COGNITO_USER_POOL_ID": "us-east-1_PAMtest",
                "PAM_COGNITO_CLIENT_ID": "pam-local-client",
                "PAM_COGNITO_JWKS_URL": "\(pool.base)/.well-known/jwks.json",
                "PAM_COGNITO_ISSUER": pool.base,
            ])
        try await app.start()

        let fromPool = try await pool.signIn()
        let accepted = try await app.api("GET", "/api/labels", token: fromPool)
        #expect(accepted.status == 200, "\(accepted.text)\n\(app.log())")
        let minted = try await Self.token(["--state", pool.state.path])
        #expect(try await app.api("GET", "/api/labels", token: minted).status == 200)

        // Signed by another key, with the pool's issuer.
        let otherKey = try await Self.token(["--state", folder.appendingPathComponent("other").path, "--base-url", pool.base])
        let forged = try await app.api("GET", "/api/labels", token: otherKey)
        #expect(forged.status == 401 && forged.headers["Access-Control-Allow-Origin"] == "*")
        // The pool's key, but another issuer: refused, and the answer says so.
        let otherIssuer = try await Self.token(["--state", pool.state.path, "--base-url", "http://127.0.0.1:9"])
        let wrongIssuer = try await app.api("GET", "/api/labels", token: otherIssuer)
        #expect(wrongIssuer.status == 401)
        #expect((wrongIssuer.json?["message"] as? String)?.contains("another user pool") == true, "\(wrongIssuer.text)")
        // Expired beyond the verifier's minute of leeway.
        let expired = try await Self.token(["--state", pool.state.path, "--expires-in", "-120"])
        #expect(try await app.api("GET", "/api/labels", token: expired).status == 401)
        // The app's own local sign-in no longer grants access.
        let local = try await app.signIn()
        #expect(try await app.api("GET", "/api/labels", token: local).status == 401)

        try await app.stop()
        try await pool.stop()
    }
}
