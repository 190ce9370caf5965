import Crypto
import Foundation
import PAMCore

/// Checks a body against the digests its headers claim — `Content-MD5`, one `x-amz-checksum-*`,
/// and `x-amz-content-sha256` when it is a hash — as the body streams past.
///
/// Headers are read when the check is made (400 `InvalidDigest` for a `Content-MD5` that is not
/// base64 of 16 bytes, 400 `InvalidRequest` for a bad or second checksum header); the body is
/// compared when it ends (400 `XAmzContentSHA256Mismatch`, 400 `BadDigest`). For an aws-chunked
/// body, check the decoded stream: `check.verify(decoder.decode(body))`.
public struct AWSBodyCheck: Sendable {
    /// The MD5 `Content-MD5` claims.
    public let contentMD5: Data?
    /// The `x-amz-checksum-*` header's algorithm and digest.
    public let checksum: (algorithm: AWSChecksumAlgorithm, digest: Data)?
    /// The hex SHA-256 `x-amz-content-sha256` claims.
    public let contentSHA256: String?

    /// The checks `headers` ask for; `payload` is the verified request's payload mode.
    public init(headers: [SigV4Request.Field], payload: SigV4PayloadMode) throws {
        let request = SigV4ReceivedRequest(method: "", path: "/", headers: headers)
        if let md5 = request.header("Content-MD5") {
            guard let digest = Data(base64Encoded: md5), digest.count == 16 else {
                throw SigV4Error(.invalidDigest, "The Content-MD5 you specified is not valid.", details: [.init("Content-MD5", md5)])
            }
            contentMD5 = digest
        } else {
            contentMD5 = nil
        }
        let claimed = AWSChecksumAlgorithm.allCases.compactMap { algorithm in request.header(algorithm.headerName).map { (algorithm, $0) } }
        guard claimed.count <= 1 else {
            throw SigV4Error(.invalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
        }
        if let claim = claimed.first {
            guard let digest = claim.0.digest(base64: claim.1) else {
                throw SigV4Error(.invalidRequest, "Value for \(claim.0.headerName) header is invalid.")
            }
            checksum = (claim.0, digest)
        } else {
            checksum = nil
        }
        if case .sha256(let hex) = payload { contentSHA256 = hex } else { contentSHA256 = nil }
    }

    /// Nothing to check.
    public var isEmpty: Bool { contentMD5 == nil && checksum == nil && contentSHA256 == nil }

    /// `body`, unchanged, ending with an error instead of normally when it does not match.
    public func verify(_ body: ByteStream) -> ByteStream {
        guard !isEmpty else { return body }
        let state = BodyDigests(self, body)
        return ByteStream(count: body.count) { try await state.next() }
    }

    static func contentSHA256Mismatch(declared: String, computed: String) -> SigV4Error {
        SigV4Error(
            .xAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.",
            details: [.init("ClientComputedContentSHA256", declared), .init("S3ComputedContentSHA256", computed)])
    }
}

/// The digests of one body being checked.
private final class BodyDigests: @unchecked Sendable {
    // Unchecked: a ByteStream is pulled by one consumer at a time, so the state is never shared.
    private let check: AWSBodyCheck
    private var iterator: ByteStream.AsyncIterator
    private var md5: Insecure.MD5?
    private var sha256: SHA256?
    private var checksum: RunningChecksum?

    init(_ check: AWSBodyCheck, _ body: ByteStream) {
        self.check = check
        iterator = body.makeAsyncIterator()
        md5 = check.contentMD5.map { _ in Insecure.MD5() }
        sha256 = check.contentSHA256.map { _ in SHA256() }
        checksum = check.checksum.map { RunningChecksum($0.algorithm) }
    }

    func next() async throws -> Data? {
        guard let piece = try await iterator.next() else {
            try finish()
            return nil
        }
        md5?.update(data: piece)
        sha256?.update(data: piece)
        checksum?.update(piece)
        return piece
    }

    private func finish() throws {
        if let expected = check.contentSHA256, let computed = sha256.map({ Data($0.finalize()).hexString }), computed != expected {
            throw AWSBodyCheck.contentSHA256Mismatch(declared: expected, computed: computed)
        }
        if let expected = check.contentMD5, let computed = md5.map({ Data($0.finalize()) }), computed != expected {
            throw SigV4Error(
                .badDigest, "The Content-MD5 you specified did not match what we received.",
                details: [
                    .init("ExpectedDigest", expected.base64EncodedString()), .init("CalculatedDigest", computed.base64EncodedString()),
                ])
        }
        if let expected = check.checksum?.digest, let checksum, checksum.digest() != expected { throw checksum.mismatch() }
    }
}
