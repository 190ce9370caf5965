import Foundation

/// The byte layouts of a zip archive of *stored* entries whose CRC and sizes are known before
/// their data, so every local header is complete (no data descriptor) and streaming readers
/// such as Java's `ZipInputStream` can read the archive front to back. ZIP64 fields are used
/// where a size, offset or count does not fit the classic fields.
public enum ZipHeaders {
    static let localSignature: UInt32 = 0x0403_4B50
    static let centralSignature: UInt32 = 0x0201_4B50
    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let zip64ExtraID: UInt16 = 0x0001
    /// General-purpose flag bit 11: names are UTF-8.
    static let utf8Flag: UInt16 = 0x0800
    static let max32: UInt64 = 0xFFFF_FFFF
    static let max16: UInt64 = 0xFFFF

    /// What the headers of one entry need to know.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var size: UInt64
        public var crc32: UInt32
        public var modified: Date
        /// Offset of the entry's local header from the start of the archive.
        public var offset: UInt64

        public init(name: String, size: UInt64, crc32: UInt32, modified: Date, offset: UInt64) {
            self.name = name
            self.size = size
            self.crc32 = crc32
            self.modified = modified
            self.offset = offset
        }

        /// Whether the sizes need ZIP64 fields (also forced for every entry when `force` is set).
        func sizeNeedsZip64(force: Bool) -> Bool { force || size >= ZipHeaders.max32 }
        func offsetNeedsZip64(force: Bool) -> Bool { force || offset >= ZipHeaders.max32 }
    }

    /// The local file header, with a ZIP64 extra field carrying both sizes when they need it.
    public static func localHeader(_ entry: Entry, forceZip64: Bool = false) -> Data {
        let zip64 = entry.sizeNeedsZip64(force: forceZip64)
        let name = Data(entry.name.utf8)
        var extra = Data()
        if zip64 {
            extra.append(le: zip64ExtraID)
            extra.append(le: UInt16(16))
            extra.append(le: entry.size)
            extra.append(le: entry.size)
        }
        let (time, date) = dosDateTime(entry.modified)
        var header = Data(capacity: 30 + name.count + extra.count)
        header.append(le: localSignature)
        header.append(le: UInt16(zip64 ? 45 : 20))
        header.append(le: utf8Flag)
        header.append(le: UInt16(0)) // stored
        header.append(le: time)
        header.append(le: date)
        header.append(le: entry.crc32)
        let size32 = zip64 ? UInt32(max32) : UInt32(entry.size)
        header.append(le: size32) // compressed
        header.append(le: size32) // uncompressed
        header.append(le: UInt16(name.count))
        header.append(le: UInt16(extra.count))
        header.append(name)
        header.append(extra)
        return header
    }

    /// The central directory header; its ZIP64 extra holds exactly the fields whose classic slot
    /// says 0xFFFFFFFF, in the order the specification gives (uncompressed, compressed, offset).
    public static func centralHeader(_ entry: Entry, forceZip64: Bool = false) -> Data {
        let sizes64 = entry.sizeNeedsZip64(force: forceZip64)
        let offset64 = entry.offsetNeedsZip64(force: forceZip64)
        let name = Data(entry.name.utf8)
        var extra = Data()
        if sizes64 || offset64 {
            var fields = Data()
            if sizes64 {
                fields.append(le: entry.size)
                fields.append(le: entry.size)
            }
            if offset64 { fields.append(le: entry.offset) }
            extra.append(le: zip64ExtraID)
            extra.append(le: UInt16(fields.count))
            extra.append(fields)
        }
        let needed: UInt16 = (sizes64 || offset64) ? 45 : 20
        let (time, date) = dosDateTime(entry.modified)
        var header = Data(capacity: 46 + name.count + extra.count)
        header.append(le: centralSignature)
        header.append(le: UInt16(3 << 8 | 45)) // made by: Unix, spec 4.5
        header.append(le: needed)
        header.append(le: utf8Flag)
        header.append(le: UInt16(0))
        header.append(le: time)
        header.append(le: date)
        header.append(le: entry.crc32)
        let size32 = sizes64 ? UInt32(max32) : UInt32(entry.size)
        header.append(le: size32)
        header.append(le: size32)
        header.append(le: UInt16(name.count))
        header.append(le: UInt16(extra.count))
        header.append(le: UInt16(0)) // comment length
        header.append(le: UInt16(0)) // disk number start
        header.append(le: UInt16(0)) // internal attributes
        header.append(le: UInt32(0o100644) << 16) // regular file, rw-r--r--
        header.append(le: offset64 ? UInt32(max32) : UInt32(entry.offset))
        header.append(name)
        header.append(extra)
        return header
    }

    /// The archive's end: a ZIP64 end record and locator when counts, size or offset overflow the
    /// classic record (or when forced), then the classic end-of-central-directory record.
    public static func end(entryCount: UInt64, directoryOffset: UInt64, directorySize: UInt64, forceZip64: Bool = false) -> Data {
        let zip64 = forceZip64 || entryCount >= max16 || directoryOffset >= max32 || directorySize >= max32
        var data = Data()
        if zip64 {
            let recordOffset = directoryOffset + directorySize
            data.append(le: zip64EndSignature)
            data.append(le: UInt64(44)) // size of the rest of the record
            data.append(le: UInt16(3 << 8 | 45))
            data.append(le: UInt16(45))
            data.append(le: UInt32(0))
            data.append(le: UInt32(0))
            data.append(le: entryCount)
            data.append(le: entryCount)
            data.append(le: directorySize)
            data.append(le: directoryOffset)
            data.append(le: zip64LocatorSignature)
            data.append(le: UInt32(0))
            data.append(le: recordOffset)
            data.append(le: UInt32(1))
        }
        data.append(le: endSignature)
        data.append(le: UInt16(0))
        data.append(le: UInt16(0))
        let count16 = zip64 ? UInt16(max16) : UInt16(entryCount)
        data.append(le: count16)
        data.append(le: count16)
        data.append(le: zip64 ? UInt32(max32) : UInt32(directorySize))
        data.append(le: zip64 ? UInt32(max32) : UInt32(directoryOffset))
        data.append(le: UInt16(0))
        return data
    }

    /// MS-DOS time and date fields (UTC; 2-second resolution; clamped to 1980…2107).
    static func dosDateTime(_ date: Date) -> (time: UInt16, date: UInt16) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = min(max((parts.year ?? 1980), 1980), 2107)
        let time = UInt16((parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2)
        let day = UInt16((year - 1980) << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1))
        return (time, day)
    }
}

extension Data {
    mutating func append<T: FixedWidthInteger>(le value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
