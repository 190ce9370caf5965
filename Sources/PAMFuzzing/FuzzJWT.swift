import Crypto
import Foundation
import PAMAWS
import PAMCore
import PAMServer
import _CryptoExtras

extension FuzzTarget {
    /// Input, by its first byte: 0 — byte edits (`position high, position low, new byte` triples)
    /// to a valid id token; 1 — a claims document, signed with the pool's key; else — a token as
    /// text. Every token goes through the local sign-in's verifier and the Cognito verifier.
    package static let jwt = FuzzTarget(name: "jwt") { data in fuzzJWT(data) }
}

/// A local user pool with a fresh key, and a Cognito verifier that trusts its JWKS.
package enum JWTFixture {
    struct FixedClock: WallClock { func now() -> Date { Date(timeIntervalSince1970: 1_800_000_000) } }
    static let issuer = "http://127.0.0.1:9000/pam-local-pool", clientID = "pam-fuzz-client"
    /// The pool and its private key (the pool keeps its key in a file; this one lives only as long as it is read).
    static let pool: (local: LocalIdentityProvider, key: _RSA.Signing.PrivateKey) = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pam-fuzz-jwt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let user = LocalUser(username: "fuzz", email: "owner@example.com", phone: "+4915112345678", password: "fuzz")
        let file = folder.appendingPathComponent("key.pem")
        let local = try! LocalIdentityProvider(keyFile: file, issuer: issuer, clientID: clientID, user: user, clock: FixedClock())
        return (local, try! _RSA.Signing.PrivateKey(pemRepresentation: String(contentsOf: file, encoding: .utf8)))
    }()
    package static var local: LocalIdentityProvider { pool.local }
    static var privateKey: _RSA.Signing.PrivateKey { pool.key }
    static let jwks = try! local.jwks()
    static let keyID: String = {
        let set = try! JSONSerialization.jsonObject(with: jwks) as! [String: Any]
        return ((set["keys"] as! [[String: Any]])[0])["kid"] as! String
    }()
    package static let cognito = CognitoTokenVerifier(issuer: issuer, clientID: clientID, leeway: 0, now: { FixedClock().now() }) { jwks }
    /// A valid id token of the pool.
    package static let reference = try! local.issueTokens().idToken

    /// `claims` as the payload of a token signed with the pool's key.
    static func sign(claims: Data) -> String {
        let header = Data(#"{"alg":"RS256","kid":"\#(keyID)","typ":"JWT"}"#.utf8)
        let input = "\(base64URL(header)).\(base64URL(claims))"
        let signature = try! privateKey.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        return "\(input).\(base64URL(signature.rawRepresentation))"
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

@discardableResult
package func fuzzJWT(_ data: Data) -> Bool {
    var candidate = String(decoding: data, as: UTF8.self), claims: Data?
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
    if data.first == 0 {
        // A token changed in any byte is not the pool's token any more.
        let intact = token == JWTFixture.reference
        require((local != nil) == intact, "the local verifier \(intact ? "refuses the intact" : "accepts an edited") token \(token)")
        require((cognito != nil) == intact, "the Cognito verifier \(intact ? "refuses the intact" : "accepts an edited") token \(token)")
    } else if claims == nil {
        require(local == nil && cognito == nil, "a token not signed by the pool verifies: \(token)")
    }
    if let claims, local != nil || cognito != nil {
        // Each verifier enforces Cognito's id-token rules on the payload as its own JSON parser
        // reads it. They read duplicate names differently (JSONSerialization keeps the last,
        // JSONDecoder the first: a known finding, see FirstWinsClaims), so each is checked on its own.
        let text = String(decoding: claims, as: UTF8.self)
        if let local {
            let object = (try? JSONSerialization.jsonObject(with: claims)) as? [String: Any]
            require(object?["iss"] as? String == JWTFixture.issuer && object?["aud"] as? String == JWTFixture.clientID
                    && object?["token_use"] as? String == "id" && ((object?["exp"] as? NSNumber)?.doubleValue ?? 0) > 1_800_000_000,
                    "the local verifier accepts claims that break the id-token rules: \(text)")
            require(local.subject == object?["sub"] as? String, "the local identity's subject is not the token's 'sub': \(text)")
        }
        if let cognito {
            let first = try? JSONDecoder().decode(FirstWinsClaims.self, from: claims)
            require(first?.iss == JWTFixture.issuer && first?.aud.contains(JWTFixture.clientID) == true && first?.tokenUse == "id"
                    && (first?.exp ?? 0) > 1_800_000_000, "the Cognito verifier accepts claims that break the id-token rules: \(text)")
            require(cognito.subject == first?.sub && !cognito.subject.isEmpty, "the Cognito identity's subject is not the token's non-empty 'sub': \(text)")
        }
    }
    return local != nil || cognito != nil
}

/// The claims the Cognito verifier checks, read as JSONDecoder reads them (the first of duplicate
/// names wins, where RFC 7519 wants the last or a refusal).
private struct FirstWinsClaims: Decodable {
    let iss: String?, tokenUse: String?, exp: Double?, sub: String?, aud: [String]

    enum CodingKeys: String, CodingKey { case iss, tokenUse = "token_use", exp, sub, aud }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try? container.decode(String.self, forKey: .iss)
        tokenUse = try? container.decode(String.self, forKey: .tokenUse)
        exp = try? container.decode(Double.self, forKey: .exp)
        sub = try? container.decode(String.self, forKey: .sub)
        aud = (try? container.decode(String.self, forKey: .aud)).map { [$0] }
            ?? (try? container.decode([Lossy].self, forKey: .aud))?.compactMap(\.string) ?? []
    }

    /// An array element that is a string, or anything else.
    struct Lossy: Decodable {
        let string: String?
        init(from decoder: any Decoder) throws { string = try? decoder.singleValueContainer().decode(String.self) }
    }
}
