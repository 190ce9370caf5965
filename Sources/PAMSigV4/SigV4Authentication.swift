import Foundation

/// What a verified request proved, and what the endpoint needs next: who signed it, the scope it
/// was signed for (the endpoint routes by its service), how its body must be read, and the chain
/// that checks an aws-chunked body's signatures.
public struct SigV4Authentication: Sendable {
    /// Where the signature was.
    public enum Location: Sendable, Hashable {
        /// The `Authorization` header.
        case header
        /// The query of a presigned URL, valid until `expires`.
        case query(expires: Date)
    }

    public let accessKeyID: String
    /// The credential scope's region, `us-east-1`.
    public let region: String
    /// The credential scope's service, `s3`, `dynamodb` …
    public let service: String
    /// The signing time (`X-Amz-Date`).
    public let date: Date
    public let location: Location
    /// What `x-amz-content-sha256` declared; `.unsigned` for presigned requests without it.
    public let payload: SigV4PayloadMode
    /// The lower-case names of the signed headers, in the request's order.
    public let signedHeaders: [String]
    /// The request's signature, the signing key and the scope: what the aws-chunked decoder checks
    /// chunk and trailer signatures with.
    public let chain: SigV4ChunkChain

    /// The request's signature.
    public var signature: String { chain.seedSignature }
}
