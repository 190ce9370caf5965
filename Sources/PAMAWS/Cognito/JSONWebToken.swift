import Foundation
import PAMCore

/// A compact JWS (`header.payload.signature`), split and decoded but not yet verified.
struct JSONWebToken: Sendable {
    struct Header: Decodable, Sendable {
        let alg: String
        let kid: String?
        let typ: String?
    }

    let header: Header
    /// The claims, as JSON values.
    let claims: [String: JSONValue]
    /// `header.payload`, the bytes the signature covers.
    let signingInput: Data
    let signature: Data

    init(_ token: String) throws {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Self.base64URLDecode(parts[0]), let payloadData = Self.base64URLDecode(parts[1]),
              let signature = Self.base64URLDecode(parts[2]), !signature.isEmpty
        else { throw PAMError(.invalidSignature, "the token is not a signed JWT") }
        do {
            header = try JSONDecoder().decode(Header.self, from: headerData)
            claims = try JSONDecoder().decode([String: JSONValue].self, from: payloadData)
        } catch {
            throw PAMError(.invalidSignature, "the token's header or claims are not JSON")
        }
        signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        self.signature = signature
    }

    /// The bytes of canonical base64url text only (RFC 7515: the URL-safe alphabet, no padding,
    /// no stray bits), so a token has exactly one spelling: `+`, `/`, `=` and changed unused bits
    /// of the last character all verified before.
    static func base64URLDecode(_ text: some StringProtocol) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), base64URLEncode(data) == text else { return nil }
        return data
    }

    static func base64URLEncode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// A JSON value, for claims whose types vary (`aud` is a string or an array).
enum JSONValue: Decodable, Sendable, Hashable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }
    /// A string, or the strings of an array.
    var strings: [String] {
        switch self {
        case .string(let value): [value]
        case .array(let values): values.compactMap(\.string)
        default: []
        }
    }
}
