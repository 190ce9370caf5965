internal import CCRC32
import Foundation

/// CRC-32: IEEE 802.3 by default (zip's, S3's `ChecksumCRC32`), or Castagnoli (CRC-32C: iSCSI's, S3's
/// `ChecksumCRC32C`). Computed by the C target CCRC32: carry-less-multiply folding where the CPU has
/// PCLMULQDQ (several GB/s, the memory's speed), slicing-by-16 tables elsewhere.
public struct CRC32: Sendable {
    /// Which CRC-32.
    public enum Polynomial: Sendable {
        case ieee, castagnoli
    }

    public private(set) var value: UInt32 = 0
    private let polynomial: Polynomial

    public init(_ polynomial: Polynomial = .ieee) {
        self.polynomial = polynomial
    }

    /// Folds `bytes` into the running checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        switch polynomial {
        case .ieee: value = ccrc32_update(value, base, bytes.count)
        case .castagnoli: value = ccrc32c_update(value, base, bytes.count)
        }
    }

    public mutating func update<D: ContiguousBytes>(_ data: D) {
        data.withUnsafeBytes { update($0) }
    }

    /// The checksum of `data` in one call.
    public static func checksum<D: ContiguousBytes>(_ data: D, _ polynomial: Polynomial = .ieee) -> UInt32 {
        var crc = CRC32(polynomial)
        crc.update(data)
        return crc.value
    }

    /// A CRC as S3's `x-amz-checksum-crc32`/`-crc32c` headers carry it: base64 of its 4 big-endian bytes.
    public static func base64(_ value: UInt32) -> String {
        Data([UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]).base64EncodedString()
    }

    /// The CRC such a header carries; nil unless it is base64 of 4 bytes.
    public static func value(base64 text: String) -> UInt32? {
        guard let data = Data(base64Encoded: text), data.count == 4 else { return nil }
        return data.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// How this CPU computes it: "pclmulqdq" or "slicing-by-16" (benchmarks print it).
    public static var engine: String { String(cString: ccrc32_engine()) }
}
