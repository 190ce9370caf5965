import Crypto
import Foundation
import GRDB
import PAMCore

/// Multipart uploads into a `FileSystemObjectStore`: each part is streamed to a temporary file and
/// renamed to `multipart/<upload>/<part>` in the transaction that records its row, so a part is
/// either whole and listed or absent, and uploads survive a crash. Completion concatenates the
/// parts into a temporary file (CRC-32 on the way) and installs it with the store's own atomic
/// rename and index transaction, which also forgets the upload: the object is then exactly like
/// one put, except for its `-N` ETag.
public struct LocalMultipartUploads: MultipartUploads {
    let store: FileSystemObjectStore
    /// Read and copy size when parts are concatenated.
    let chunkSize = 1 << 20

    /// Uploads kept in `store`'s state folder; part folders a crash left without their upload
    /// (between a completion's or abort's commit and the folder's removal) are removed.
    public init(store: FileSystemObjectStore) throws {
        self.store = store
        let folder = store.state.multipart
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PAMError(.io, "cannot create the multipart folder", path: folder.path, underlying: error)
        }
        let known = Set(try read(ObjectRef(bucket: "", key: "")) { db in try String.fetchAll(db, sql: "SELECT id FROM multipart_upload") })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where !known.contains(name) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    public func create(_ ref: ObjectRef, options: PutOptions) async throws -> MultipartUpload {
        _ = try store.fileURL(ref)
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
        try store.index.wrap(ref) {
            try store.index.pool.write { db in
                _ = try Self.upload(id, of: ref, in: db)
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                } catch {
                    throw PAMError(.io, "cannot create the upload's folder", ref: ref, path: folder.path, underlying: error)
                }
                try AtomicFile.rename(temporary, to: Self.partFile(number, in: folder))
                try db.execute(
                    sql: "INSERT OR REPLACE INTO multipart_part (upload_id, number, size, md5, last_modified) VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, number, size, digest, now.timeIntervalSince1970])
            }
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
        _ = try store.fileURL(ref) // the bucket and key are valid before any work
        let (upload, stored, digests): (MultipartUpload, [Int: UploadedPart], [Int: Data]) = try read(ref) { db in
            let upload = try Self.upload(id, of: ref, in: db)
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM multipart_part WHERE upload_id = ?", arguments: [id])
                .map(MultipartTables.part(from:))
            return (
                upload, Dictionary(uniqueKeysWithValues: rows.map { ($0.part.number, $0.part) }),
                Dictionary(uniqueKeysWithValues: rows.map { ($0.part.number, $0.md5) })
            )
        }
        let chosen = try MultipartRules.check(listed, stored: stored, ref: ref, uploadID: id)
        let folder = store.state.multipart.appendingPathComponent(id)
        let temporary = store.state.temporary.appendingPathComponent("\(UUID().uuidString).part")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let crc = try concatenate(
            chosen.map { Self.partFile($0.number, in: folder) }, into: temporary, crc: upload.options.computeCRC32, ref: ref)
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
                // The upload is still there (not aborted or completed meanwhile) and no part was replaced.
                _ = try Self.upload(id, of: ref, in: db)
                let current = try Row.fetchAll(db, sql: "SELECT * FROM multipart_part WHERE upload_id = ?", arguments: [id])
                    .map { MultipartTables.part(from: $0).part }
                let byNumber = Dictionary(uniqueKeysWithValues: current.map { ($0.number, $0) })
                guard chosen.allSatisfy({ byNumber[$0.number] == $0 }) else {
                    throw MultipartUploadError(
                        .invalidPart, "A listed part was uploaded again while the upload was being completed", ref: ref, uploadID: id)
                }
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

    static func partFile(_ number: Int, in folder: URL) -> URL {
        folder.appendingPathComponent(String(format: "%05d", number), isDirectory: false)
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
