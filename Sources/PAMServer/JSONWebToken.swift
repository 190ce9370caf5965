import Crypto
import Foundation
import PAMCore
import _CryptoExtras

/// Compact RS256 JSON Web Tokens: what Cognito issues and what the API verifies.
enum JSONWebToken {
    /// `header.claims.signature`, signed with RSASSA-PKCS1-v1_5 over SHA-256.
    static func sign(claims: [String: Any], keyID: String, key: _RSA.Signing.PrivateKey) throws -> String {
        let header = try JSONSerialization.data(withJSONObject: ["alg": "RS256", "kid": keyID, "typ": "JWT"], options: [.sortedKeys])
        let body = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let input = "\(Base64URL.encode(header)).\(Base64URL.encode(body))"
        let signature = try key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        return "\(input).\(Base64URL.encode(signature.rawRepresentation))"
    }

    /// The claims of a token whose RS256 signature verifies under the key named by its `kid`.
    /// Every other algorithm (`none`, `HS256` …) is refused.
    static func verifiedClaims(_ token: String, keys: [String: _RSA.Signing.PublicKey]) throws -> [String: Any] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerData = Base64URL.decode(parts[0]), let bodyData = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]),
              let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any],
              let claims = try? JSONSerialization.jsonObject(with: bodyData) as? [String: Any]
        else { throw PAMError(.invalidSignature, "the token is not a well-formed JWT") }
        guard header["alg"] as? String == "RS256" else { throw PAMError(.invalidSignature, "the token is not signed with RS256") }
        guard let keyID = header["kid"] as? String, let key = keys[keyID] else {
            throw PAMError(.invalidSignature, "the token is signed by an unknown key")
        }
        let input = Data("\(parts[0]).\(parts[1])".utf8)
        guard key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: input, padding: .insecurePKCS1v1_5) else {
            throw PAMError(.invalidSignature, "the token's signature does not verify")
        }
        return claims
    }
}

/// Base64 with the URL-safe alphabet and no padding (RFC 7515, section 2).
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of canonical base64url text only: Foundation ignores the unused low bits of the
    /// last character, so without the round trip one token had several spellings that verified.
    static func decode(_ text: some StringProtocol) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), encode(data) == text else { return nil }
        return data
    }
}
