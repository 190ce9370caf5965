import CMD5
import Crypto
import Foundation
import Testing

@testable import PAMLocal

@Suite("MD5 of many bodies at once")
struct MD5LanesTests {
    /// Lengths at every edge of MD5's 64-byte blocks and its 9 bytes of padding, then longer ones.
    static let lengths = Array(0...130) + [191, 192, 193, 1_000, 4_095, 4_096, 65_537, 150_001, 1 << 20]

    static func body(_ length: Int, seed: Int) -> Data {
        var state = UInt64(truncatingIfNeeded: seed &* 0x9E37_79B9 &+ length)
        return Data(
            (0..<length).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            })
    }

    @Test("RFC 1321's test suite, each alone and all together")
    func rfcVectors() {
        let vectors = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"), ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"), ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        let together = MD5Lanes.digests(of: vectors.map { Data($0.0.utf8) }).map(\.hexString)
        #expect(together == vectors.map(\.1))
        for (text, digest) in vectors { #expect(MD5Lanes.digests(of: [Data(text.utf8)]).map(\.hexString) == [digest]) }
    }

    @Test("every length around the block edges, in groups of every size, as one-by-one MD5", arguments: [1, 2, 7, 8, 9, 17, 65, 140])
    func agreesWithMD5(groupSize: Int) {
        let bodies = (0..<groupSize).map { Self.body(Self.lengths[($0 * 37 + groupSize) % Self.lengths.count], seed: $0) }
        let expected = bodies.map { Data(Insecure.MD5.hash(data: $0)) }
        #expect(MD5Lanes.digests(of: bodies) == expected)
    }

    @Test("all lengths at once: the SIMD lanes and the portable path agree with MD5")
    func bothPathsAgree() {
        let bodies = Self.lengths.enumerated().map { Self.body($1, seed: $0) }
        let expected = bodies.map { Data(Insecure.MD5.hash(data: $0)) }
        #expect(MD5Lanes.digests(of: bodies) == expected)
        var digests = [UInt8](repeating: 0, count: 16 * bodies.count)
        var lengths = bodies.map(\.count)
        let copies = bodies.map { body in
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(body.count, 1))
            body.copyBytes(to: copy, count: body.count)
            return copy
        }
        defer { copies.forEach { $0.deallocate() } }
        let pointers = copies.map { UnsafePointer<UInt8>?($0) }
        digests.withUnsafeMutableBufferPointer { cmd5_many_portable(pointers, &lengths, bodies.count, $0.baseAddress) }
        #expect((0..<bodies.count).map { Data(digests[16 * $0..<16 * ($0 + 1)]) } == expected)
        // The lanes are what this test checks wherever the CPU has them.
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let hasAVX2 = cpu.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx2") }
        #expect(String(cString: cmd5_engine()) == (hasAVX2 ? "avx2x8" : "portable"))
    }

    @Test("the ETags of many bodies: plain MD5 up to one part, S3's multipart form above")
    func etags() {
        let bodies = [Data(), Self.body(150_001, seed: 1), Self.body((8 << 20) + 1, seed: 2), Self.body(8 << 20, seed: 3)]
        #expect(ETagHasher.etags(of: bodies) == bodies.map { ETagHasher.rule.etag(of: $0) })
        #expect(ETagHasher.etags(of: bodies)[2].hasSuffix("-2"))
    }
}
