import Crypto
import Foundation
import GRDB
import Logging
import PAMCore

/// Buckets of objects: metadata in SQLite, each body in a file of its own version
/// (`objects/<bucket>/<random>[.<extension>]`) that the object's row names.
///
/// Bodies are streamed to a temporary file, hashed (MD5 ETag, CRC-32) on the way, then renamed
/// into place in the transaction that writes the row naming them; the file of the version
/// replaced is removed only after that commit. So a reader never sees half an object, a crash
/// never leaves a row over another version's bytes, and a reader that read a row opens that
/// version's file or, when an overwrite removed it meanwhile, reads the row again. Files no row
/// names (left by a crash) are removed when the store is opened. Keys are validated before any
/// file is touched; since keys name no files, `a` and `a/b` are both objects, as on S3.
public struct FileSystemObjectStore: ObjectStore {
    let state: StateDirectory
    let index: ObjectIndex
    let signer: PresignedURLSigner
    let clock: any WallClock
    /// Chunk size of streamed reads.
    let chunkSize: Int
    /// The buckets given at opening (the app's), which always exist; others are looked up in the index.
    let buckets: Set<String>
    /// The objects whose deletions are put on record (``DeletionMark``): the photos the label table counts.
    let marksDeletion: @Sendable (ObjectRef) -> Bool
    /// How many buckets may exist, the app's included: S3's default quota per account (10,000
    /// general purpose buckets), so a key holder cannot fill the state with buckets.
    var maximumBuckets = 10_000
    /// Last-access times move only when older than this (like `relatime`), so a read costs no write.
    static let accessTimeSlack: TimeInterval = 3600

    /// Opens (creating if needed) the store in `state`, with `buckets` existing; `lifecycle` gives
    /// buckets whose lifecycle was never configured their first configuration; the deletion of an
    /// object `marksDeletion` accepts is kept on record until cleared (``DeletionMark``).
    public init(
        state: StateDirectory, buckets: [String], baseURL: URL, clock: any WallClock = SystemClock(), chunkSize: Int = 1 << 20,
        lifecycle: [BucketLifecycle] = [], marksDeletion: @escaping @Sendable (ObjectRef) -> Bool = { _ in false }
    ) throws {
        try self.init(
            state: state, buckets: buckets, address: ServiceAddress(baseURL), clock: clock, chunkSize: chunkSize, lifecycle: lifecycle,
            marksDeletion: marksDeletion)
    }

    /// Opens the store with presigned links on `address`, which may be settled later (`pam serve --port 0`).
    public init(
        state: StateDirectory, buckets: [String], address: ServiceAddress, clock: any WallClock = SystemClock(),
        chunkSize: Int = 1 << 20, lifecycle: [BucketLifecycle] = [], marksDeletion: @escaping @Sendable (ObjectRef) -> Bool = { _ in false }
    ) throws {
        try state.create()
        state.removeAbandonedTemporaryFiles()
        for bucket in buckets { try ObjectKeyValidator.validate(bucket: bucket) }
        self.state = state
        self.index = try ObjectIndex(path: state.objectIndex)
        for bucket in buckets {
            // A state written before version files dates its buckets by their folders.
            let folder = state.legacyBuckets.appendingPathComponent(bucket)
            let created = (try? FileManager.default.attributesOfItem(atPath: folder.path)[.creationDate] as? Date) ?? clock.now()
            try index.registerBucket(bucket, created: created, lifecycle: lifecycle.first { $0.bucket == bucket }?.rules)
        }
        self.signer = PresignedURLSigner(key: try state.loadOrCreatePresignKey(), address: address)
        self.clock = clock
        self.chunkSize = chunkSize
        self.buckets = Set(buckets)
        self.marksDeletion = marksDeletion
        try removeUnnamedVersionFiles()
        try removeUnnamedLegacyFiles()
    }

    /// The signer of this store's presigned URLs, for the server that answers them.
    public var presigner: PresignedURLSigner { signer }

    /// The ETag this store gives `body`: its hex MD5, or S3's multipart form above 8 MiB (as the
    /// AWS CLI uploads).
    public func etag(of body: Data) -> String { ETagHasher.rule.etag(of: body) }

    /// Hashed together: ``ETagHasher/etags(of:)``.
    public func etags(of bodies: [Data]) -> [String] { ETagHasher.etags(of: bodies) }

    @discardableResult
    public func put(_ ref: ObjectRef, body: ByteStream, options: PutOptions) async throws -> ObjectInfo {
        try installAlone(try await write(ref, body: body, options: options, etag: nil)).get()
    }

    /// The bodies' ETags are computed together (``ETagHasher/etags(of:)``: MD5 in SIMD lanes), each
    /// is written as `put(_:body:options:)` writes it, and all are installed in one transaction
    /// (``installEach(_:)``).
    public func putEach(_ objects: [(ref: ObjectRef, body: Data)], options: PutOptions) async -> [Result<ObjectInfo, any Error>] {
        let etags = etags(of: objects.map(\.body))
        var outcomes = [Result<ObjectInfo, any Error>?](repeating: nil, count: objects.count)
        var written: [(index: Int, object: WrittenObject)] = []
        for (index, (object, etag)) in zip(objects, etags).enumerated() {
            do {
                written.append((index, try await write(object.ref, body: .data(object.body), options: options, etag: etag)))
            } catch {
                outcomes[index] = .failure(error)
            }
        }
        for (entry, outcome) in zip(written, installEach(written.map(\.object))) { outcomes[entry.index] = outcome }
        // Every object has its outcome by now: its write's failure, or its installation's.
        return outcomes.map { $0! }
    }

    /// A body written to a temporary file of this store, with the object it is to become.
    struct WrittenObject {
        let temporary: URL
        let info: ObjectInfo
        let tags: [String: String]
    }

    /// Writes `body` to a new temporary file, hashing it unless `knownETag` is its ETag already, as
    /// ``ETagHasher`` computes it from these very bytes (``putEach(_:options:)``).
    /// Nothing is left behind when it fails.
    private func write(_ ref: ObjectRef, body: ByteStream, options: PutOptions, etag knownETag: String?) async throws -> WrittenObject {
        try validate(ref)
        let tags = try ObjectTags.validated(options.tags, ref: ref)
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
                    if knownETag == nil { await etag.add(chunk) }
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
            let finishedETag: String
            if let knownETag { finishedETag = knownETag } else { finishedETag = await etag.finish() }
            let info = ObjectInfo(
                ref: ref, size: size, etag: finishedETag, crc32: crc?.value,
                contentType: options.contentType, storageClass: options.storageClass, created: now, lastAccess: now,
                metadata: options.metadata)
            return WrittenObject(temporary: temporary, info: info, tags: tags)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw Self.storeError(error, ref: ref)
        }
    }

    /// A failure to store `ref` as the caller sees it: a PAMError as it is, anything else as `.io`.
    private static func storeError(_ error: any Error, ref: ObjectRef) -> PAMError {
        (error as? PAMError) ?? PAMError(.io, "cannot store the object", ref: ref, underlying: error)
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
        try validate(ref)
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

    public func get(_ ref: ObjectRef) async throws -> ByteStream { try await fetch(ref).body }

    /// The row and the file it names, read as one version (see `openBody`).
    public func fetch(_ ref: ObjectRef) async throws -> (info: ObjectInfo, body: ByteStream) {
        try validate(ref)
        let (info, stream) = try openBody(ref) { try ByteStream.file($0, chunkSize: chunkSize) }
        let now = clock.now()
        if now.timeIntervalSince(info.lastAccess) >= Self.accessTimeSlack { try index.touch(ref, at: now, slack: Self.accessTimeSlack) }
        return (info, stream)
    }

    public func head(_ ref: ObjectRef) async throws -> ObjectInfo {
        try validate(ref)
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
        try validate(ref)
        try index.delete(ref, mark: marksDeletion(ref)) { removeBody($0, of: ref) }
    }

    public func deletionMarks(in bucket: String) async throws -> [DeletionMark] {
        try requireBucket(bucket)
        return try index.deletionMarks(in: bucket)
    }

    // Marks name keys this store deleted, so their keys are not validated again (a stricter
    // validation in a later release must not make an old mark's turn fail for ever).
    public func deletionMark(_ ref: ObjectRef) async throws -> DeletionMark? {
        try requireBucket(ref.bucket)
        return try index.deletionMark(ref)
    }

    public func clearDeletionMark(_ mark: DeletionMark) async throws {
        try requireBucket(mark.ref.bucket)
        try index.clearDeletionMark(mark)
    }

    public func tags(_ ref: ObjectRef) async throws -> [String: String] {
        try validate(ref)
        guard let tags = try index.tags(ref) else { throw PAMError(.notFound, "no such object", ref: ref) }
        return tags
    }

    public func setTags(_ ref: ObjectRef, _ tags: [String: String]) async throws {
        try validate(ref)
        let tags = try ObjectTags.validated(tags, ref: ref)
        try index.setTags(ref, tags)
    }

    /// One transaction for all the objects; an object whose row still has its ETag is tagged, so
    /// none is left tagged over a version that replaced it.
    public func addTag(_ tag: (key: String, value: String), toUnchanged objects: [(ref: ObjectRef, etag: String)]) async throws -> [Bool] {
        for object in objects { try validate(object.ref) }
        return try index.addTag(tag, toUnchanged: objects)
    }

    public func setStorageClass(_ ref: ObjectRef, _ storageClass: StorageClass) async throws {
        try validate(ref)
        try index.setStorageClass(ref, storageClass)
    }

    public func presignedURL(_ method: PresignMethod, _ ref: ObjectRef, expiresIn: TimeInterval, contentType: String?) async throws -> URL {
        try validate(ref)
        return try signer.sign(method, ref, contentType: contentType, expiresIn: expiresIn, now: clock.now())
    }

    /// 128 random bits in hex: a temporary file's name, drawn without the `/dev/urandom` reads of `UUID()`.
    static func randomName() -> String {
        withUnsafeBytes(of: (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))) { $0.hexString }
    }

    /// Throws unless `ref`'s bucket exists and its key is valid.
    func validate(_ ref: ObjectRef) throws {
        try requireBucket(ref.bucket)
        try ObjectKeyValidator.validate(key: ref.key, bucket: ref.bucket)
    }

    /// Where the object's body is now, or nil when there is no such object: the path to read it
    /// by hand (a bundle to unzip). The next overwrite or delete of the object removes that file.
    public func localFile(_ ref: ObjectRef) throws -> URL? {
        try validate(ref)
        return try index.located(ref).map { url(of: $0.body, for: ref) }
    }

    /// The file `body` names for `ref`: its version file, or the key's own path in a state written before them.
    func url(of body: BodyFile, for ref: ObjectRef) -> URL {
        switch body {
        case .version(let name): versionFolder(ref.bucket).appendingPathComponent(name, isDirectory: false)
        case .keyPath: state.legacyBuckets.appendingPathComponent(ref.bucket).appendingPathComponent(ref.key, isDirectory: false)
        }
    }

    func versionFolder(_ bucket: String) -> URL { state.objects.appendingPathComponent(bucket, isDirectory: true) }

    /// Reads the row, then opens the file it names with `open`. When the open fails because an
    /// overwrite or a delete committed in between (the row names another file now, or none), the
    /// row is read again: the caller gets a row and the bytes of that very version.
    func openBody<Opened>(_ ref: ObjectRef, _ open: (URL) throws -> Opened) throws -> (info: ObjectInfo, opened: Opened) {
        var attempts = 0
        while true {
            guard let (info, body) = try index.located(ref) else { throw PAMError(.notFound, "no such object", ref: ref) }
            do {
                return (info, try open(url(of: body, for: ref)))
            } catch {
                attempts += 1
                guard attempts < 16, try index.located(ref)?.body != body else { throw error }
            }
        }
    }

    /// A new version file's name: 128 random bits in hex, and the key's extension when it has a
    /// short plain one (`.jpg`, `.zip`), so a person browsing the folder can open it.
    static func versionName(for key: String) -> String {
        let name = randomName()
        guard let last = key.split(separator: "/").last, let dot = last.lastIndex(of: ".") else { return name }
        let suffix = last[last.index(after: dot)...]
        guard (1...8).contains(suffix.count), suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return name }
        return name + "." + suffix
    }

    /// Makes the complete file `temporary` the object `info` describes: it is renamed to a new
    /// version file inside the transaction that writes the row naming it, and the file of the
    /// version it replaces is removed after the commit (`ObjectIndex.upsert`). `also` runs first in
    /// the same transaction (a multipart completion checks and forgets its upload there);
    /// `placed` runs once the file is in place, before the commit (where tests stand a kill).
    func install(
        _ temporary: URL, as info: ObjectInfo, tags: [String: String], also: (Database) throws -> Void = { _ in },
        placed: () throws -> Void = {}
    ) throws {
        try validate(info.ref)
        let name = Self.versionName(for: info.ref.key)
        let destination = versionFolder(info.ref.bucket).appendingPathComponent(name, isDirectory: false)
        try index.upsert(
            info, file: name, tags: tags, also: also,
            placeFile: {
                try moveIntoPlace(temporary, to: destination, ref: info.ref)
                try placed()
            },
            removeReplaced: { removeBody($0, of: info.ref) })
    }

    /// `install` of many written objects in one transaction (``ObjectIndex/upsertEach``), so that
    /// they cost one commit; each answers its object, or its failure. When the transaction fails,
    /// nothing was committed: the files it moved go back (still holding the writer) and each
    /// object is installed on its own, so a failure is its own object's. A temporary file is
    /// removed when its object fails.
    func installEach(_ objects: [WrittenObject]) -> [Result<ObjectInfo, any Error>] {
        guard objects.count > 1 else { return objects.map(installAlone) }
        let names = objects.map { Self.versionName(for: $0.info.ref.key) }
        let destinations = zip(objects, names).map { versionFolder($0.info.ref.bucket).appendingPathComponent($1, isDirectory: false) }
        var moved = 0
        do {
            for object in objects { try validate(object.info.ref) }
            try index.upsertEach(
                zip(objects, names).map { (info: $0.info, file: $1, tags: $0.tags) },
                placeFile: { index in
                    try moveIntoPlace(objects[index].temporary, to: destinations[index], ref: objects[index].info.ref)
                    moved = index + 1
                },
                rolledBack: {
                    for index in (0..<moved).reversed() { Foundation.rename(destinations[index].path, objects[index].temporary.path) }
                },
                removeReplaced: { index, body in removeBody(body, of: objects[index].info.ref) })
            return objects.map { .success($0.info) }
        } catch {
            return objects.map(installAlone)
        }
    }

    /// `install` of one written object in a transaction of its own; its temporary file is removed when it fails.
    private func installAlone(_ object: WrittenObject) -> Result<ObjectInfo, any Error> {
        do {
            try install(object.temporary, as: object.info, tags: object.tags)
            return .success(object.info)
        } catch {
            try? FileManager.default.removeItem(at: object.temporary)
            return .failure(Self.storeError(error, ref: object.info.ref))
        }
    }

    /// Renames a complete file to its version file's name; the bucket's folder is made by its first object.
    private func moveIntoPlace(_ temporary: URL, to destination: URL, ref: ObjectRef) throws {
        guard Foundation.rename(temporary.path, destination.path) != 0 else { return }
        guard errno == ENOENT else {
            throw PAMError(.io, "cannot move the object into place: \(String(cString: strerror(errno)))", ref: ref, path: destination.path)
        }
        let folder = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PAMError(.io, "cannot create the bucket's folder", ref: ref, path: folder.path, underlying: error)
        }
        try AtomicFile.rename(temporary, to: destination)
    }

    /// Removes a body no row names any longer. Best effort: a file left behind is named by no row
    /// (a version file goes at the next opening). A body at its key's path takes the folders its
    /// prefix left empty with it, as S3 has no folders to leave behind.
    func removeBody(_ body: BodyFile, of ref: ObjectRef) {
        let file = url(of: body, for: ref)
        unlink(file.path)
        guard body == .keyPath else { return }
        let bucketFolder = state.legacyBuckets.appendingPathComponent(ref.bucket)
        var folder = file.deletingLastPathComponent()
        while folder.path.count > bucketFolder.path.count, rmdir(folder.path) == 0 {
            folder = folder.deletingLastPathComponent()
        }
    }

    /// Removes the version files no row names (a kill between a file's move and its row's commit,
    /// or between a commit and the removal of the version it replaced), and the folders of buckets
    /// that no longer exist (checked while holding the writer, so no bucket is created meanwhile).
    /// When a folder holds as many files as its rows name, nothing is left over and no name is
    /// read (the usual case: two counts). Otherwise files are compared with the rows, then each
    /// candidate is checked again while holding the writer, so a file another process (`pam
    /// import` beside `pam serve`) is installing right now is never taken.
    func removeUnnamedVersionFiles() throws {
        for bucket in (try? FileManager.default.contentsOfDirectory(atPath: state.objects.path)) ?? [] {
            let folder = state.objects.appendingPathComponent(bucket, isDirectory: true)
            if try index.removeIfNoBucket(bucket, remove: { try? FileManager.default.removeItem(at: folder) }) { continue }
            let files = DirectoryEntries.count(at: folder.path)
            guard files > 0, files != (try index.versionFileCount(of: bucket)) else { continue }
            let named = try index.bodyNames(of: bucket, legacy: false)
            let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !named.contains($0) }
            try index.removeUnnamed(candidates, in: bucket, legacy: false) { name in
                unlink(folder.appendingPathComponent(name, isDirectory: false).path)
            }
        }
    }

    /// In a state written before version files: removes the bodies at key paths that no row names
    /// (a kill between an overwrite's or a delete's commit and the file's removal, then or under an
    /// older PAM), each checked again while holding the writer, and the folders left empty; the
    /// legacy folder goes once its last object was replaced or deleted.
    func removeUnnamedLegacyFiles() throws {
        let root = state.legacyBuckets
        for bucket in (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [] {
            let folder = root.appendingPathComponent(bucket, isDirectory: true)
            let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
            var keys: [String] = []
            while let url = walker?.nextObject() as? URL {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                keys.append(String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1)))
            }
            if !keys.isEmpty {
                let named = try index.bodyNames(of: bucket, legacy: true)
                try index.removeUnnamed(keys.filter { !named.contains($0) }, in: bucket, legacy: true) { key in
                    removeBody(.keyPath, of: ObjectRef(bucket: bucket, key: key))
                }
            }
            rmdir(folder.path) // only when empty
        }
        rmdir(root.path)
    }

    func requireBucket(_ bucket: String) throws {
        if buckets.contains(bucket) { return }
        try ObjectKeyValidator.validate(bucket: bucket)
        guard try index.bucketRow(bucket) != nil else { throw PAMError(.notFound, "no such bucket '\(bucket)'") }
    }
}
