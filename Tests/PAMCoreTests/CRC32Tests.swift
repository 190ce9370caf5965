import CCRC32
import Foundation
import PAMCore
import Testing

/// CRC32 (the C target's folding and table paths) against a reference: the Swift slicing-by-16 engine
/// PAM used before, kept here, and zlib's values for fixed vectors.
@Suite("CRC-32 engines")
struct CRC32Tests {
    @Test("the fixed vectors hold for both polynomials, on the folding path too (inputs of 64 bytes and more)")
    func vectors() {
        #expect(CRC32.checksum(Data("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum(Data(repeating: UInt8(ascii: "a"), count: 66560)) == 0xB0AE_18EC)
        #expect(CRC32.checksum(Data(count: 1 << 20)) == 0xA738_EA1C)
        #expect(CRC32.checksum(Data((0..<1024).map { UInt8($0 & 0xFF) })) == 0xB70B_4C26)
        #expect(CRC32.checksum(Data(repeating: UInt8(ascii: "a"), count: 66560), .castagnoli) == 0xB0E3_BCFD)
    }

    @Test("any length 0...100,000 at any alignment: the dispatching and the portable paths equal the reference")
    func randomLengths() {
        let bytes = Self.bytes(100_016)
        let ieee = SlicingCRC32(reflectedPolynomial: 0xEDB8_8320)
        let castagnoli = SlicingCRC32(reflectedPolynomial: 0x82F6_3B78)
        bytes.withUnsafeBytes { all in
            for round in 0..<300 {
                let length = round < 130 ? round : Int(Self.mix(UInt64(round)) % 100_001)
                let offset = Int(Self.mix(UInt64(round) + 1_000_000) % 16)
                let slice = UnsafeRawBufferPointer(rebasing: all[offset..<offset + length])
                let expected = ieee.update(0, slice)
                let expectedC = castagnoli.update(0, slice)
                #expect(CRC32.checksum(slice) == expected, "length \(length) at offset \(offset)")
                #expect(ccrc32_update_portable(0, slice.baseAddress, slice.count) == expected, "length \(length)")
                #expect(CRC32.checksum(slice, .castagnoli) == expectedC, "length \(length) at offset \(offset)")
                #expect(ccrc32c_update_portable(0, slice.baseAddress, slice.count) == expectedC, "length \(length)")
            }
        }
    }

    @Test("updating piece by piece, at any cut, gives the one-shot checksum")
    func incremental() {
        let bytes = Self.bytes(70_000)
        for round in 0..<200 {
            let first = Int(Self.mix(UInt64(round) + 7) % 300)
            let second = round.isMultiple(of: 2) ? Int(Self.mix(UInt64(round) + 9) % 130) : Int(Self.mix(UInt64(round) + 9) % 60_000)
            for polynomial in [CRC32.Polynomial.ieee, .castagnoli] {
                var crc = CRC32(polynomial)
                crc.update(bytes[0..<first])
                crc.update(bytes[first..<first + second])
                crc.update(bytes[(first + second)...])
                #expect(crc.value == CRC32.checksum(bytes, polynomial), "cuts at \(first) and \(first + second)")
            }
        }
        #expect(ccrc32_update(ccrc32_update(0, nil, 0), nil, 0) == 0)
    }

    @Test("a CPU with PCLMULQDQ gets the folding engine")
    func engine() throws {
        #if arch(x86_64) && os(Linux)
            let cpu = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            let flags = cpu.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ") ?? []
            #expect(CRC32.engine == (flags.contains("pclmulqdq") && flags.contains("sse4_1") ? "pclmulqdq" : "slicing-by-16"))
        #else
            #expect(CRC32.engine == "slicing-by-16")
        #endif
    }

    /// SplitMix64's finaliser: a fixed, well-spread sequence without a generator.
    private static func mix(_ seed: UInt64) -> UInt64 {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: mix(UInt64($0)) >> 17) }
    }
}

/// The reference: a reflected 32-bit CRC by slicing-by-16 (PAM's engine before CCRC32), sixteen bytes per
/// step through sixteen tables.
private struct SlicingCRC32: Sendable {
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
