/// What `x-amz-content-sha256` declares about the body, and so how the endpoint must read it.
public enum SigV4PayloadMode: Sendable, Hashable {
    /// The body's hex SHA-256: the body must hash to it (`AWSBodyCheck` checks).
    case sha256(String)
    /// `UNSIGNED-PAYLOAD`, and every presigned request: the body is not signed.
    case unsigned
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: aws-chunked, each chunk signed.
    case streamingSigned
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: aws-chunked, each chunk and the trailer signed.
    case streamingSignedTrailer
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: aws-chunked, unsigned, with a checksum trailer.
    case streamingUnsignedTrailer

    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    public static let streamingSignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    public static let streamingSignedPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
    public static let streamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"

    /// The mode a header value declares; nil for anything else (SigV4a's ECDSA variants included).
    public init?(headerValue: String) {
        switch headerValue {
        case Self.unsignedPayload: self = .unsigned
        case Self.streamingSignedPayload: self = .streamingSigned
        case Self.streamingSignedPayloadTrailer: self = .streamingSignedTrailer
        case Self.streamingUnsignedPayloadTrailer: self = .streamingUnsignedTrailer
        default:
            guard headerValue.utf8.count == 64, headerValue.utf8.allSatisfy(Self.isLowerHex) else { return nil }
            self = .sha256(headerValue)
        }
    }

    /// The value as it appears in `x-amz-content-sha256` and at the end of the canonical request.
    public var headerValue: String {
        switch self {
        case .sha256(let hex): hex
        case .unsigned: Self.unsignedPayload
        case .streamingSigned: Self.streamingSignedPayload
        case .streamingSignedTrailer: Self.streamingSignedPayloadTrailer
        case .streamingUnsignedTrailer: Self.streamingUnsignedPayloadTrailer
        }
    }

    /// The body is aws-chunked (`AWSChunkedDecoder` reads it).
    public var isChunked: Bool {
        switch self {
        case .streamingSigned, .streamingSignedTrailer, .streamingUnsignedTrailer: true
        case .sha256, .unsigned: false
        }
    }

    /// Each chunk carries a `chunk-signature`.
    public var signsChunks: Bool { self == .streamingSigned || self == .streamingSignedTrailer }

    /// The chunks end with a trailer (`x-amz-trailer` names it).
    public var hasTrailer: Bool { self == .streamingSignedTrailer || self == .streamingUnsignedTrailer }

    static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
