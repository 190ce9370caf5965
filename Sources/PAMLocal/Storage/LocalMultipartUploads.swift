import Crypto
import Foundation
import GRDB
import PAMCore

/// Multipart uploads into a `FileSystemObjectStore`: each part is streamed to a temporary file and
/// renamed to a file of its own (`multipart/<upload>/<number>-<random>`) in the transaction that
/// records the row naming it; a part uploaded again gets a new file, and the one it replaces is
/// removed after the commit. So a part is whole and listed or absent, a row never describes
/// another upload's bytes, and uploads survive a crash. Completion concatenates the
/// parts into a temporary file (CRC-32 on the way) and installs it with the store's own atomic
/// rename and index transaction, which also forgets the upload: the object is then exactly like
/// one put, except for its `-N` ETag.
public struct LocalMultipartUploads: MultipartUploads {
    let store: FileSystemObjectStore
    /// Read and copy size when parts are concatenated.
    let chunkSize = 1 << 20

    /// Uploads kept in `store`'s state folder; part folders a crash left without their upload
    /// (between a completion's or abort's commit and the folder's removal), and part files no row
    /// names (between a move and its commit, or a commit and the removal of the part replaced),
    /// are removed.
    public init(store: FileSystemObjectStore) throws {
        self.store = store
        let folder = store.state.multipart
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PAMError(.io, "cannot create the multipart folder", path: folder.path, underlying: error)
        }
        guard DirectoryEntries.count(at: folder.path) > 0 else { return }
        // Holding the writer: no part is between its move and its commit meanwhile.
        try store.index.wrap(ObjectRef(bucket: "", key: "")) {
            try store.index.pool.write { db in
                let known = Set(try String.fetchAll(db, sql: "SELECT id FROM multipart_upload"))
                for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                    let uploadFolder = folder.appendingPathComponent(name)
                    guard known.contains(name) else {
                        try? FileManager.default.removeItem(at: uploadFolder)
                        continue
                    }
                    let named = Set(
                        try Row.fetchAll(db, sql: "SELECT number, file FROM multipart_part WHERE upload_id = ?", arguments: [name]).map {
                            Self.partFile($0["number"], BodyFile(column: $0["file"]), in: uploadFolder).lastPathComponent
                        })
                    for file in (try? FileManager.default.contentsOfDirectory(atPath: uploadFolder.path)) ?? [] where !named.contains(file)
                    {
                        unlink(uploadFolder.appendingPathComponent(file).path)
                    }
                }
            }
        }
    }

    public func create(_ ref: ObjectRef, options: PutOptions) async throws -> MultipartUpload {
        try store.validate(ref)
        _ = try ObjectTags.validated(options.tags, ref: ref)
        let upload = MultipartUpload(id: Self.newID(), ref: ref, options: options, initiated: store.clock.now())
        let encoded = try MultipartTables.encode(options)
        try store.index.wrap(ref) {
            try store.index.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO multipart_upload (\(MultipartTables.uploadColumns)) VALUES (?, ?, ?, ?, ?)",
                    arguments: [upload.id, ref.bucket, ref.key, encoded, upload.initiated.timeIntervalSince1970])
            }
        }
        return upload
    }

    public func upload(_ id: String, of ref: ObjectRef) async throws -> MultipartUpload {
        try read(ref) { db in try Self.upload(id, of: ref, in: db) }
    }

    public func putPart(_ number: Int, upload id: String, of ref: ObjectRef, body: ByteStream) async throws -> UploadedPart {
        guard (1...MultipartRules.maximumPartNumber).contains(number) else {
            throw PAMError(.invalidArgument, "part numbers are 1 to \(MultipartRules.maximumPartNumber), not \(number)", ref: ref)
        }
        _ = try await upload(id, of: ref)
        let temporary = store.state.temporary.appendingPathComponent("\(UUID().uuidString).part")
        defer { try? FileManager.default.removeItem(at: temporary) }
        var md5 = Insecure.MD5()
        var size: Int64 = 0
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw PAMError(.io, "cannot create a temporary file", ref: ref, path: temporary.path)
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            for try await chunk in body {
                try handle.write(contentsOf: chunk)
                md5.update(data: chunk)
                size += Int64(chunk.count)
            }
        } catch let error as PAMError {
            throw error
        } catch {
            throw PAMError(.io, "cannot store the part", ref: ref, underlying: error)
        }
        if let expected = body.count, expected != size {
            throw PAMError(.storage, "part body ended after \(size) of \(expected) bytes", ref: ref)
        }
        let digest = Data(md5.finalize())
        let now = store.clock.now()
        let folder = store.state.multipart.appendingPathComponent(id)
        let file = BodyFile.version(String(format: "%05d-", number) + FileSystemObjectStore.randomName())
        // The part it replaces goes once no row names it (a crash before that leaves it to the next opening).
        try store.index.replaceBodyFile(ref) { replaced in
            if replaced != file { unlink(Self.partFile(number, replaced, in: folder).path) }
        } _: { db in
            _ = try Self.upload(id, of: ref, in: db)
            let replaced = try Row.fetchOne(
                db, sql: "SELECT file FROM multipart_part WHERE upload_id = ? AND number = ?", arguments: [id, number]
            ).map { BodyFile(column: $0["file"]) }
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw PAMError(.io, "cannot create the upload's folder", ref: ref, path: folder.path, underlying: error)
            }
            try AtomicFile.rename(temporary, to: Self.partFile(number, file, in: folder))
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO multipart_part (upload_id, number, size, md5, last_modified, file)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, number, size, digest, now.timeIntervalSince1970, file.column])
            return replaced
        }
        return UploadedPart(number: number, etag: digest.hexString, size: size, lastModified: now)
    }

    public func parts(upload id: String, of ref: ObjectRef, after: Int, limit: Int) async throws -> [UploadedPart] {
        try read(ref) { db in
            _ = try Self.upload(id, of: ref, in: db)
            return try Row.fetchAll(
                db, sql: "SELECT * FROM multipart_part WHERE upload_id = ? AND number > ? ORDER BY number LIMIT ?",
                arguments: [id, after, limit]
            ).map { MultipartTables.part(from: $0).part }
        }
    }

    public func complete(_ id: String, of ref: ObjectRef, parts listed: [(number: Int, etag: String)]) async throws -> ObjectInfo {
        try store.validate(ref) // the bucket and key are valid before any work
        let (upload, rows): (MultipartUpload, [Int: (part: UploadedPart, md5: Data, body: BodyFile)]) = try read(ref) { db in
            let upload = try Self.upload(id, of: ref, in: db)
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM multipart_part WHERE upload_id = ?", arguments: [id])
                .map(MultipartTables.part(from:))
            return (upload, Dictionary(uniqueKeysWithValues: rows.map { ($0.part.number, $0) }))
        }
        let chosen = try MultipartRules.check(listed, stored: rows.mapValues(\.part), ref: ref, uploadID: id)
        let digests = rows.mapValues(\.md5)
        let folder = store.state.multipart.appendingPathComponent(id)
        let temporary = store.state.temporary.appendingPathComponent("\(UUID().uuidString).part")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let crc: UInt32?
        do {
            crc = try concatenate(
                chosen.compactMap { part in rows[part.number].map { Self.partFile(part.number, $0.body, in: folder) } }, into: temporary,
                crc: upload.options.computeCRC32, ref: ref)
        } catch {
            // A part uploaded again meanwhile took the file read away: say so rather than fail on I/O.
            try read(ref) { db in try Self.requireUnchanged(chosen, upload: id, of: ref, in: db) }
            throw error
        }
        let now = store.clock.now()
        let options = upload.options
        let info = ObjectInfo(
            ref: ref, size: chosen.reduce(0) { $0 + $1.size },
            etag: ETagHasher.rule.completedUploadETag(partDigests: chosen.compactMap { digests[$0.number] }), crc32: crc,
            contentType: options.contentType, storageClass: options.storageClass, created: now, lastAccess: now,
            metadata: options.metadata)
        try store.install(
            temporary, as: info, tags: try ObjectTags.validated(options.tags, ref: ref),
            also: { db in
                try Self.requireUnchanged(chosen, upload: id, of: ref, in: db)
                try Self.forget(id, ref: ref, in: db)
            })
        try? FileManager.default.removeItem(at: folder)
        return info
    }

    public func abort(_ id: String, of ref: ObjectRef) async throws {
        try store.index.wrap(ref) {
            try store.index.pool.write { db in
                _ = try Self.upload(id, of: ref, in: db)
                try Self.forget(id, ref: ref, in: db)
            }
        }
        try? FileManager.default.removeItem(at: store.state.multipart.appendingPathComponent(id))
    }

    public func uploads(bucket: String, prefix: String, keyMarker: String?, idMarker: String?, limit: Int) async throws
        -> [MultipartUpload]
    {
        try read(ObjectRef(bucket: bucket, key: prefix)) { db in
            // Comparisons in SQL (BINARY collation: UTF-8 byte order, S3's), as the object listing does.
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(MultipartTables.uploadColumns) FROM multipart_upload
                    WHERE bucket = ? AND substr(key, 1, ?) = ?
                      AND (? IS NULL OR key > ? OR (key = ? AND ? IS NOT NULL AND id > ?))
                    ORDER BY key, id LIMIT ?
                    """,
                arguments: [
                    bucket, prefix.unicodeScalars.count, prefix, keyMarker, keyMarker, keyMarker, idMarker, idMarker, limit,
                ]
            ).compactMap(MultipartTables.upload(from:))
        }
    }

    // MARK: Helpers

    /// Ids sort in creation order (microseconds first), then 64 random bits: hex, URL-safe.
    static func newID() -> String {
        let micros = UInt64(max(0, Date().timeIntervalSince1970 * 1_000_000))
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: micros >> (56 - 8 * $0)) }
        var generator = SystemRandomNumberGenerator()
        bytes += (0..<8).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return bytes.hexString
    }

    /// The file of part `number` whose row names `body` (a part stored before version files is
    /// at its number's name).
    static func partFile(_ number: Int, _ body: BodyFile, in folder: URL) -> URL {
        switch body {
        case .version(let name): folder.appendingPathComponent(name, isDirectory: false)
        case .keyPath: folder.appendingPathComponent(String(format: "%05d", number), isDirectory: false)
        }
    }

    /// Throws unless the upload is still there (not aborted or completed meanwhile) and none of
    /// `chosen` was uploaded again.
    static func requireUnchanged(_ chosen: [UploadedPart], upload id: String, of ref: ObjectRef, in db: Database) throws {
        _ = try upload(id, of: ref, in: db)
        let current = try Row.fetchAll(db, sql: "SELECT * FROM multipart_part WHERE upload_id = ?", arguments: [id])
            .map { MultipartTables.part(from: $0).part }
        let byNumber = Dictionary(uniqueKeysWithValues: current.map { ($0.number, $0) })
        guard chosen.allSatisfy({ byNumber[$0.number] == $0 }) else {
            throw MultipartUploadError(
                .invalidPart, "A listed part was uploaded again while the upload was being completed", ref: ref, uploadID: id)
        }
    }

    static func upload(_ id: String, of ref: ObjectRef, in db: Database) throws -> MultipartUpload {
        let row = try Row.fetchOne(
            db, sql: "SELECT \(MultipartTables.uploadColumns) FROM multipart_upload WHERE id = ? AND bucket = ? AND key = ?",
            arguments: [id, ref.bucket, ref.key])
        guard let upload = row.flatMap(MultipartTables.upload(from:)) else {
            throw MultipartUploadError(
                .noSuchUpload,
                "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
                ref: ref, uploadID: id)
        }
        return upload
    }

    static func forget(_ id: String, ref: ObjectRef, in db: Database) throws {
        try db.execute(sql: "DELETE FROM multipart_part WHERE upload_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM multipart_upload WHERE id = ?", arguments: [id])
    }

    private func read<T>(_ ref: ObjectRef, _ body: (Database) throws -> T) throws -> T {
        try store.index.wrap(ref) { try store.index.pool.read(body) }
    }

    /// Appends `files` to `destination` (created), returning their CRC-32 when `crc` asks for it.
    private func concatenate(_ files: [URL], into destination: URL, crc: Bool, ref: ObjectRef) throws -> UInt32? {
        var checksum = crc ? CRC32() : nil
        do {
            guard FileManager.default.createFile(atPath: destination.path, contents: nil) else {
                throw PAMError(.io, "cannot create a temporary file", ref: ref, path: destination.path)
            }
            let output = try FileHandle(forWritingTo: destination)
            defer { try? output.close() }
            for file in files {
                let input = try FileHandle(forReadingFrom: file)
                defer { try? input.close() }
                while let chunk = try input.read(upToCount: chunkSize), !chunk.isEmpty {
                    try output.write(contentsOf: chunk)
                    checksum?.update(chunk)
                }
            }
        } catch let error as PAMError {
            throw error
        } catch {
            throw PAMError(.io, "cannot assemble the uploaded parts", ref: ref, underlying: error)
        }
        return checksum?.value
    }
}
