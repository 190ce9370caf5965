import Crypto
import Foundation
import PAMCore

/// The parts of an HTTP request that SigV4 signs, before signing.
///
/// `path` and the query items are *decoded*: the signer applies AWS's URI encoding itself, so a key
/// like `photos/lake view.jpg` is passed as is.
public struct SigV4Request: Sendable, Hashable {
    /// One query item or header, kept in order (repeated header names are allowed).
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// What the request's body contributes to the signature.
    public enum Payload: Sendable, Hashable {
        /// A body held in memory, hashed with SHA-256.
        case data(Data)
        /// The hex SHA-256 of the body, computed elsewhere.
        case sha256(String)
        /// `UNSIGNED-PAYLOAD`: the body is not signed (presigned URLs, streamed uploads over TLS).
        case unsigned

        /// No body at all.
        public static let empty = Payload.data(Data())

        /// The value that goes into the canonical request and `x-amz-content-sha256`.
        public var hash: String {
            switch self {
            case .data(let data): SHA256.hash(data: data).hexString
            case .sha256(let hex): hex
            case .unsigned: "UNSIGNED-PAYLOAD"
            }
        }
    }

    public var method: String
    /// The decoded path, starting with `/`.
    public var path: String
    public var query: [Field]
    /// The headers to sign; `host` must be among them.
    public var headers: [Field]
    public var payload: Payload

    public init(method: String, path: String, query: [Field] = [], headers: [Field], payload: Payload = .empty) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payload = payload
    }
}

extension Digest {
    var hexString: String { withUnsafeBytes { Array($0).hexString } }
}
