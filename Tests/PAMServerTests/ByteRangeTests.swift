import PAMLocal
import Testing

@testable import PAMServer

/// The `Range` header parser (RFC 9110 §14), exhaustively on small sizes against the RFC's own
/// rules, and on the inputs that used to trap or be refused.
@Suite("Byte ranges")
struct ByteRangeTests {
    /// What RFC 9110 says a single `bytes` range-spec means for a representation of `size` bytes,
    /// written out plainly with small numbers (no overflow possible here).
    static func expected(first: Int?, last: Int?, size: Int) -> ByteRange {
        switch (first, last) {
        case (let first?, let last?):
            if last < first { return .whole } // invalid range-spec: ignored
            if first >= size { return .unsatisfiable }
            return .partial(Int64(first)..<Int64(min(last, size - 1) + 1))
        case (let first?, nil):
            return first >= size ? .unsatisfiable : .partial(Int64(first)..<Int64(size))
        case (nil, let suffix?):
            if suffix == 0 { return .unsatisfiable }
            if size == 0 { return .whole }
            return .partial(Int64(size - min(suffix, size))..<Int64(size))
        case (nil, nil):
            return .whole
        }
    }

    @Test("every a-b, a- and -n on sizes 0 to 8 means what RFC 9110 says")
    func exhaustive() {
        for size in 0...8 {
            for first in 0...10 {
                for last in 0...10 {
                    #expect(
                        ByteRange.parse("bytes=\(first)-\(last)", size: Int64(size)) == Self.expected(first: first, last: last, size: size),
                        "bytes=\(first)-\(last) of \(size)")
                }
                #expect(ByteRange.parse("bytes=\(first)-", size: Int64(size)) == Self.expected(first: first, last: nil, size: size))
                #expect(ByteRange.parse("bytes=-\(first)", size: Int64(size)) == Self.expected(first: nil, last: first, size: size))
            }
        }
    }

    @Test("positions past Int64 are clamped, never trap")
    func overflow() {
        let max = Int64.max
        #expect(ByteRange.parse("bytes=0-9223372036854775807", size: 100) == .partial(0..<100))
        #expect(ByteRange.parse("bytes=0-9223372036854775806", size: 100) == .partial(0..<100))
        #expect(ByteRange.parse("bytes=0-99999999999999999999999999999999", size: 100) == .partial(0..<100))
        #expect(ByteRange.parse("bytes=99-9223372036854775807", size: 100) == .partial(99..<100))
        #expect(ByteRange.parse("bytes=9223372036854775807-", size: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=9223372036854775807-9223372036854775807", size: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=99999999999999999999-", size: 100) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=-9223372036854775807", size: 100) == .partial(0..<100))
        #expect(ByteRange.parse("bytes=-99999999999999999999", size: 100) == .partial(0..<100))
        // A representation as large as Int64 allows.
        #expect(ByteRange.parse("bytes=0-9223372036854775807", size: max) == .partial(0..<max))
        #expect(ByteRange.parse("bytes=-1", size: max) == .partial((max - 1)..<max))
        #expect(ByteRange.parse("bytes=\(max - 1)-", size: max) == .partial((max - 1)..<max))
        #expect(ByteRange.parse("bytes=0-0", size: -5) == .unsatisfiable)
    }

    @Test("other units, several ranges, a repeated header and malformed ranges are ignored: the whole body")
    func ignored() {
        for header in [
            "items=0-5", "bytes 0-5", "byte=0-5", "bytesx=0-5", "=0-5", "bytes=0-1,4-5", "bytes=0-1, 4-5", "bytes=-1,-2",
            "bytes=", "bytes=-", "bytes=,", "bytes=5-2", "bytes=a-b", "bytes=1-b", "bytes=+1-2", "bytes=1-+2", "bytes=-+2",
            "bytes=--2", "bytes=1--2", "bytes=1-2-3", "bytes=0x1-2", "bytes=1 -2", "bytes=1- 2", "bytes=１-2", "bytes=٣-4",
            "bytes=0-5;", "", " ", "bytes=0-5\u{0}",
        ] {
            #expect(ByteRange.parse(header, size: 100) == .whole, "\(header)")
        }
        #expect(ByteRange.parse(["bytes=0-5", "bytes=0-5"], size: 100) == .whole)
        #expect(ByteRange.parse(["bytes=0-5", "bytes=6-9"], size: 100) == .whole)
        #expect(ByteRange.parse([], size: 100) == .whole)
        #expect(ByteRange.parse(nil as String?, size: 100) == .whole)
    }

    @Test("unit in any case, white space around the value and empty list elements are accepted")
    func lenient() {
        #expect(ByteRange.parse("Bytes=0-5", size: 100) == .partial(0..<6))
        #expect(ByteRange.parse("BYTES=0-5", size: 100) == .partial(0..<6))
        #expect(ByteRange.parse(" \tbytes=0-5 ", size: 100) == .partial(0..<6))
        #expect(ByteRange.parse("bytes= 0-5 ", size: 100) == .partial(0..<6))
        #expect(ByteRange.parse("bytes=0-5,", size: 100) == .partial(0..<6))
        #expect(ByteRange.parse("bytes=, 0-5", size: 100) == .partial(0..<6))
        #expect(ByteRange.parse("bytes=0000-0005", size: 100) == .partial(0..<6))
    }

    @Test("Content-Range of a part, of a 416, and none for the whole")
    func contentRange() {
        #expect(ByteRange.partial(10..<20).contentRange(size: 100) == "bytes 10-19/100")
        #expect(ByteRange.unsatisfiable.contentRange(size: 100) == "bytes */100")
        #expect(ByteRange.whole.contentRange(size: 100) == nil)
        #expect(ByteRange.parse("bytes=0-9223372036854775807", size: 7).contentRange(size: 7) == "bytes 0-6/7")
    }

    @Test("random headers never trap and any part lies within the representation")
    func randomInputs() {
        var generator = SplitMix64(seed: 0x5EED)
        let pieces = [
            "bytes", "BYTES", "items", "=", "-", ",", " ", "\t", "0", "1", "7", "9", "42", "9223372036854775807",
            "9223372036854775808", "99999999999999999999", "+", "x", ";", "\u{0}", "é", "１",
        ]
        for _ in 0..<20_000 {
            let header = (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let size = [0, 1, 2, 10, 1 << 20, Int64.max - 1, Int64.max].randomElement(using: &generator)!
            let answer = ByteRange.parse(header, size: size)
            if case .partial(let range) = answer {
                #expect(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= size, "\(header) of \(size): \(range)")
            }
        }
    }
}
