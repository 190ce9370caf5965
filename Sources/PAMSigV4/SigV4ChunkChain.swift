import Crypto
import Foundation
import PAMCore

/// The signatures of an aws-chunked body: each chunk's signature covers the chunk and the previous
/// signature, starting from the request's own ("seed") signature, and the trailer's covers the
/// trailing headers and the last chunk's. Holds what computing them needs: the request's signing
/// key, timestamp and scope.
public struct SigV4ChunkChain: Sendable {
    /// The hex SHA-256 of no bytes, which every chunk's string to sign carries.
    public static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The request's signing key (kept as bytes: `SymmetricKey` is not `Sendable`).
    private let keyBytes: Data
    public var signingKey: SymmetricKey { SymmetricKey(data: keyBytes) }
    public let timestamp: AWSTimestamp
    /// `20130524/us-east-1/s3/aws4_request`
    public let scope: String
    /// The request's signature, which the first chunk's signature chains from.
    public let seedSignature: String

    public init(signingKey: SymmetricKey, timestamp: AWSTimestamp, scope: String, seedSignature: String) {
        self.keyBytes = signingKey.withUnsafeBytes { Data($0) }
        self.timestamp = timestamp
        self.scope = scope
        self.seedSignature = seedSignature
    }

    /// The chain of a request `signer` signed at `date` with `seedSignature` (a client's view).
    public init(signer: SigV4Signer, date: Date, seedSignature: String) {
        let timestamp = AWSTimestamp(date)
        self.init(
            signingKey: signer.signingKey(timestamp: timestamp), timestamp: timestamp, scope: signer.scope(timestamp),
            seedSignature: seedSignature)
    }

    /// The string to sign of a chunk whose bytes hash to `chunkSHA256`, after signature `previous`.
    public func chunkStringToSign(previous: String, chunkSHA256: String) -> String {
        ["AWS4-HMAC-SHA256-PAYLOAD", timestamp.dateTime, scope, previous, Self.emptySHA256, chunkSHA256].joined(separator: "\n")
    }

    /// The signature of a chunk whose bytes hash to `chunkSHA256`, after signature `previous`.
    public func chunkSignature(previous: String, chunkSHA256: String) -> String {
        sign(chunkStringToSign(previous: previous, chunkSHA256: chunkSHA256))
    }

    /// The signature of `chunk` after signature `previous`.
    public func chunkSignature(previous: String, chunk: Data) -> String {
        chunkSignature(previous: previous, chunkSHA256: Data(SHA256.hash(data: chunk)).hexString)
    }

    /// What SDKs start the trailer's string to sign with.
    public static let trailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER"

    /// The string to sign of the trailer: `canonicalTrailers` is one `name:value\n` line per
    /// trailing header (lower-case names, sorted, without `x-amz-trailer-signature`). SDKs start it
    /// with `AWS4-HMAC-SHA256-TRAILER`; AWS's documented example was computed with
    /// `AWS4-HMAC-SHA256-PAYLOAD` in its place, and the decoder accepts both.
    public func trailerStringToSign(previous: String, canonicalTrailers: String, algorithm: String = Self.trailerAlgorithm) -> String {
        [algorithm, timestamp.dateTime, scope, previous, Data(SHA256.hash(data: Data(canonicalTrailers.utf8))).hexString]
            .joined(separator: "\n")
    }

    /// The trailer's signature after the final (empty) chunk's signature `previous`.
    public func trailerSignature(previous: String, canonicalTrailers: String, algorithm: String = Self.trailerAlgorithm) -> String {
        sign(trailerStringToSign(previous: previous, canonicalTrailers: canonicalTrailers, algorithm: algorithm))
    }

    private func sign(_ text: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: signingKey)).hexString
    }
}
