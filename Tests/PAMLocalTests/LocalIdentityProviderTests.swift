import Crypto
import Foundation
import PAMCore
import PAMTestSupport
import PAMWebToken
import Testing
import _CryptoExtras

@testable import PAMLocal

@Suite("Local sign-in tokens")
struct LocalIdentityProviderTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pam-identity-\(UUID().uuidString)")
    let user = LocalUser(username: "ana", email: "ana@example.org", phone: "+34600123456", password: "s3cret")
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    func provider(
        state: String = "state", issuer: String = "http://127.0.0.1:8080",
        clientID: String = "client"
    ) throws -> LocalIdentityProvider {
        try LocalIdentityProvider(
            state: StateDirectory(folder.appendingPathComponent(state)), issuer: issuer, clientID: clientID,
            user: user, clock: clock)
    }

    func claims(_ token: String) throws -> [String: Any] {
        let part = token.split(separator: ".")[1]
        return try JSONSerialization.jsonObject(with: try #require(Base64URL.decode(part))) as! [String: Any]
    }

    @Test("id tokens carry Cognito's claims and verify until they expire")
    func roundTrip() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let identity = try provider()
        let tokens = try identity.issueTokens()
        let id = try claims(tokens.idToken)
        #expect(id["iss"] as? String == "http://127.0.0.1:8080" && id["aud"] as? String == "client")
        #expect(id["token_use"] as? String == "id" && id["cognito:username"] as? String == "ana")
        #expect(id["email"] as? String == "ana@example.org")
        #expect(id["exp"] as? Int == 1_800_003_600 && id["iat"] as? Int == 1_800_000_000 && id["email_verified"] as? Bool == true)
        #expect(id["sub"] as? String == user.subject && id["phone_number"] as? String == "+34600123456")
        #expect(try claims(tokens.accessToken)["token_use"] as? String == "access")
        let verified = try await identity.verify(idToken: tokens.idToken)
        #expect(verified == UserIdentity(subject: user.subject, username: "ana", email: "ana@example.org", phone: "+34600123456"))
        await #expect { _ = try await identity.verify(idToken: tokens.accessToken) } throws: {
            ($0 as? PAMError)?.code == .invalidSignature
        }
        // No leeway: the same clock issues and verifies.
        clock.advance(by: 3599)
        _ = try await identity.verify(idToken: tokens.idToken)
        clock.advance(by: 1)
        await #expect { _ = try await identity.verify(idToken: tokens.idToken) } throws: { ($0 as? PAMError)?.code == .expired }
    }

    @Test("the key is made once in the state folder and kept, so tokens survive a restart")
    func keyPersists() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let token = try provider().issueTokens().idToken
        #expect(try await provider().verify(idToken: token).username == "ana")
        let state = StateDirectory(folder.appendingPathComponent("state"))
        let attributes = try FileManager.default.attributesOfItem(atPath: state.signInKey.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(state.signInKey.lastPathComponent == "signin-key.pem")
        // Written through the state's tmp/ and renamed into place: nothing is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: state.temporary.path).isEmpty)
        await #expect(throws: PAMError.self) { _ = try await provider(state: "other").verify(idToken: token) }
    }

    @Test("a key file that is not an RSA key is an error, not replaced")
    func corruptKey() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = StateDirectory(folder.appendingPathComponent("state"))
        try FileManager.default.createDirectory(at: state.root, withIntermediateDirectories: true)
        try Data("not a key".utf8).write(to: state.signInKey)
        #expect { _ = try provider() } throws: { ($0 as? PAMError)?.code == .io }
        #expect(try String(contentsOf: state.signInKey, encoding: .utf8) == "not a key")
    }

    @Test("forged tokens are refused: tampered claims, alg none, another audience or issuer")
    func forgeries() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let identity = try provider()
        let parts = try identity.issueTokens().idToken.split(separator: ".").map(String.init)
        var body = try claims(parts.joined(separator: "."))
        body["email"] = "mallory@example.org"
        let tampered = [parts[0], Base64URL.encode(try JSONSerialization.data(withJSONObject: body)), parts[2]].joined(separator: ".")
        let none = [Base64URL.encode(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)), parts[1], ""].joined(separator: ".")
        for token in [tampered, none, "not.a.jwt", "", parts[0] + "." + parts[1]] {
            await #expect(throws: PAMError.self, "\(token)") { _ = try await identity.verify(idToken: token) }
        }
        let otherClient = try provider(clientID: "someone-else")
        await #expect(throws: PAMError.self) { _ = try await otherClient.verify(idToken: parts.joined(separator: ".")) }
        let otherIssuer = try provider(issuer: "http://evil.example")
        await #expect(throws: PAMError.self) { _ = try await otherIssuer.verify(idToken: parts.joined(separator: ".")) }
    }

    @Test("the JWKS publishes the key that verifies the tokens")
    func jwks() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let identity = try provider()
        let set = try JSONSerialization.jsonObject(with: identity.jwks()) as! [String: [[String: String]]]
        let key = try #require(set["keys"]?.first)
        #expect(key["kty"] == "RSA" && key["alg"] == "RS256" && key["use"] == "sig")
        let kid = try #require(key["kid"])
        let publicKey = try #require(try JSONWebKeySet(parsing: identity.jwks()).keys[kid])
        let token = try JSONWebToken(compact: try identity.issueTokens().idToken)
        #expect(token.header.kid == key["kid"] && token.header.alg == "RS256")
        try token.verifyRS256(publicKey)
        #expect(token.claims["sub"]?.string == user.subject)
    }

    @Test("passwords are checked exactly")
    func passwords() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let identity = try provider()
        #expect(identity.checkPassword(username: "ana", password: "s3cret"))
        #expect(!identity.checkPassword(username: "ana", password: "s3cret "))
        #expect(!identity.checkPassword(username: "bob", password: "s3cret"))
        #expect(!identity.checkPassword(username: "", password: ""))
    }
}

/// The TokenVerifier conformance suite on the local sign-in: the suite mints tokens with the key
/// the provider keeps in its state folder.
@Suite("LocalIdentityProvider: TokenVerifier conformance")
struct LocalIdentityProviderConformanceTests {
    typealias Suite = TokenVerifierConformance

    /// Runs `check` on a provider in a fresh state folder.
    func withPool(_ check: (Suite.Pool) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pam-identity-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let state = StateDirectory(root)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let user = LocalUser(username: "ana", email: "ana@example.org", phone: nil, password: "s3cret")
        let provider = try LocalIdentityProvider(
            state: state, issuer: "http://127.0.0.1:8080", clientID: "pam-local-client", user: user,
            clock: ManualClock(now))
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: String(contentsOf: state.signInKey, encoding: .utf8))
        let keyID = try #require(try JSONWebKeySet(parsing: provider.jwks()).keys.keys.first)
        try await check(
            Suite.Pool(
                verifier: provider, key: key, keyID: keyID, issuer: provider.issuer, clientID: provider.clientID,
                now: now, leeway: 0))
    }

    @Test("TokenVerifier conformance", arguments: Suite.checks)
    func conformance(_ check: Suite.Check) async throws { try await withPool(check.run) }
}
