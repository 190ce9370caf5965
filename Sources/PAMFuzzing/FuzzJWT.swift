import Crypto
import Foundation
import PAMAWS
import PAMCore
import PAMLocal
import PAMWebToken
import _CryptoExtras

extension FuzzTarget {
    /// Input, by its first byte: 0 — byte edits (`position high, position low, new byte` triples)
    /// to a valid id token; 1 — a claims document, signed with the pool's key; else — a token as
    /// text. Every token goes through the local sign-in's verifier and the Cognito verifier, which
    /// must agree: both are `IDTokenValidator` with no leeway, on the same key.
    package static let jwt = FuzzTarget(name: "jwt") { data in fuzzJWT(data) }
}

/// A local user pool with a fresh key, and a Cognito verifier that trusts its JWKS.
package enum JWTFixture {
    static let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
    static let issuer = "http://127.0.0.1:9000/pam-local-pool", clientID = "pam-fuzz-client"
    /// The pool and its private key (the pool keeps its key in a file; this one lives only as long as it is read).
    static let pool: (local: LocalIdentityProvider, key: _RSA.Signing.PrivateKey) = {
        let state = StateDirectory(FileManager.default.temporaryDirectory.appendingPathComponent("pam-fuzz-jwt-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: state.root) }
        let user = LocalUser(username: "fuzz", email: "owner@example.com", phone: "+4915112345678", password: "fuzz")
        let local = try! LocalIdentityProvider(state: state, issuer: issuer, clientID: clientID, user: user, clock: clock)
        return (local, try! _RSA.Signing.PrivateKey(pemRepresentation: String(contentsOf: state.signInKey, encoding: .utf8)))
    }()
    package static var local: LocalIdentityProvider { pool.local }
    static var privateKey: _RSA.Signing.PrivateKey { pool.key }
    static let jwks = try! local.jwks()
    static let keyID = try! JSONWebKeySet(parsing: jwks).keys.keys.first!
    package static let cognito = CognitoTokenVerifier(issuer: issuer, clientID: clientID, leeway: 0, clock: clock) { jwks }
    /// A valid id token of the pool.
    package static let reference = try! local.issueTokens().idToken

    /// `claims` as the payload of a token signed with the pool's key.
    static func sign(claims: Data) -> String {
        try! JSONWebToken.sign(header: .init(alg: "RS256", kid: keyID), claims: claims) { input in
            try privateKey.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        }
    }
}

@discardableResult
package func fuzzJWT(_ data: Data) -> Bool {
    var candidate = String(decoding: data, as: UTF8.self)
    var claims: Data?
    switch data.first {
    case 0?:
        var bytes = Array(JWTFixture.reference.utf8)
        for edit in stride(from: 1, to: data.count - 2, by: 3) {
            let index = data.index(data.startIndex, offsetBy: edit)
            bytes[(Int(data[index]) << 8 | Int(data[index + 1])) % bytes.count] = data[index + 2]
        }
        candidate = String(decoding: bytes, as: UTF8.self)
    case 1?:
        claims = data.dropFirst()
        candidate = JWTFixture.sign(claims: data.dropFirst())
    default:
        break
    }
    let token = candidate
    let local = try? runBlocking { try await JWTFixture.local.verify(idToken: token) }.get()
    let cognito = try? runBlocking { try await JWTFixture.cognito.verify(idToken: token) }.get()
    // One validator on one key: the two verifiers agree on every token, and on its user.
    require(local == cognito, "the local and the Cognito verifier disagree on \(token)")
    if data.first == 0 {
        // A token changed in any byte is not the pool's token any more.
        let intact = token == JWTFixture.reference
        require((local != nil) == intact, "the verifiers \(intact ? "refuse the intact" : "accept an edited") token \(token)")
    } else if claims == nil {
        require(local == nil, "a token not signed by the pool verifies: \(token)")
    }
    if let claims, let identity = local ?? cognito {
        // The id-token rules hold on the payload however a JSON parser reads it: JSONDecoder keeps
        // the first of duplicate names (FirstWinsClaims), JSONSerialization the last. The verifiers
        // refuse duplicate names, so an accepted token means one thing to both.
        let text = String(decoding: claims, as: UTF8.self)
        let first = try? JSONDecoder().decode(FirstWinsClaims.self, from: claims)
        require(
            first?.iss == JWTFixture.issuer && first?.aud.contains(JWTFixture.clientID) == true && first?.tokenUse == "id"
                && (first?.exp ?? 0) > 1_800_000_000, "the verifiers accept claims that break the id-token rules: \(text)")
        let last = (try? JSONSerialization.jsonObject(with: claims)) as? [String: Any]
        let audience = (last?["aud"] as? String).map { [$0] } ?? (last?["aud"] as? [Any])?.compactMap { $0 as? String } ?? []
        require(
            last?["iss"] as? String == JWTFixture.issuer && audience.contains(JWTFixture.clientID)
                && last?["token_use"] as? String == "id" && ((last?["exp"] as? NSNumber)?.doubleValue ?? 0) > 1_800_000_000,
            "the verifiers accept claims that break the id-token rules as JSONSerialization reads them: \(text)")
        require(
            identity.subject == first?.sub && identity.subject == last?["sub"] as? String && !identity.subject.isEmpty,
            "the identity's subject is not the token's non-empty 'sub': \(text)")
    }
    return local != nil || cognito != nil
}

/// The claims the verifiers check, read as JSONDecoder reads them (the first of duplicate names
/// wins, where RFC 7519 wants the last or a refusal).
private struct FirstWinsClaims: Decodable {
    let iss: String?, tokenUse: String?, exp: Double?, sub: String?, aud: [String]

    enum CodingKeys: String, CodingKey {
        case iss
        case tokenUse = "token_use"
        case exp, sub, aud
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try? container.decode(String.self, forKey: .iss)
        tokenUse = try? container.decode(String.self, forKey: .tokenUse)
        exp = try? container.decode(Double.self, forKey: .exp)
        sub = try? container.decode(String.self, forKey: .sub)
        aud =
            (try? container.decode(String.self, forKey: .aud)).map { [$0] }
            ?? (try? container.decode([Lossy].self, forKey: .aud))?.compactMap(\.string) ?? []
    }

    /// An array element that is a string, or anything else.
    struct Lossy: Decodable {
        let string: String?
        init(from decoder: any Decoder) throws { string = try? decoder.singleValueContainer().decode(String.self) }
    }
}
