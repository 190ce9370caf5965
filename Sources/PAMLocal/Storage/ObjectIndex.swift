import Foundation
import GRDB
import PAMCore

/// The metadata of every object in the local buckets, in SQLite (WAL): what S3 keeps beside the
/// bytes. Keys sort with SQLite's BINARY collation, i.e. by UTF-8 bytes, which is S3's list order.
struct ObjectIndex: Sendable {
    let pool: DatabasePool

    init(path: URL) throws {
        pool = try SQLiteDatabase.open(path, what: "the object index", code: .storage) { migrator in
            migrator.registerMigration("v1") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE object (
                            bucket TEXT NOT NULL,
                            key TEXT NOT NULL,
                            size INTEGER NOT NULL,
                            etag TEXT NOT NULL,
                            crc32 INTEGER,
                            content_type TEXT NOT NULL,
                            storage_class TEXT NOT NULL,
                            created REAL NOT NULL,
                            last_access REAL NOT NULL,
                            tags TEXT NOT NULL DEFAULT '{}',
                            PRIMARY KEY (bucket, key)
                        ) WITHOUT ROWID
                        """)
            }
            // User metadata and content headers, as JSON; rows written before it read as none.
            migrator.registerMigration("v2-metadata") { db in
                try db.execute(sql: "ALTER TABLE object ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}'")
            }
            MultipartTables.register(in: &migrator)
            migrator.registerMigration("v2-buckets") { db in try Self.createBucketTable(db) }
        }
    }

    static let infoColumns = "bucket, key, size, etag, crc32, content_type, storage_class, created, last_access, metadata"

    /// The object's metadata, or nil when there is no such object.
    func info(_ ref: ObjectRef) throws -> ObjectInfo? {
        try wrap(ref) {
            try pool.read { db in
                let statement = try db.cachedStatement(sql: "SELECT \(Self.infoColumns) FROM object WHERE bucket = ? AND key = ?")
                return try Row.fetchOne(statement, arguments: [ref.bucket, ref.key]).map(Self.info(from:))
            }
        }
    }

    /// The object's tags, or nil when there is no such object.
    func tags(_ ref: ObjectRef) throws -> [String: String]? {
        try wrap(ref) {
            try pool.read { db in
                let statement = try db.cachedStatement(sql: "SELECT tags FROM object WHERE bucket = ? AND key = ?")
                return try String.fetchOne(statement, arguments: [ref.bucket, ref.key]).map(Self.decode)
            }
        }
    }

    /// Stores the row and runs `replaceFile` in one write transaction, so concurrent writers of
    /// one key leave the file and its row from the same writer; `also` runs in that transaction
    /// first (a multipart completion forgets its upload there). The row is written before the file
    /// moves: a failed write leaves the old file, a failed move rolls the row back, and only a
    /// failed commit after the move can leave the new file under the old row.
    func upsert(
        _ info: ObjectInfo, tags: [String: String], also: (Database) throws -> Void = { _ in }, replaceFile: () throws -> Void
    ) throws {
        try wrap(info.ref) {
            try pool.write { db in
                try Self.requireBucketRow(db, info.ref.bucket)
                try also(db)
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT OR REPLACE INTO object (\(Self.infoColumns), tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                try statement.execute(arguments: [
                    info.ref.bucket, info.ref.key, info.size, info.etag, info.crc32.map { Int64($0) }, info.contentType,
                    info.storageClass.rawValue, info.created.timeIntervalSince1970, info.lastAccess.timeIntervalSince1970,
                    Self.encode(info.metadata), Self.encode(tags),
                ])
                try replaceFile()
            }
        }
    }

    func setTags(_ ref: ObjectRef, _ tags: [String: String]) throws {
        try updateRow(ref, set: "tags = ?", [Self.encode(tags)])
    }

    /// Adds `tag` to each object whose row still has `etag`, in one transaction: a row without tags
    /// (a photo just stored) in one statement, others through their tags read, merged and checked.
    func addTag(_ tag: (key: String, value: String), toUnchanged objects: [(ref: ObjectRef, etag: String)]) throws -> [Bool] {
        guard let first = objects.first else { return [] }
        let only = Self.encode([tag.key: tag.value])
        return try wrap(first.ref) {
            try pool.write { db -> [Bool] in
                let untagged = try db.cachedStatement(
                    sql: "UPDATE object SET tags = ? WHERE bucket = ? AND key = ? AND etag = ? AND tags = '{}'")
                return try objects.map { object -> Bool in
                    try untagged.execute(arguments: [only, object.ref.bucket, object.ref.key, object.etag])
                    if db.changesCount == 1 { return true }
                    let current = try db.cachedStatement(sql: "SELECT tags FROM object WHERE bucket = ? AND key = ? AND etag = ?")
                    guard let text = try String.fetchOne(current, arguments: [object.ref.bucket, object.ref.key, object.etag]) else {
                        return false
                    }
                    var tags = Self.decode(text)
                    tags[tag.key] = tag.value
                    let update = try db.cachedStatement(sql: "UPDATE object SET tags = ? WHERE bucket = ? AND key = ?")
                    try update.execute(arguments: [
                        Self.encode(try ObjectTags.validated(tags, ref: object.ref)), object.ref.bucket, object.ref.key,
                    ])
                    return true
                }
            }
        }
    }

    func setStorageClass(_ ref: ObjectRef, _ storageClass: StorageClass) throws {
        try updateRow(ref, set: "storage_class = ?", [storageClass.rawValue])
    }

    /// Records an access at `date`, relatime-style: only when the last one is older than `slack`
    /// seconds, so reads right after writes cost no write.
    func touch(_ ref: ObjectRef, at date: Date, slack: TimeInterval) throws {
        try wrap(ref) {
            try pool.write { db in
                let statement = try db.cachedStatement(
                    sql: "UPDATE object SET last_access = ? WHERE bucket = ? AND key = ? AND last_access < ?")
                try statement.execute(arguments: [date.timeIntervalSince1970, ref.bucket, ref.key, date.timeIntervalSince1970 - slack])
            }
        }
    }

    private func updateRow(_ ref: ObjectRef, set assignment: String, _ values: StatementArguments) throws {
        try wrap(ref) {
            try pool.write { db in
                let statement = try db.cachedStatement(sql: "UPDATE object SET \(assignment) WHERE bucket = ? AND key = ?")
                try statement.execute(arguments: values + [ref.bucket, ref.key])
                guard db.changesCount == 1 else { throw PAMError(.notFound, "no such object", ref: ref) }
            }
        }
    }

    /// Deletes the row, then runs `removeFile` once the deletion is committed, both while holding
    /// the writer (no other write, such as a put of the same key moving its file in, comes between).
    /// A crash in between leaves a file without a row, which nothing lists or serves; the other
    /// order left a row without its file. When `removeFile` throws, the row is already gone.
    func delete(_ ref: ObjectRef, removeFile: () throws -> Void) throws {
        try wrap(ref) {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction {
                    try db.cachedStatement(sql: "DELETE FROM object WHERE bucket = ? AND key = ?").execute(arguments: [ref.bucket, ref.key])
                    return .commit
                }
                try removeFile()
            }
        }
    }

    /// Up to `limit` objects of `bucket` with keys after `after` that start with `prefix`.
    func list(bucket: String, prefix: String, after: String?, limit: Int) throws -> [ObjectInfo] {
        try wrap(ObjectRef(bucket: bucket, key: prefix)) {
            try pool.read { db in
                // Comparisons in SQL (BINARY collation), not in Swift, whose String order is not byte order.
                let statement = try db.cachedStatement(
                    sql: """
                        SELECT \(Self.infoColumns) FROM object
                        WHERE bucket = ? AND key >= ? AND (? IS NULL OR key > ?) AND substr(key, 1, ?) = ?
                        ORDER BY key LIMIT ?
                        """)
                return try Row.fetchAll(statement, arguments: [bucket, prefix, after, after, prefix.unicodeScalars.count, prefix, limit])
                    .map(Self.info(from:))
            }
        }
    }

    private static func info(from row: Row) -> ObjectInfo {
        let crc: Int64? = row["crc32"]
        return ObjectInfo(
            ref: ObjectRef(bucket: row["bucket"], key: row["key"]), size: row["size"], etag: row["etag"],
            crc32: crc.map { UInt32(truncatingIfNeeded: $0) }, contentType: row["content_type"],
            storageClass: StorageClass(rawValue: row["storage_class"]) ?? .standard,
            created: Date(timeIntervalSince1970: row["created"]), lastAccess: Date(timeIntervalSince1970: row["last_access"]),
            metadata: decodeMetadata(row["metadata"]))
    }

    static func decodeMetadata(_ text: String) -> ObjectMetadata {
        if text == "{}" { return ObjectMetadata() }
        return (try? JSONDecoder().decode(ObjectMetadata.self, from: Data(text.utf8))) ?? ObjectMetadata()
    }

    static func encode(_ metadata: ObjectMetadata) -> String {
        if metadata.isEmpty { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(metadata) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) -> [String: String] {
        if text == "{}" { return [:] } // most objects: no tags, no JSON parser
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String] ?? [:]
    }

    /// The tags as a JSON object, keys sorted. Written here rather than by `JSONSerialization`,
    /// which took a fifth of the CPU of tagging a photo.
    static func encode(_ tags: [String: String]) -> String {
        if tags.isEmpty { return "{}" }
        var text = "{"
        for (index, key) in tags.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            text += JSONText.quoted(key) + ":" + JSONText.quoted(tags[key] ?? "")
        }
        return text + "}"
    }

    func wrap<T>(_ ref: ObjectRef, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PAMError { throw error } catch let error as MultipartUploadError { throw error } catch {
            throw PAMError(.storage, "object index failure", ref: ref, underlying: error)
        }
    }
}
