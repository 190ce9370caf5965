import Crypto
import Foundation
import GRDB
import Logging
import PAMCore

/// Buckets as folders under the state directory (`buckets/<bucket>/<key>`), metadata in SQLite.
///
/// Bodies are streamed to a temporary file, hashed (MD5 ETag, CRC-32) on the way, then renamed
/// into place, so a reader never sees half an object. Keys are validated before any file is touched.
public struct FileSystemObjectStore: ObjectStore {
    let state: StateDirectory
    let index: ObjectIndex
    let signer: PresignedURLSigner
    let clock: any WallClock
    /// Chunk size of streamed reads.
    let chunkSize: Int
    /// The folder holding the bucket folders.
    let bucketsPath: String
    /// The buckets given at opening (the app's), which always exist; others are looked up in the index.
    let buckets: Set<String>
    /// Last-access times move only when older than this (like `relatime`), so a read costs no write.
    static let accessTimeSlack: TimeInterval = 3600

    /// Opens (creating if needed) the store in `state`, with `buckets` existing; `lifecycle` gives
    /// buckets whose lifecycle was never configured their first configuration.
    public init(
        state: StateDirectory, buckets: [String], baseURL: URL, clock: any WallClock = SystemClock(), chunkSize: Int = 1 << 20,
        lifecycle: [BucketLifecycle] = []
    ) throws {
        try self.init(
            state: state, buckets: buckets, address: ServiceAddress(baseURL), clock: clock, chunkSize: chunkSize, lifecycle: lifecycle)
    }

    /// Opens the store with presigned links on `address`, which may be settled later (`pam serve --port 0`).
    public init(
        state: StateDirectory, buckets: [String], address: ServiceAddress, clock: any WallClock = SystemClock(),
        chunkSize: Int = 1 << 20, lifecycle: [BucketLifecycle] = []
    ) throws {
        try state.create()
        state.removeAbandonedTemporaryFiles()
        for bucket in buckets {
            try ObjectKeyValidator.validate(bucket: bucket)
            do {
                try FileManager.default.createDirectory(at: state.buckets.appendingPathComponent(bucket), withIntermediateDirectories: true)
            } catch {
                throw PAMError(
                    .io, "cannot create the bucket folder", path: state.buckets.appendingPathComponent(bucket).path, underlying: error)
            }
        }
        self.state = state
        self.index = try ObjectIndex(path: state.objectIndex)
        for bucket in buckets {
            let folder = state.buckets.appendingPathComponent(bucket)
            let created = (try? FileManager.default.attributesOfItem(atPath: folder.path)[.creationDate] as? Date) ?? clock.now()
            try index.registerBucket(bucket, created: created, lifecycle: lifecycle.first { $0.bucket == bucket }?.rules)
        }
        // A folder lost between a bucket's deletion and its commit (a crash) comes back with its row.
        for bucket in try index.bucketRows() {
            try? FileManager.default.createDirectory(
                at: state.buckets.appendingPathComponent(bucket.name), withIntermediateDirectories: true)
        }
        self.signer = PresignedURLSigner(key: try state.loadOrCreatePresignKey(), address: address)
        self.clock = clock
        self.chunkSize = chunkSize
        self.buckets = Set(buckets)
        self.bucketsPath = state.buckets.path
    }

    /// The signer of this store's presigned URLs, for the server that answers them.
    public var presigner: PresignedURLSigner { signer }

    /// The ETag this store gives `body`: its hex MD5, or S3's multipart form above 8 MiB (as the
    /// AWS CLI uploads).
    public func etag(of body: Data) -> String { ETagHasher.rule.etag(of: body) }

    @discardableResult
    public func put(_ ref: ObjectRef, body: ByteStream, options: PutOptions) async throws -> ObjectInfo {
        _ = try fileURL(ref)
        // One file created (O_EXCL) and written through one descriptor; FileManager.createFile
        // would make and rename a file of its own first.
        let temporary = state.temporary.appendingPathComponent("\(Self.randomName()).part")
        do {
            let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            guard descriptor >= 0 else {
                throw PAMError(.io, "cannot create a temporary file: \(String(cString: strerror(errno)))", ref: ref, path: temporary.path)
            }
            var etag = ETagHasher()
            var crc = options.computeCRC32 ? CRC32() : nil
            var size: Int64 = 0
            do {
                for try await chunk in body {
                    try FileDescriptorWriter.writeAll(chunk, to: descriptor, what: "the object", ref: ref, path: temporary.path)
                    await etag.add(chunk)
                    crc?.update(chunk)
                    size += Int64(chunk.count)
                }
            } catch {
                close(descriptor)
                throw error
            }
            guard close(descriptor) == 0 else {
                throw PAMError(.io, "cannot write the object: \(String(cString: strerror(errno)))", ref: ref, path: temporary.path)
            }
            if let expected = body.count, expected != size {
                throw PAMError(.storage, "body ended after \(size) of \(expected) bytes", ref: ref)
            }
            let now = clock.now()
            let info = ObjectInfo(
                ref: ref, size: size, etag: await etag.finish(), crc32: crc?.value,
                contentType: options.contentType, storageClass: options.storageClass, created: now, lastAccess: now,
                metadata: options.metadata)
            try install(temporary, as: info, tags: try ObjectTags.validated(options.tags, ref: ref))
            return info
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? PAMError { throw error }
            throw PAMError(.io, "cannot store the object", ref: ref, underlying: error)
        }
    }

    /// A file in this store's temporary folder (where `pam serve` spools uploads) becomes the object
    /// itself: hashed where it lies (mapped), made readable as stored objects are, and renamed into
    /// place with its index row, so an upload is written once. Any other file is copied (`put(_:body:options:)`).
    @discardableResult
    public func put(_ ref: ObjectRef, file: URL, options: PutOptions) async throws -> ObjectInfo {
        try await put(ref, file: file, options: options) { _ in }.info
    }

    /// As `put(_:file:options:)`, with `check` run first on the one mapping of the file that is then
    /// hashed and stored (a file elsewhere is mapped for `check`, then copied).
    public func put<Checked: Sendable>(
        _ ref: ObjectRef, file: URL, options: PutOptions, checking check: (Data) async throws -> Checked
    ) async throws -> (info: ObjectInfo, checked: Checked) {
        _ = try fileURL(ref)
        guard file.deletingLastPathComponent().standardizedFileURL.path == state.temporary.standardizedFileURL.path else {
            let checked = try await check(try Self.mappedContents(of: file, ref: ref))
            return (try await put(ref, body: try ByteStream.file(file, chunkSize: chunkSize), options: options), checked)
        }
        let data = try Self.mappedContents(of: file, ref: ref)
        // The check's own errors go to the caller as they are.
        let checked = try await check(data)
        do {
            var crc: CRC32?
            if options.computeCRC32 {
                crc = CRC32()
                crc?.update(data)
            }
            guard chmod(file.path, 0o644) == 0 else {
                throw PAMError(.io, "cannot make the object readable: \(String(cString: strerror(errno)))", ref: ref, path: file.path)
            }
            let now = clock.now()
            let info = ObjectInfo(
                ref: ref, size: Int64(data.count), etag: ETagHasher.rule.etag(of: data), crc32: crc?.value,
                contentType: options.contentType, storageClass: options.storageClass, created: now, lastAccess: now,
                metadata: options.metadata)
            try install(file, as: info, tags: try ObjectTags.validated(options.tags, ref: ref))
            return (info, checked)
        } catch let error as PAMError {
            throw error
        } catch {
            throw PAMError(.io, "cannot store the object", ref: ref, underlying: error)
        }
    }

    public func get(_ ref: ObjectRef) async throws -> ByteStream {
        let url = try fileURL(ref)
        guard let info = try index.info(ref) else { throw PAMError(.notFound, "no such object", ref: ref) }
        let stream = try ByteStream.file(url, chunkSize: chunkSize)
        let now = clock.now()
        if now.timeIntervalSince(info.lastAccess) >= Self.accessTimeSlack { try index.touch(ref, at: now, slack: Self.accessTimeSlack) }
        return stream
    }

    public func head(_ ref: ObjectRef) async throws -> ObjectInfo {
        _ = try fileURL(ref)
        guard let info = try index.info(ref) else { throw PAMError(.notFound, "no such object", ref: ref) }
        return info
    }

    public func list(bucket: String, prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectPage {
        try requireBucket(bucket)
        let limit = min(max(maxKeys, 1), 1000)
        let objects = try index.list(bucket: bucket, prefix: prefix, after: continuationToken, limit: limit + 1)
        let page = Array(objects.prefix(limit))
        return ObjectPage(objects: page, continuationToken: objects.count > limit ? page.last?.ref.key : nil)
    }

    public func delete(_ ref: ObjectRef) async throws {
        let url = try fileURL(ref)
        let bucketFolder = state.buckets.appendingPathComponent(ref.bucket)
        try index.delete(ref) {
            if unlink(url.path) != 0, errno != ENOENT {
                throw PAMError(.io, "cannot delete the object file: \(String(cString: strerror(errno)))", ref: ref, path: url.path)
            }
            // Remove folders the key's prefix left empty, as S3 has no folders to leave behind.
            var folder = url.deletingLastPathComponent()
            while folder.path.count > bucketFolder.path.count, rmdir(folder.path) == 0 {
                folder = folder.deletingLastPathComponent()
            }
        }
    }

    public func tags(_ ref: ObjectRef) async throws -> [String: String] {
        _ = try fileURL(ref)
        guard let tags = try index.tags(ref) else { throw PAMError(.notFound, "no such object", ref: ref) }
        return tags
    }

    public func setTags(_ ref: ObjectRef, _ tags: [String: String]) async throws {
        _ = try fileURL(ref)
        let tags = try ObjectTags.validated(tags, ref: ref)
        try index.setTags(ref, tags)
    }

    /// One transaction for all the objects; an object whose row still has its ETag is tagged, so
    /// none is left tagged over a version that replaced it.
    public func addTag(_ tag: (key: String, value: String), toUnchanged objects: [(ref: ObjectRef, etag: String)]) async throws -> [Bool] {
        for object in objects { _ = try fileURL(object.ref) }
        return try index.addTag(tag, toUnchanged: objects)
    }

    public func setStorageClass(_ ref: ObjectRef, _ storageClass: StorageClass) async throws {
        _ = try fileURL(ref)
        try index.setStorageClass(ref, storageClass)
    }

    public func presignedURL(_ method: PresignMethod, _ ref: ObjectRef, expiresIn: TimeInterval, contentType: String?) async throws -> URL {
        _ = try fileURL(ref)
        return try signer.sign(method, ref, contentType: contentType, expiresIn: expiresIn, now: clock.now())
    }

    /// 128 random bits in hex: a temporary file's name, drawn without the `/dev/urandom` reads of `UUID()`.
    static func randomName() -> String {
        withUnsafeBytes(of: (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))) { $0.hexString }
    }

    /// The file holding `ref`'s body, after validating bucket and key.
    func fileURL(_ ref: ObjectRef) throws -> URL {
        try requireBucket(ref.bucket)
        try ObjectKeyValidator.validate(key: ref.key, bucket: ref.bucket)
        return URL(fileURLWithPath: "\(bucketsPath)/\(ref.bucket)/\(ref.key)", isDirectory: false)
    }

    /// Makes the complete file `temporary` the object `info` describes: its index row and the
    /// rename into place in one step, so the object appears whole or not at all.
    ///
    /// The rename is tried first as it is, with no lookups: the key's folder is usually there, and
    /// the file system answers the conflicts (EISDIR: the key is a folder of other objects'
    /// files; ENOTDIR: a prefix of the key is an object). A missing folder (ENOENT) is made, each
    /// level checked, and the rename tried again; any other failure (no space, no permission) is
    /// an I/O error with the file system's reason. `also` runs first in the same transaction (a
    /// multipart completion checks and forgets its upload there).
    func install(
        _ temporary: URL, as info: ObjectInfo, tags: [String: String], also: (Database) throws -> Void = { _ in }
    ) throws {
        let destination = try fileURL(info.ref)
        try index.upsert(info, tags: tags, also: also) {
            guard Foundation.rename(temporary.path, destination.path) != 0 else { return }
            let code = errno
            switch code {
            case EISDIR: throw PAMError(.conflict, "the key is a prefix of other objects", ref: info.ref)
            case ENOTDIR: throw PAMError(.conflict, "a prefix of the key is itself an object", ref: info.ref)
            case ENOENT:
                try makeParentFolders(of: destination, ref: info.ref)
                try AtomicFile.rename(temporary, to: destination)
            default:
                throw PAMError(
                    .io, "cannot move the object into place: \(String(cString: strerror(code)))", ref: info.ref, path: destination.path)
            }
        }
    }

    func requireBucket(_ bucket: String) throws {
        if buckets.contains(bucket) { return }
        try ObjectKeyValidator.validate(bucket: bucket)
        guard try index.bucketRow(bucket) != nil else { throw PAMError(.notFound, "no such bucket '\(bucket)'") }
    }

    func makeParentFolders(of destination: URL, ref: ObjectRef) throws {
        let parent = destination.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: parent.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw PAMError(.conflict, "a prefix of the key is itself an object", ref: ref) }
        } else {
            do {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw PAMError(.conflict, "a prefix of the key is itself an object", ref: ref, underlying: error)
            }
        }
        if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isFolder), isFolder.boolValue {
            throw PAMError(.conflict, "the key is a prefix of other objects", ref: ref)
        }
    }
}
