import Foundation
import PAMCore

extension FuzzTarget {
    /// Input: a zip archive, read by `ZipVerifier` in one chunk and again in ragged chunks.
    package static let zip = FuzzTarget(name: "zip") { data in fuzzZip(data) }
}

@discardableResult
package func fuzzZip(_ data: Data) -> Bool {
    let whole = try? runBlocking { try await ZipVerifier.verify(.data(data)) }.get()
    // The reader carries bytes over between chunks; how the stream is cut must not matter.
    let ragged = try? runBlocking { try await ZipVerifier.verify(raggedStream(data)) }.get()
    require(
        whole == ragged, "the verdict depends on how the stream is chunked: \(String(describing: whole)) vs \(String(describing: ragged))")
    guard let entries = whole else { return false }
    // Every accepted entry is a local header followed by exactly `size` stored bytes with that CRC,
    // in order and without overlap, all inside the archive.
    let bytes = [UInt8](data)
    var end = 0
    for entry in entries {
        guard let offset = Int(exactly: entry.offset), let size = Int(exactly: entry.size), offset >= end, offset + 30 <= bytes.count else {
            preconditionFailure("fuzz property violated: entry '\(entry.name)' at \(entry.offset) overlaps or lies outside the archive")
        }
        require(le32(bytes, offset) == 0x0403_4B50, "no local header at the offset of '\(entry.name)'")
        let nameLength = Int(le16(bytes, offset + 26))
        let extraLength = Int(le16(bytes, offset + 28))
        let start = offset + 30 + nameLength + extraLength
        require(start + size <= bytes.count, "'\(entry.name)' runs past the end of the archive")
        require(
            String(decoding: bytes[offset + 30..<offset + 30 + nameLength], as: UTF8.self) == entry.name,
            "'\(entry.name)' is not the stored name")
        require(crc32(bytes[start..<start + size]) == entry.crc32, "'\(entry.name)' has a CRC-32 that is not its data's")
        end = start + size
    }
    require(end <= bytes.count, "the entries add up to more than the archive")
    return true
}

/// The bytes cut into chunks of 0, 1, 2, 3, 5, 64, 7 and 4096 bytes in turn.
private func raggedStream(_ data: Data) -> ByteStream {
    final class Cursor: @unchecked Sendable {
        let data: Data
        var offset = 0, turn = 0
        init(_ data: Data) { self.data = data }
    }
    let cursor = Cursor(data)
    let sizes = [0, 1, 2, 3, 5, 64, 7, 4096]
    return ByteStream(count: Int64(data.count)) {
        guard cursor.offset < cursor.data.count else { return nil }
        let size = sizes[cursor.turn % sizes.count]
        cursor.turn += 1
        let end = min(cursor.offset + size, cursor.data.count)
        defer { cursor.offset = end }
        return cursor.data.subdata(in: cursor.offset..<end)
    }
}

private func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
private func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 { UInt32(le16(bytes, at)) | UInt32(le16(bytes, at + 2)) << 16 }

/// CRC-32 (IEEE), written out here so the check does not trust the code under test.
private let crcTable: [UInt32] = (0..<256).map { index in
    (0..<8).reduce(UInt32(index)) { value, _ in value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
}

private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    ~bytes.reduce(~UInt32(0)) { crcTable[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
}
