import Foundation

/// Reads a zip front to back the way a streaming reader does (local headers only, no seeking),
/// checks every entry's size and CRC-32, then checks the central directory and end records
/// agree with what was read. Used by `pam demo` and the tests; memory stays flat.
public enum ZipVerifier {
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var size: UInt64
        public var crc32: UInt32
        public var offset: UInt64
    }

    /// The archive's entries, or `.invalidArgument` naming the first inconsistency.
    public static func verify(_ stream: ByteStream) async throws -> [Entry] {
        var reader = Reader(stream.makeAsyncIterator())
        var entries: [Entry] = []
        while true {
            let offset = reader.offset
            let signature = try await reader.uint32()
            guard signature == ZipHeaders.localSignature else {
                guard signature == ZipHeaders.centralSignature || (signature == ZipHeaders.endSignature && entries.isEmpty) else {
                    throw fail("unexpected signature 0x\(String(signature, radix: 16)) at offset \(offset)")
                }
                try await verifyDirectory(&reader, firstSignature: signature, directoryOffset: offset, entries: entries)
                return entries
            }
            _ = try await reader.uint16() // version needed
            let flags = try await reader.uint16()
            guard flags & 0x0008 == 0 else { throw fail("entry at \(offset) uses a data descriptor") }
            guard try await reader.uint16() == 0 else { throw fail("entry at \(offset) is not stored") }
            _ = try await reader.bytes(4) // time, date
            let crc = try await reader.uint32()
            var compressed = UInt64(try await reader.uint32())
            var size = UInt64(try await reader.uint32())
            let nameLength = Int(try await reader.uint16())
            let extraLength = Int(try await reader.uint16())
            let name = String(decoding: try await reader.bytes(nameLength), as: UTF8.self)
            let extra = try await reader.bytes(extraLength)
            if size == ZipHeaders.max32 || compressed == ZipHeaders.max32 {
                guard let fields = zip64Fields(extra), fields.count >= 2 else { throw fail("'\(name)' lacks its ZIP64 sizes") }
                size = fields[0]
                compressed = fields[1]
            }
            guard compressed == size else { throw fail("'\(name)' sizes disagree") }
            var check = CRC32()
            try await reader.consume(size) { check.update($0) }
            guard check.value == crc else { throw fail("'\(name)' CRC-32 mismatch") }
            entries.append(Entry(name: name, size: size, crc32: crc, offset: offset))
        }
    }

    private static func verifyDirectory(_ reader: inout Reader, firstSignature: UInt32, directoryOffset: UInt64, entries: [Entry])
        async throws
    {
        var signature = firstSignature
        var index = 0
        while signature == ZipHeaders.centralSignature {
            _ = try await reader.bytes(12) // made by, needed, flags, method, time, date
            let crc = try await reader.uint32()
            var compressed = UInt64(try await reader.uint32())
            var size = UInt64(try await reader.uint32())
            let nameLength = Int(try await reader.uint16())
            let extraLength = Int(try await reader.uint16())
            let commentLength = Int(try await reader.uint16())
            _ = try await reader.bytes(8) // disk, attributes
            var offset = UInt64(try await reader.uint32())
            let name = String(decoding: try await reader.bytes(nameLength), as: UTF8.self)
            var fields = zip64Fields(try await reader.bytes(extraLength)) ?? []
            _ = try await reader.bytes(commentLength)
            if size == ZipHeaders.max32 { size = fields.isEmpty ? size : fields.removeFirst() }
            if compressed == ZipHeaders.max32 { compressed = fields.isEmpty ? compressed : fields.removeFirst() }
            if offset == ZipHeaders.max32 { offset = fields.isEmpty ? offset : fields.removeFirst() }
            guard index < entries.count else { throw fail("the central directory lists more entries than the archive holds") }
            let entry = entries[index]
            guard entry.name == name, entry.size == size, compressed == size, entry.crc32 == crc, entry.offset == offset else {
                throw fail("central directory entry \(index) ('\(name)') disagrees with its local header")
            }
            index += 1
            signature = try await reader.uint32()
        }
        guard index == entries.count else { throw fail("the central directory lists \(index) of \(entries.count) entries") }
        let directorySize = reader.offset - 4 - directoryOffset
        var count = UInt64(entries.count)
        if signature == ZipHeaders.zip64EndSignature {
            let recordSize = try await reader.uint64()
            // 44 bytes of fixed fields; the bound keeps an attacker's size from trapping or allocating.
            guard (44...65_536).contains(recordSize) else { throw fail("the ZIP64 end record's size \(recordSize) is impossible") }
            let record = try await reader.bytes(Int(recordSize))
            count = record.le64(at: 20)
            guard record.le64(at: 12) == count, record.le64(at: 28) == directorySize, record.le64(at: 36) == directoryOffset else {
                throw fail("the ZIP64 end record disagrees with the central directory")
            }
            guard try await reader.uint32() == ZipHeaders.zip64LocatorSignature else { throw fail("the ZIP64 locator is missing") }
            _ = try await reader.bytes(16)
            signature = try await reader.uint32()
        }
        guard signature == ZipHeaders.endSignature else { throw fail("the end of central directory record is missing") }
        let end = try await reader.bytes(18)
        let count16 = UInt64(end.le16(at: 6))
        guard count16 == 0xFFFF || count16 == count, count == UInt64(entries.count) else {
            throw fail("the end record counts \(count16) entries, the archive has \(entries.count)")
        }
        let size32 = UInt64(end.le32(at: 8))
        let offset32 = UInt64(end.le32(at: 12))
        guard (size32 == ZipHeaders.max32 || size32 == directorySize) && (offset32 == ZipHeaders.max32 || offset32 == directoryOffset)
        else {
            throw fail("the end record's directory size or offset is wrong")
        }
        guard try await reader.atEnd() else { throw fail("bytes follow the end record") }
    }

    private static func zip64Fields(_ extra: Data) -> [UInt64]? {
        var position = extra.startIndex
        while position + 4 <= extra.endIndex {
            let id = extra.le16(at: position - extra.startIndex)
            let length = Int(extra.le16(at: position - extra.startIndex + 2))
            let body = position + 4
            guard body + length <= extra.endIndex else { return nil }
            if id == ZipHeaders.zip64ExtraID {
                return stride(from: 0, to: length - 7, by: 8).map { extra.le64(at: body - extra.startIndex + $0) }
            }
            position = body + length
        }
        return nil
    }

    private static func fail(_ message: String) -> PAMError { PAMError(.invalidArgument, "invalid zip: \(message)") }

    /// Sequential reads over a byte stream with a small carry-over buffer.
    private struct Reader {
        var iterator: ByteStream.AsyncIterator
        var buffer = Data()
        var offset: UInt64 = 0

        init(_ iterator: ByteStream.AsyncIterator) { self.iterator = iterator }

        mutating func fill(_ count: Int) async throws {
            while buffer.count < count {
                guard let chunk = try await iterator.next() else { throw ZipVerifier.fail("the archive ends early") }
                buffer.append(chunk)
            }
        }

        mutating func bytes(_ count: Int) async throws -> Data {
            try await fill(count)
            let result = Data(buffer.prefix(count))
            buffer.removeFirst(count)
            offset += UInt64(count)
            return result
        }

        mutating func consume(_ count: UInt64, _ body: (Data) -> Void) async throws {
            var left = count
            while left > 0 {
                if buffer.isEmpty {
                    guard let chunk = try await iterator.next() else { throw ZipVerifier.fail("the archive ends early") }
                    buffer = chunk
                }
                let take = Int(min(UInt64(buffer.count), left))
                body(buffer.prefix(take))
                buffer.removeFirst(take)
                left -= UInt64(take)
                offset += UInt64(take)
            }
        }

        mutating func atEnd() async throws -> Bool {
            if !buffer.isEmpty { return false }
            while let chunk = try await iterator.next() { if !chunk.isEmpty { return false } }
            return true
        }

        mutating func uint16() async throws -> UInt16 { try await bytes(2).le16(at: 0) }
        mutating func uint32() async throws -> UInt32 { try await bytes(4).le32(at: 0) }
        mutating func uint64() async throws -> UInt64 { try await bytes(8).le64(at: 0) }
    }
}

extension Data {
    func le16(at offset: Int) -> UInt16 {
        self[startIndex + offset..<startIndex + offset + 2].reversed().reduce(0) { $0 << 8 | UInt16($1) }
    }
    func le32(at offset: Int) -> UInt32 {
        self[startIndex + offset..<startIndex + offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
    func le64(at offset: Int) -> UInt64 {
        self[startIndex + offset..<startIndex + offset + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}
