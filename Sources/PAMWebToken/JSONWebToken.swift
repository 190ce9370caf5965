import Crypto
import Foundation
import PAMCore
import _CryptoExtras

/// A compact JWS (`header.payload.signature`, RFC 7515), split and decoded but not yet verified.
///
/// A header or claims object that names a member twice is refused (RFC 7519 allows that or
/// "the last wins"; one refusal leaves no room for two readings of one token).
public struct JSONWebToken: Sendable {
    public struct Header: Codable, Sendable, Hashable {
        public var alg: String
        public var kid: String?
        public var typ: String?

        public init(alg: String, kid: String?, typ: String? = "JWT") {
            self.alg = alg
            self.kid = kid
            self.typ = typ
        }
    }

    public let header: Header
    /// The claims, as JSON values.
    public let claims: [String: JSONValue]
    /// `header.payload` as written, the bytes the signature covers.
    public let signingInput: Data
    public let signature: Data

    /// Splits and decodes `compact`; throws `.invalidSignature` unless it is three canonical
    /// base64url parts, a JSON header with `alg`, a JSON object of claims and a non-empty signature.
    public init(compact: String) throws {
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]), let payloadData = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2]), !signature.isEmpty
        else { throw PAMError(.invalidSignature, "the token is not a signed JWT") }
        do {
            header = try JSONDecoder().decode(Header.self, from: headerData)
            claims = try JSONDecoder().decode([String: JSONValue].self, from: payloadData)
        } catch {
            throw PAMError(.invalidSignature, "the token's header or claims are not JSON")
        }
        guard !JSONNameScanner.hasDuplicateNames(headerData), !JSONNameScanner.hasDuplicateNames(payloadData) else {
            throw PAMError(.invalidSignature, "the token's header or claims name a member twice")
        }
        signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        self.signature = signature
    }

    /// Throws `.invalidSignature` unless the token is RS256 (RSASSA-PKCS1-v1_5 over SHA-256) and
    /// its signature verifies under `key`. Every other algorithm (`none`, `HS256` …) is refused.
    public func verifyRS256(_ key: _RSA.Signing.PublicKey) throws {
        guard header.alg == "RS256" else { throw PAMError(.invalidSignature, "the token is not signed with RS256") }
        let signature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        guard key.isValidSignature(signature, for: SHA256.hash(data: signingInput), padding: .insecurePKCS1v1_5) else {
            throw PAMError(.invalidSignature, "the token's signature does not verify")
        }
    }

    /// `claims` as a compact RS256 token signed with `key`, naming `keyID` in its header.
    public static func signRS256(claims: [String: JSONValue], keyID: String, key: _RSA.Signing.PrivateKey) throws -> String {
        try sign(header: Header(alg: "RS256", kid: keyID), claims: encode(claims)) { input in
            try key.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        }
    }

    /// A compact token of any header and payload bytes, signed by `signer` over `header.payload`:
    /// for tests and fuzzing, which need tokens a verifier must refuse.
    public static func sign(header: Header, claims: Data, signer: (Data) throws -> Data) throws -> String {
        let input = "\(Base64URL.encode(try encode(header))).\(Base64URL.encode(claims))"
        return "\(input).\(Base64URL.encode(try signer(Data(input.utf8))))"
    }

    /// JSON with sorted keys and unescaped slashes, so a token's bytes depend only on its values.
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
