import Foundation
import Testing

@testable import PAMCore

@Suite("Zip writing")
struct ZipTests {
    let date = Date(timeIntervalSince1970: 1_800_000_000) // 2027-01-15 08:00:00 UTC

    func source(_ name: String, _ data: Data) -> ZipSource {
        ZipSource(name: name, size: UInt64(data.count), crc32: CRC32.checksum(data), modified: date) { .data(data) }
    }

    @Test("a local header carries name, CRC and sizes, and no data descriptor flag")
    func localHeader() {
        let entry = ZipHeaders.Entry(name: "a.jpg", size: 1234, crc32: 0xDEAD_BEEF, modified: date, offset: 0)
        let header = ZipHeaders.localHeader(entry)
        #expect(header.count == 30 + 5)
        #expect(header.le32(at: 0) == 0x0403_4B50)
        #expect(header.le16(at: 4) == 20)
        #expect(header.le16(at: 6) == 0x0800) // UTF-8 names, bit 3 (data descriptor) clear
        #expect(header.le16(at: 8) == 0) // stored
        #expect(header.le16(at: 10) == UInt16(8 << 11)) // 08:00:00
        #expect(header.le16(at: 12) == UInt16((2027 - 1980) << 9 | 1 << 5 | 15))
        #expect(header.le32(at: 14) == 0xDEAD_BEEF)
        #expect(header.le32(at: 18) == 1234 && header.le32(at: 22) == 1234)
        #expect(String(decoding: header.suffix(5), as: UTF8.self) == "a.jpg")
    }

    @Test("entries of 4 GiB and more get ZIP64 sizes in the local and central headers")
    func zip64Sizes() {
        let size: UInt64 = 5_000_000_000
        let entry = ZipHeaders.Entry(name: "big.bin", size: size, crc32: 1, modified: date, offset: 6_000_000_000)
        let local = ZipHeaders.localHeader(entry)
        #expect(local.le16(at: 4) == 45)
        #expect(local.le32(at: 18) == 0xFFFF_FFFF && local.le32(at: 22) == 0xFFFF_FFFF)
        #expect(local.le16(at: 28) == 20) // extra field length
        let extra = local.suffix(20)
        #expect(extra.le16(at: 0) == 1 && extra.le16(at: 2) == 16)
        #expect(extra.le64(at: 4) == size && extra.le64(at: 12) == size)

        let central = ZipHeaders.centralHeader(entry)
        #expect(central.le32(at: 20) == 0xFFFF_FFFF && central.le32(at: 24) == 0xFFFF_FFFF)
        #expect(central.le32(at: 42) == 0xFFFF_FFFF)
        let centralExtra = central.suffix(28)
        #expect(centralExtra.le16(at: 0) == 1 && centralExtra.le16(at: 2) == 24)
        #expect(centralExtra.le64(at: 4) == size && centralExtra.le64(at: 12) == size && centralExtra.le64(at: 20) == 6_000_000_000)
    }

    @Test("only the offset overflows: the central ZIP64 extra holds just the offset")
    func zip64OffsetOnly() {
        let entry = ZipHeaders.Entry(name: "late.jpg", size: 10, crc32: 1, modified: date, offset: 0x1_0000_0000)
        #expect(ZipHeaders.localHeader(entry).count == 30 + 8)
        let central = ZipHeaders.centralHeader(entry)
        #expect(central.le32(at: 20) == 10)
        let extra = central.suffix(12)
        #expect(extra.le16(at: 2) == 8 && extra.le64(at: 4) == 0x1_0000_0000)
    }

    @Test("the end records switch to ZIP64 when counts or offsets overflow")
    func endRecords() {
        let classic = ZipHeaders.end(entryCount: 3, directoryOffset: 100, directorySize: 50)
        #expect(classic.count == 22 && classic.le16(at: 8) == 3 && classic.le32(at: 16) == 100)
        let many = ZipHeaders.end(entryCount: 70_000, directoryOffset: 100, directorySize: 50)
        #expect(many.count == 56 + 20 + 22)
        #expect(many.le32(at: 0) == 0x0606_4B50 && many.le64(at: 32) == 70_000 && many.le64(at: 48) == 100)
        #expect(many.le32(at: 56) == 0x0706_4B50 && many.le64(at: 64) == 150)
        #expect(many.le16(at: 76 + 8) == 0xFFFF)
        let far = ZipHeaders.end(entryCount: 2, directoryOffset: 0x1_0000_0000, directorySize: 50)
        #expect(far.le32(at: 0) == 0x0606_4B50)
    }

    @Test("a streamed archive verifies entry by entry, and its size is known in advance", arguments: [false, true])
    func roundTrip(forceZip64: Bool) async throws {
        let files = [("one.jpg", Data(repeating: 1, count: 70_000)), ("two/deep.jpg", Data()), ("é.txt", Data("héllo".utf8))]
        let stream = try ZipArchiveStream.make(files.map { source($0.0, $0.1) }, forceZip64: forceZip64)
        let bytes = try await stream.collect()
        #expect(Int64(bytes.count) == stream.count)
        let entries = try await ZipVerifier.verify(.data(bytes))
        #expect(entries.map(\.name) == files.map(\.0))
        #expect(entries.map(\.size) == files.map { UInt64($0.1.count) })
        #expect(entries.map(\.crc32) == files.map { CRC32.checksum($0.1) })
    }

    @Test("a body that differs from its announced CRC or size fails the stream")
    func mismatch() async throws {
        let data = Data("actual".utf8)
        let wrongCRC = ZipSource(name: "a", size: UInt64(data.count), crc32: 12345, modified: date) { .data(data) }
        await #expect(throws: PAMError.self) { _ = try await ZipArchiveStream.make([wrongCRC]).collect() }
        let wrongSize = ZipSource(name: "a", size: 3, crc32: CRC32.checksum(data), modified: date) { .data(data) }
        await #expect(throws: PAMError.self) { _ = try await ZipArchiveStream.make([wrongSize]).collect() }
    }

    @Test("unsafe entry names are refused", arguments: ["../evil.jpg", "/abs.jpg", "a/../../b", "back\\slash", ""])
    func unsafeNames(_ name: String) {
        #expect(throws: PAMError.self) { _ = try ZipArchiveStream.make([source(name, Data())]) }
    }

    @Test("names that clash byte for byte, as NFC and NFD, or by case get ' (n)' before the extension")
    func clashingNames() async throws {
        let nfc = "id-caf\u{E9}.jpg"
        let nfd = "id-cafe\u{301}.jpg"
        #expect(Array(nfc.utf8) != Array(nfd.utf8))
        let names = ZipArchiveStream.uniqueNames(["a.jpg", "a.jpg", "a (2).jpg", nfc, nfd, "B.JPG", "b.jpg", "dir/x", "dir/x", "a.jpg"])
        #expect(
            names == [
                "a.jpg", "a (3).jpg", "a (2).jpg", nfc, "id-cafe\u{301} (2).jpg", "B.JPG", "b (2).jpg", "dir/x", "dir/x (2)", "a (4).jpg",
            ])

        // The archive is written, with every entry under its unique name and its own bytes.
        let first = Data("first".utf8)
        let second = Data("second".utf8)
        let bytes = try await ZipArchiveStream.make([source(nfc, first), source(nfd, second), source("a", first), source("a", second)])
            .collect()
        let entries = try await ZipVerifier.verify(.data(bytes))
        #expect(entries.map(\.name) == [nfc, "id-cafe\u{301} (2).jpg", "a", "a (2)"])
        #expect(entries.map(\.crc32) == [first, second, first, second].map { CRC32.checksum($0) })
    }

    @Test("the verifier rejects a corrupted archive")
    func corrupted() async throws {
        var bytes = try await ZipArchiveStream.make([source("a.jpg", Data(repeating: 9, count: 100))]).collect()
        bytes[40] ^= 0xFF
        await #expect(throws: PAMError.self) { _ = try await ZipVerifier.verify(.data(bytes)) }
        await #expect(throws: PAMError.self) { _ = try await ZipVerifier.verify(.data(bytes.prefix(60))) }
    }
}
