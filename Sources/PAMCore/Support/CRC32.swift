import Foundation

/// CRC-32, slicing-by-16: IEEE 802.3 by default (zip's, S3's `ChecksumCRC32`), or Castagnoli
/// (CRC-32C: iSCSI's, S3's `ChecksumCRC32C`).
public struct CRC32: Sendable {
    /// Which CRC-32.
    public enum Polynomial: Sendable {
        case ieee, castagnoli
    }

    public private(set) var value: UInt32 = 0
    private let engine: SlicingCRC32

    public init(_ polynomial: Polynomial = .ieee) {
        engine = polynomial == .ieee ? Self.ieee : Self.castagnoli
    }

    /// Folds `bytes` into the running checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        value = engine.update(value, bytes)
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

    private static let ieee = SlicingCRC32(reflectedPolynomial: 0xEDB8_8320)
    private static let castagnoli = SlicingCRC32(reflectedPolynomial: 0x82F6_3B78)
}

/// A reflected 32-bit CRC by slicing-by-16: sixteen bytes per step through sixteen tables. The one
/// engine of both CRC-32s, which differ only in their polynomial.
struct SlicingCRC32: Sendable {
    /// Sixteen 256-entry tables, table k advancing a byte through k further zero bytes.
    private let tables: [UInt32]

    init(reflectedPolynomial polynomial: UInt32) {
        var tables = [UInt32](repeating: 0, count: 16 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            for slice in 1..<16 {
                let previous = tables[(slice - 1) * 256 + byte]
                tables[slice * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        self.tables = tables
    }

    /// The checksum `value` continued over `bytes`.
    func update(_ value: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = ~value
        var index = 0
        let count = bytes.count
        tables.withUnsafeBufferPointer { table in
            while count - index >= 16 {
                let one = bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian ^ crc
                let two = bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self).littleEndian
                let three = bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt32.self).littleEndian
                let four = bytes.loadUnaligned(fromByteOffset: index + 12, as: UInt32.self).littleEndian
                crc = Self.fold(one, table, 12) ^ Self.fold(two, table, 8) ^ Self.fold(three, table, 4) ^ Self.fold(four, table, 0)
                index += 16
            }
            while index < count {
                crc = table[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc >> 8)
                index += 1
            }
        }
        return ~crc
    }

    /// The four bytes of `word` through tables `base + 3` … `base` (lowest byte, furthest table).
    @inline(__always)
    private static func fold(_ word: UInt32, _ table: UnsafeBufferPointer<UInt32>, _ base: Int) -> UInt32 {
        table[(base + 3) * 256 + Int(word & 0xFF)] ^ table[(base + 2) * 256 + Int((word >> 8) & 0xFF)]
            ^ table[(base + 1) * 256 + Int((word >> 16) & 0xFF)] ^ table[base * 256 + Int(word >> 24)]
    }
}
