import Crypto
import Foundation
import PAMCore

/// The local store's bundle writer: the zip is written straight into a file of the store, each
/// entry copied by the kernel (`sendfile`, no trip through this process's memory) while the entry's
/// CRC-32 is checked against the one recorded at upload on another core, from a read-only mapping
/// of the same open file (so the bytes checked are the bytes copied, even if the object is
/// replaced meanwhile). Same bytes as `StreamingBundleWriter`; a mismatch, a size that changed or
/// any failure stores nothing and leaves no file.
///
/// The bundle's ETag is not the MD5 of its bytes (hashing a gigabyte would cost more than writing
/// it): it is the MD5 of the zip's central directory and end records — every entry's name, size,
/// CRC-32, date and offset — followed by `-` and the entry count, the form S3 gives objects whose
/// ETag is not their MD5. Two bundles with the same ETag hold the same entries with the same CRCs.
public struct FileSystemBundleWriter: BundleWriter {
    let store: FileSystemObjectStore
    /// Entries whose CRC check may still be running while later ones are copied.
    let checksInFlight = 8

    public init(store: FileSystemObjectStore) {
        self.store = store
    }

    public func writeZip(of objects: [ObjectInfo], to ref: ObjectRef) async throws -> ObjectInfo {
        try store.validate(ref)
        let names = ZipArchiveStream.uniqueNames(objects.map(\.ref.key))
        for name in names { try ZipArchiveStream.validate(name: name) }
        let temporary = store.state.temporary.appendingPathComponent("\(UUID().uuidString).part")
        let output = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw PAMError(.io, "cannot create a temporary file", ref: ref, path: temporary.path) }
        var checks: [Task<Void, any Error>] = []
        do {
            var entries: [ZipHeaders.Entry] = []
            var offset: UInt64 = 0
            let bodies = try store.index.bodies(of: objects.map(\.ref))
            for ((object, name), located) in zip(zip(objects, names), bodies) {
                let source = try OpenedObject(store: store, info: object, located: located)
                let entry = ZipHeaders.Entry(
                    name: name, size: UInt64(object.size), crc32: source.recordedCRC, modified: object.created, offset: offset)
                let header = ZipHeaders.localHeader(entry)
                try FileDescriptorWriter.writeAll(header, to: output, what: "the bundle", ref: ref)
                try source.copy(to: output, ref: ref)
                offset += UInt64(header.count) + entry.size
                entries.append(entry)
                checks.append(Task.detached { try source.verify() })
                if checks.count > checksInFlight { try await checks.removeFirst().value }
            }
            while !checks.isEmpty { try await checks.removeFirst().value }
            var tail = Data()
            for entry in entries { tail.append(ZipHeaders.centralHeader(entry)) }
            tail.append(ZipHeaders.end(entryCount: UInt64(entries.count), directoryOffset: offset, directorySize: UInt64(tail.count)))
            try FileDescriptorWriter.writeAll(tail, to: output, what: "the bundle", ref: ref)
            guard close(output) == 0 else { throw PAMError(.io, "cannot write the bundle: \(String(cString: strerror(errno)))", ref: ref) }
            let now = store.clock.now()
            let info = ObjectInfo(
                ref: ref, size: Int64(offset) + Int64(tail.count),
                etag: Data(Insecure.MD5.hash(data: tail)).hexString + "-\(entries.count)",
                crc32: nil, contentType: "application/zip", storageClass: .standard, created: now, lastAccess: now)
            try store.install(temporary, as: info, tags: [:])
            return info
        } catch {
            for check in checks { _ = try? await check.value } // their files close as they finish
            close(output)
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

/// One stored object opened for the bundle: its descriptor is shared by the copy and the check,
/// and closed when the check is done (or the object is dropped).
private final class OpenedObject: @unchecked Sendable {
    let info: ObjectInfo
    let descriptor: Int32
    let recordedCRC: UInt32
    let size: Int

    /// Opens the version `info` describes, at the file `located` (its row as read with the
    /// others') or, when that is gone (replaced meanwhile), wherever its row names now;
    /// `changedEntry` when the object was overwritten since.
    init(store: FileSystemObjectStore, info: ObjectInfo, located: (etag: String, body: BodyFile)?) throws {
        func openFile(_ url: URL) throws -> Int32 {
            let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw PAMError(.io, "cannot open the object's file", ref: info.ref, path: url.path) }
            return descriptor
        }
        let etag: String
        if let located, let opened = try? openFile(store.url(of: located.body, for: info.ref)) {
            (etag, descriptor) = (located.etag, opened)
        } else {
            let (current, opened) = try store.openBody(info.ref, openFile)
            (etag, descriptor) = (current.etag, opened)
        }
        self.info = info
        var status = stat()
        guard etag == info.etag, fstat(descriptor, &status) == 0, Int64(status.st_size) == info.size else {
            close(descriptor)
            throw ZipArchiveStream.changedEntry(info.ref.key, ref: info.ref)
        }
        size = Int(info.size)
        if let crc = info.crc32 {
            recordedCRC = crc
        } else {
            recordedCRC = try Self.checksum(descriptor, size: size, ref: info.ref)
        }
    }

    deinit { close(descriptor) }

    /// Copies the whole file to `output` in the kernel.
    func copy(to output: Int32, ref: ObjectRef) throws {
        var offset = off_t(0)
        while offset < off_t(size) {
            let sent = sendfile(output, descriptor, &offset, min(size - Int(offset), 1 << 30))
            guard sent > 0 else {
                if sent < 0, errno == EINTR { continue }
                if sent == 0 {
                    throw ZipArchiveStream.changedEntry(info.ref.key, ref: info.ref)
                }
                throw PAMError(.io, "cannot copy '\(info.ref.key)' into the bundle: \(String(cString: strerror(errno)))", ref: ref)
            }
        }
    }

    /// Throws unless the file's bytes have the recorded CRC-32.
    func verify() throws {
        guard try Self.checksum(descriptor, size: size, ref: info.ref) == recordedCRC else {
            throw ZipArchiveStream.changedEntry(info.ref.key, ref: info.ref)
        }
    }

    /// The CRC-32 of the first `size` bytes of `descriptor`, read through a private read-only mapping.
    static func checksum(_ descriptor: Int32, size: Int, ref: ObjectRef) throws -> UInt32 {
        guard size > 0 else { return 0 }
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED else {
            throw PAMError(.io, "cannot read '\(ref.key)': \(String(cString: strerror(errno)))", ref: ref)
        }
        defer { munmap(mapping, size) }
        return CRC32.checksum(UnsafeRawBufferPointer(start: mapping, count: size))
    }
}
