import Foundation

/// One file to put in a zip: its name, size and CRC known in advance, its bytes opened on demand.
public struct ZipSource: Sendable {
    public var name: String
    public var size: UInt64
    public var crc32: UInt32
    public var modified: Date
    public var open: @Sendable () async throws -> ByteStream

    public init(name: String, size: UInt64, crc32: UInt32, modified: Date, open: @escaping @Sendable () async throws -> ByteStream) {
        self.name = name
        self.size = size
        self.crc32 = crc32
        self.modified = modified
        self.open = open
    }
}

/// Streams a zip of stored entries: only one entry's chunk is in memory at a time, so memory
/// stays flat whatever the archive's size. Each entry's bytes are checked against the size and
/// CRC announced in its header; a mismatch fails the stream rather than produce a corrupt zip.
public enum ZipArchiveStream {
    /// The archive as a byte stream. `forceZip64` writes ZIP64 records even for small archives.
    /// Names that would clash when extracted (see `uniqueNames`) get ` (2)`, ` (3)`… before their
    /// extension, so a bundle never fails on its entries' names.
    public static func make(_ sources: [ZipSource], forceZip64: Bool = false) throws -> ByteStream {
        var sources = sources
        for (index, name) in uniqueNames(sources.map(\.name)).enumerated() { sources[index].name = name }
        for source in sources { try validate(name: source.name) }
        let writer = Writer(sources: sources, forceZip64: forceZip64)
        return ByteStream(count: archiveSize(sources, forceZip64: forceZip64)) { try await writer.next() }
    }

    /// The exact size the archive will have.
    public static func archiveSize(_ sources: [ZipSource], forceZip64: Bool = false) -> Int64 {
        var offset: UInt64 = 0
        var directory: UInt64 = 0
        for source in sources {
            let entry = ZipHeaders.Entry(
                name: source.name, size: source.size, crc32: source.crc32, modified: source.modified, offset: offset)
            offset += UInt64(ZipHeaders.localHeader(entry, forceZip64: forceZip64).count) + source.size
            directory += UInt64(ZipHeaders.centralHeader(entry, forceZip64: forceZip64).count)
        }
        let end = ZipHeaders.end(
            entryCount: UInt64(sources.count), directoryOffset: offset, directorySize: directory, forceZip64: forceZip64)
        return Int64(offset + directory + UInt64(end.count))
    }

    /// `names` with every clash renamed: two names clash when they are equal once in Unicode NFC
    /// and lower case, since unzip tools normalise (NFC `café.jpg` and NFD `café.jpg` are one
    /// file on macOS) and many file systems ignore case. The first keeps its name; a later one
    /// becomes `stem (2).ext`, `stem (3).ext`…, never a name another entry has.
    public static func uniqueNames(_ names: [String]) -> [String] {
        func fold(_ name: String) -> String { name.precomposedStringWithCanonicalMapping.lowercased() }
        var taken = Set(names.map(fold))
        var used = Set<String>()
        return names.map { name in
            if used.insert(fold(name)).inserted { return name }
            let (stem, suffix) = splitExtension(name)
            var number = 2
            while true {
                let candidate = "\(stem) (\(number))\(suffix)"
                if taken.insert(fold(candidate)).inserted {
                    used.insert(fold(candidate))
                    return candidate
                }
                number += 1
            }
        }
    }

    /// `("a/b", ".jpg")` for `a/b.jpg`; no extension when the last component has no dot after its start.
    static func splitExtension(_ name: String) -> (stem: String, suffix: String) {
        let lastComponent = name.lastIndex(of: "/").map { name.index(after: $0) } ?? name.startIndex
        guard let dot = name[lastComponent...].lastIndex(of: "."), dot > lastComponent else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }

    /// The refusal of an entry whose bytes are not the ones announced (size or CRC-32): the object
    /// changed since it was stored, or is read back wrong. `ref`: the object, when known.
    public static func changedEntry(_ name: String, ref: ObjectRef? = nil) -> PAMError {
        PAMError(.storage, "zip entry '\(name)' changed while being zipped (size or CRC differs)", ref: ref)
    }

    /// Refuses names that would escape the folder a user extracts into (zip slip).
    public static func validate(name: String) throws {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !name.contains("\0"),
            !parts.contains(".."), name.utf8.count <= 0xFFFF
        else { throw PAMError(.invalidArgument, "unsafe zip entry name '\(name)'") }
    }

    private actor Writer {
        private let sources: [ZipSource]
        private let forceZip64: Bool
        private var index = 0
        private var offset: UInt64 = 0
        private var entries: [ZipHeaders.Entry] = []
        private var body: ByteStream.AsyncIterator?
        private var received: UInt64 = 0
        private var crc = CRC32()
        private var finished = false

        init(sources: [ZipSource], forceZip64: Bool) {
            self.sources = sources
            self.forceZip64 = forceZip64
        }

        func next() async throws -> Data? {
            if finished { return nil }
            if var iterator = body {
                let source = sources[index]
                if let chunk = try await iterator.next() {
                    body = iterator
                    received += UInt64(chunk.count)
                    guard received <= source.size else {
                        throw PAMError(.storage, "zip entry '\(source.name)' is longer than its announced \(source.size) bytes")
                    }
                    crc.update(chunk)
                    offset += UInt64(chunk.count)
                    return chunk
                }
                guard received == source.size, crc.value == source.crc32 else {
                    throw changedEntry(source.name)
                }
                body = nil
                index += 1
            }
            if index < sources.count {
                let source = sources[index]
                let entry = ZipHeaders.Entry(
                    name: source.name, size: source.size, crc32: source.crc32, modified: source.modified, offset: offset)
                entries.append(entry)
                let header = ZipHeaders.localHeader(entry, forceZip64: forceZip64)
                offset += UInt64(header.count)
                body = try await source.open().makeAsyncIterator()
                received = 0
                crc = CRC32()
                return header
            }
            finished = true
            var tail = Data()
            for entry in entries { tail.append(ZipHeaders.centralHeader(entry, forceZip64: forceZip64)) }
            tail.append(
                ZipHeaders.end(
                    entryCount: UInt64(entries.count), directoryOffset: offset, directorySize: UInt64(tail.count),
                    forceZip64: forceZip64))
            return tail
        }
    }
}
