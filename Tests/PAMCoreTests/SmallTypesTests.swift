import Foundation
import PAMCore
import Testing

@Suite("Small core types")
struct SmallTypesTests {
    @Test("CRC-32 matches the standard check value and is the same however the bytes are split")
    func crc() {
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Data()) == 0)
        let bytes = Data((0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        var split = CRC32()
        split.update(bytes.prefix(13))
        split.update(bytes.dropFirst(13).prefix(50_000))
        split.update(bytes.dropFirst(50_013))
        #expect(split.value == CRC32.checksum(bytes))
    }

    @Test("CRC-32C matches the standard check value and RFC 3720's vectors, however the bytes are split")
    func crc32c() {
        #expect(CRC32.checksum(Data("123456789".utf8), .castagnoli) == 0xE306_9283)
        #expect(CRC32.checksum(Data(), .castagnoli) == 0)
        #expect(CRC32.checksum(Data(repeating: 0, count: 32), .castagnoli) == 0x8A91_36AA)
        #expect(CRC32.checksum(Data(repeating: 0xFF, count: 32), .castagnoli) == 0x62A8_AB43)
        #expect(CRC32.checksum(Data((0..<32).map { UInt8($0) }), .castagnoli) == 0x46DD_794E)
        #expect(CRC32.checksum(Data(repeating: UInt8(ascii: "a"), count: 66560), .castagnoli) == 0xB0E3_BCFD)
        let bytes = Data((0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        var split = CRC32(.castagnoli)
        split.update(bytes.prefix(7))
        split.update(bytes.dropFirst(7).prefix(40_001))
        split.update(bytes.dropFirst(40_008))
        #expect(split.value == CRC32.checksum(bytes, .castagnoli))
    }

    @Test("LabelQuery applies MinConfidence, then orders by confidence and applies MaxLabels")
    func labelQuery() {
        let labels = [
            DetectedLabel(name: "Sky", confidence: 90), DetectedLabel(name: "Water", confidence: 60),
            DetectedLabel(name: "Cloud", confidence: 54.9), DetectedLabel(name: "Nature", confidence: 95),
        ]
        #expect(LabelQuery.default.apply(to: labels).map(\.name) == ["Nature", "Sky", "Water"])
        #expect(LabelQuery(maxLabels: 2, minConfidence: 0).apply(to: labels).map(\.name) == ["Nature", "Sky"])
        #expect(LabelQuery(maxLabels: 0, minConfidence: 0).apply(to: labels).isEmpty)
    }

    @Test("photo keys are {uuid}-{name}.jpg with the name made safe")
    func photoKeys() {
        let id = UUID(uuidString: "12345678-9ABC-DEF0-1234-56789ABCDEF0")!
        #expect(PhotoKey.make(fileName: "Lake.JPG", id: id) == "12345678-9abc-def0-1234-56789abcdef0-Lake.jpg")
        #expect(PhotoKey.make(fileName: "../../etc/passwd", id: id) == "12345678-9abc-def0-1234-56789abcdef0-passwd.jpg")
        #expect(PhotoKey.make(fileName: "holiday pics/día 1.jpeg", id: id) == "12345678-9abc-def0-1234-56789abcdef0-d_a_1.jpg")
        #expect(PhotoKey.make(fileName: "..", id: id) == "12345678-9abc-def0-1234-56789abcdef0-photo.jpg")
        #expect(PhotoKey.isJPEG("a.JPEG") && PhotoKey.isJPEG("b.jpg") && !PhotoKey.isJPEG("c.png") && !PhotoKey.isJPEG("jpg"))
        #expect(PhotoKey.makeBundle(id: id) == "12345678-9abc-def0-1234-56789abcdef0.zip")
    }
}

@Suite("JSONText")
struct JSONTextTests {
    @Test("quoted strings parse back to themselves, control characters and separators escaped; label lists keep their order")
    func roundTrip() throws {
        let hostile = [
            "plain", "quote \" and \\ backslash", "tab\tnew\nline\r", "\u{0}\u{1}\u{1F}", "line\u{2028}para\u{2029}", "é 東京 🌄", "",
        ]
        for text in hostile {
            let quoted = JSONText.quoted(text)
            #expect(!quoted.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" }, "\(quoted)")
            let parsed = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
            #expect(parsed.map { $0.map { Array($0.utf8) } } == [Array(text.utf8)], "\(quoted)")
        }
        let body = JSONText.labels([LabelCount(label: "Sky", count: 3), LabelCount(label: "A\"b", count: 1)])
        #expect(body == #"{"labels": {"Sky": {"count": 3}, "A\"b": {"count": 1}}}"#)
        #expect(JSONText.labels([]) == #"{"labels": {}}"#)
    }
}
