import Foundation
import PAMCore
import _CryptoExtras

/// The RSA signing keys of a JSON Web Key Set (RFC 7517), by key id: what a user pool publishes
/// at `/.well-known/jwks.json` and a verifier fetches.
public struct JSONWebKeySet: Sendable {
    public var keys: [String: _RSA.Signing.PublicKey]

    public init(keys: [String: _RSA.Signing.PublicKey]) { self.keys = keys }

    /// The RS256 signing keys of `data`; keys of other types, uses or algorithms, and keys whose
    /// `n` or `e` are not canonical base64url, are skipped. Throws `.invalidSignature` unless
    /// `data` is a key set.
    public init(parsing data: Data) throws {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw PAMError(.invalidSignature, "the JWKS is not a key set", underlying: error)
        }
        var keys: [String: _RSA.Signing.PublicKey] = [:]
        for key in document.keys where key.kty == "RSA" && (key.use ?? "sig") == "sig" && (key.alg ?? "RS256") == "RS256" {
            guard let kid = key.kid, let n = key.n.flatMap(Base64URL.decode), let e = key.e.flatMap(Base64URL.decode),
                let publicKey = try? _RSA.Signing.PublicKey(n: n, e: e)
            else { continue }
            keys[kid] = publicKey
        }
        self.keys = keys
    }

    /// The set as JSON, keys sorted by id, each `{"alg": "RS256", "e", "kid", "kty": "RSA", "n", "use": "sig"}`.
    public func data() throws -> Data {
        let entries = try keys.sorted { $0.key < $1.key }.map { kid, key in
            let primitives = try key.getKeyPrimitives()
            return Document.Key(
                kty: "RSA", kid: kid, n: Base64URL.encode(primitives.modulus),
                e: Base64URL.encode(primitives.publicExponent), use: "sig", alg: "RS256")
        }
        return try JSONWebToken.encode(Document(keys: entries))
    }

    private struct Document: Codable {
        struct Key: Codable {
            let kty: String
            let kid: String?
            let n: String?
            let e: String?
            let use: String?
            let alg: String?
        }
        let keys: [Key]
    }
}
