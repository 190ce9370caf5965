import Crypto
import Foundation
import PAMCore
@testable import PAMServer
import Testing
import _CryptoExtras

@Suite("Local sign-in tokens")
struct LocalIdentityProviderTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pam-identity-\(UUID().uuidString)")
    let user = LocalUser(username: "ana", email: "ana@example.org", phone: "+34600123456", password: "s3cret")
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    func provider(keyFile: String = "key.pem", issuer: String = "http://127.0.0.1:8080", clientID: String = "client") throws -> LocalIdentityProvider {
        try LocalIdentityProvider(keyFile: folder.appendingPathComponent(keyFile), issuer: issuer, clientID: clientID, user: user, clock: clock)
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
        #expect(id["token_use"] as? String == "id" && id["cognito:username"] as? String == "ana" && id["email"] as? String == "ana@example.org")
        #expect(id["exp"] as? Int == 1_800_003_600)
        #expect(try claims(tokens.accessToken)["token_use"] as? String == "access")
        let verified = try await identity.verify(idToken: tokens.idToken)
        #expect(verified.email == "ana@example.org" && verified.phone == "+34600123456" && verified.username == "ana")
        await #expect { _ = try await identity.verify(idToken: tokens.accessToken) } throws: { ($0 as? PAMError)?.code == .invalidSignature }
        clock.advance(by: 3600)
        await #expect { _ = try await identity.verify(idToken: tokens.idToken) } throws: { ($0 as? PAMError)?.code == .expired }
    }

    @Test("the key is made once and kept, so tokens survive a restart")
    func keyPersists() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let token = try provider().issueTokens().idToken
        #expect(try await provider().verify(idToken: token).username == "ana")
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("key.pem").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        await #expect(throws: PAMError.self) { _ = try await provider(keyFile: "other.pem").verify(idToken: token) }
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
        let publicKey = try _RSA.Signing.PublicKey(n: try #require(Base64URL.decode(key["n"]!)), e: try #require(Base64URL.decode(key["e"]!)))
        let token = try identity.issueTokens().idToken
        let header = try JSONSerialization.jsonObject(with: try #require(Base64URL.decode(token.split(separator: ".")[0]))) as! [String: String]
        #expect(header["kid"] == key["kid"])
        #expect(try JSONWebToken.verifiedClaims(token, keys: [key["kid"]!: publicKey])["sub"] != nil)
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

@Suite("HTTP edge helpers")
struct HTTPEdgeTests {
    @Test("byte ranges", arguments: [
        ("bytes=0-9", 100, ByteRange.partial(0..<10)), ("bytes=90-", 100, .partial(90..<100)), ("bytes=-10", 100, .partial(90..<100)),
        ("bytes=95-200", 100, .partial(95..<100)), ("bytes=-500", 100, .partial(0..<100)), ("bytes=100-", 100, .unsatisfiable),
        ("bytes=5-1", 100, .whole), ("bytes=0-1,5-6", 100, .whole), ("items=0-1", 100, .whole), ("bytes=-0", 100, .unsatisfiable),
        ("bytes=x-1", 100, .whole),
    ])
    func ranges(header: String, size: Int, expected: ByteRange) {
        #expect(ByteRange.parse(header, size: Int64(size)) == expected)
    }

    @Test("the recipient comes from the body, else the token's e-mail")
    func recipients() throws {
        let user = UserIdentity(subject: "s", username: "u", email: "me@example.org", phone: nil)
        #expect(try APIRoutes.recipient([:], user: user) == .email("me@example.org"))
        #expect(try APIRoutes.recipient(["email": "you@example.org"], user: user) == .email("you@example.org"))
        #expect(try APIRoutes.recipient(["phone": "+15555550123"], user: user) == .phone("+15555550123"))
        #expect(try APIRoutes.recipient(["email": NSNull()], user: user) == .email("me@example.org"))
        for body: [String: Any] in [["email": "a@b.co", "phone": "+15555550123"], ["email": 7], ["phone": "555"], ["email": "bad"]] {
            #expect(throws: ServerError.self) { try APIRoutes.recipient(body, user: user) }
        }
        #expect(throws: ServerError.self) { try APIRoutes.recipient([:], user: UserIdentity(subject: "s", username: "u", email: nil, phone: nil)) }
    }
}
