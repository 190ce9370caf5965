import Foundation

/// CRC-32C (Castagnoli, the polynomial of iSCSI and S3's `ChecksumCRC32C`), on `CRC32`'s engine.
public struct CRC32C: Sendable {
    public private(set) var value: UInt32 = 0

    public init() {}

    /// Folds `bytes` into the running checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        value = Self.engine.update(value, bytes)
    }

    public mutating func update<D: ContiguousBytes>(_ data: D) {
        data.withUnsafeBytes { update($0) }
    }

    /// The checksum of `data` in one call.
    public static func checksum<D: ContiguousBytes>(_ data: D) -> UInt32 {
        var crc = CRC32C()
        crc.update(data)
        return crc.value
    }

    private static let engine = SlicingCRC32(reflectedPolynomial: 0x82F6_3B78)
}
