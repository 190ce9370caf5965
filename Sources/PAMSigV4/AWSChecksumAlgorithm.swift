import Crypto
import Foundation
import PAMCore

/// The flexible checksums S3 verifies, sent as `x-amz-checksum-<name>` headers or aws-chunked
/// trailers, base64 of the big-endian digest.
public enum AWSChecksumAlgorithm: String, Sendable, Hashable, CaseIterable {
    case crc32 = "CRC32"
    case crc32c = "CRC32C"
    case sha1 = "SHA1"
    case sha256 = "SHA256"

    /// `x-amz-checksum-crc32`
    public var headerName: String { "x-amz-checksum-" + rawValue.lowercased() }

    /// The algorithm of a header or trailer name (any case); nil for anything else.
    public init?(headerName: String) {
        guard let algorithm = Self.allCases.first(where: { $0.headerName == headerName.lowercased() }) else { return nil }
        self = algorithm
    }

    /// The digest's length in bytes.
    var digestLength: Int {
        switch self {
        case .crc32, .crc32c: 4
        case .sha1: 20
        case .sha256: 32
        }
    }

    /// The digest a base64 header or trailer value carries; nil when it is not base64 of the right length.
    func digest(base64 value: String) -> Data? {
        guard let data = Data(base64Encoded: value.trimmingCharacters(in: .whitespaces)), data.count == digestLength else { return nil }
        return data
    }
}

/// A checksum being computed over a body as it streams past.
struct RunningChecksum {
    private enum State {
        case crc32(CRC32)
        case crc32c(CRC32)
        case sha1(Insecure.SHA1)
        case sha256(SHA256)
    }

    let algorithm: AWSChecksumAlgorithm
    private var state: State

    init(_ algorithm: AWSChecksumAlgorithm) {
        self.algorithm = algorithm
        switch algorithm {
        case .crc32: state = .crc32(CRC32())
        case .crc32c: state = .crc32c(CRC32(.castagnoli))
        case .sha1: state = .sha1(Insecure.SHA1())
        case .sha256: state = .sha256(SHA256())
        }
    }

    mutating func update(_ data: Data) {
        switch state {
        case .crc32(var crc):
            crc.update(data)
            state = .crc32(crc)
        case .crc32c(var crc):
            crc.update(data)
            state = .crc32c(crc)
        case .sha1(var hash):
            hash.update(data: data)
            state = .sha1(hash)
        case .sha256(var hash):
            hash.update(data: data)
            state = .sha256(hash)
        }
    }

    /// The digest of everything so far, big-endian for the CRCs.
    func digest() -> Data {
        switch state {
        case .crc32(let crc): Self.bigEndian(crc.value)
        case .crc32c(let crc): Self.bigEndian(crc.value)
        case .sha1(let hash): Data(hash.finalize())
        case .sha256(let hash): Data(hash.finalize())
        }
    }

    private static func bigEndian(_ value: UInt32) -> Data { withUnsafeBytes(of: value.bigEndian) { Data($0) } }

    /// S3's refusal when the body does not match `expected`.
    func mismatch() -> SigV4Error {
        SigV4Error(.badDigest, "The \(algorithm.rawValue) you specified did not match the calculated checksum.")
    }
}
