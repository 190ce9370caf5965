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
            // Each body in a file of its own version (BodyFile); rows written before read as NULL:
            // the body at the key's path.
            migrator.registerMigration("v3-version-files") { db in
                try db.execute(sql: "ALTER TABLE object ADD COLUMN file TEXT")
                try db.execute(sql: "ALTER TABLE multipart_part ADD COLUMN file TEXT")
            }
            // Deletions kept on record until the analysis has taken the photo out (DeletionMark).
            migrator.registerMigration("v4-deletion-marks") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE deletion_mark (
                            bucket TEXT NOT NULL,
                            key TEXT NOT NULL,
                            id INTEGER NOT NULL,
                            PRIMARY KEY (bucket, key)
                        ) WITHOUT ROWID
                        """)
            }
        }
    }

    static let infoColumns = "bucket, key, size, etag, crc32, content_type, storage_class, created, last_access, metadata"

    /// The object's metadata, or nil when there is no such object.
    func info(_ ref: ObjectRef) throws -> ObjectInfo? { try located(ref)?.info }

    /// The object's metadata and the file its row names, read together; nil when there is no such object.
    func located(_ ref: ObjectRef) throws -> (info: ObjectInfo, body: BodyFile)? {
        try wrap(ref) {
            try pool.read { db in
                let statement = try db.cachedStatement(sql: "SELECT \(Self.infoColumns), file FROM object WHERE bucket = ? AND key = ?")
                return try Row.fetchOne(statement, arguments: [ref.bucket, ref.key]).map {
                    (Self.info(from: $0), BodyFile(column: $0["file"]))
                }
            }
        }
    }

    /// For each of `refs`, its row's ETag and body file (nil when there is no such object), read
    /// in one transaction: a bundle of thousands of photos finds their files at once.
    func bodies(of refs: [ObjectRef]) throws -> [(etag: String, body: BodyFile)?] {
        guard let first = refs.first else { return [] }
        return try wrap(first) {
            try pool.read { db in
                let statement = try db.cachedStatement(sql: "SELECT etag, file FROM object WHERE bucket = ? AND key = ?")
                return try refs.map { ref in
                    try Row.fetchOne(statement, arguments: [ref.bucket, ref.key]).map { ($0["etag"], BodyFile(column: $0["file"])) }
                }
            }
        }
    }

    /// What the rows of `bucket` name as bodies: their version files, or (`legacy`) the keys of
    /// those whose body is at the key's path.
    func bodyNames(of bucket: String, legacy: Bool) throws -> Set<String> {
        let sql =
            legacy
            ? "SELECT key FROM object WHERE bucket = ? AND file IS NULL" : "SELECT file FROM object WHERE bucket = ? AND file IS NOT NULL"
        return try wrap(ObjectRef(bucket: bucket, key: "")) {
            try pool.read { db in Set(try String.fetchAll(db, sql: sql, arguments: [bucket])) }
        }
    }

    /// How many version files the rows of `bucket` name.
    func versionFileCount(of bucket: String) throws -> Int {
        try wrap(ObjectRef(bucket: bucket, key: "")) {
            try pool.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM object WHERE bucket = ? AND file IS NOT NULL", arguments: [bucket]) ?? 0
            }
        }
    }

    /// Runs `remove` while holding the writer when there is no bucket `bucket` (its folder is a
    /// crash's leftover: no bucket can be created meanwhile); answers whether it ran.
    func removeIfNoBucket(_ bucket: String, remove: () -> Void) throws -> Bool {
        try wrap(ObjectRef(bucket: bucket, key: "")) {
            try pool.write { db in
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM bucket WHERE name = ?", arguments: [bucket]) == nil else { return false }
                remove()
                return true
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

    /// Stores the row, naming the version file `file`, and runs `placeFile` (which moves that file
    /// into place) in one write transaction; `also` runs in it first (a multipart completion
    /// forgets its upload there). Once committed, and still holding the writer, `removeReplaced`
    /// gets the body the row named before, if any. A kill before the commit leaves the old row and
    /// its file (and, at worst, a new file no row names); a kill after it, the new row and its file
    /// (and perhaps the old file, named by none): never a row over another version's bytes.
    func upsert(
        _ info: ObjectInfo, file: String, tags: [String: String], also: (Database) throws -> Void = { _ in },
        placeFile: () throws -> Void, removeReplaced: (BodyFile) -> Void
    ) throws {
        try replaceBodyFile(info.ref, removeReplaced: removeReplaced) { db in
            try Self.requireBucketRow(db, info.ref.bucket)
            try also(db)
            let replaced = try Self.writeRow(info, file: file, tags: tags, in: db)
            try placeFile()
            return replaced
        }
    }

    /// `upsert` of many objects in one write transaction: each row written and its file placed in
    /// turn (`placeFile` gets the object's index), so many objects cost one commit. Any failure
    /// rolls every row back (SQLite: a COMMIT that fails commits nothing, and GRDB rolls back), and
    /// `rolledBack` then runs while the writer is still held, so the caller can put the placed
    /// files back before another process's opening could sweep them as named by no row. Once
    /// committed, `removeReplaced` gets each body a row named before, with its object's index.
    func upsertEach(
        _ objects: [(info: ObjectInfo, file: String, tags: [String: String])], placeFile: (Int) throws -> Void,
        rolledBack: () -> Void, removeReplaced: (Int, BodyFile) -> Void
    ) throws {
        guard let first = objects.first else { return }
        try wrap(first.info.ref) {
            try pool.writeWithoutTransaction { db in
                var replaced: [(Int, BodyFile)] = []
                do {
                    try db.inTransaction {
                        for (index, object) in objects.enumerated() {
                            try Self.requireBucketRow(db, object.info.ref.bucket)
                            if let body = try Self.writeRow(object.info, file: object.file, tags: object.tags, in: db) {
                                replaced.append((index, body))
                            }
                            try placeFile(index)
                        }
                        return .commit
                    }
                } catch {
                    rolledBack()
                    throw error
                }
                for (index, body) in replaced { removeReplaced(index, body) }
            }
        }
    }

    /// Writes the object's row, naming the version file `file`, and answers the body the row named before.
    private static func writeRow(_ info: ObjectInfo, file: String, tags: [String: String], in db: Database) throws -> BodyFile? {
        let replaced = try body(of: info.ref, in: db)
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO object (\(infoColumns), tags, file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            info.ref.bucket, info.ref.key, info.size, info.etag, info.crc32.map { Int64($0) }, info.contentType,
            info.storageClass.rawValue, info.created.timeIntervalSince1970, info.lastAccess.timeIntervalSince1970,
            encode(info.metadata), encode(tags), file,
        ])
        return replaced
    }

    /// The one shape of every write that gives a row a new body file (objects, multipart parts):
    /// `write`, in one write transaction, moves the new file in, writes the row naming it and
    /// returns the file the row named before; once committed, still holding the writer, that file
    /// goes to `removeReplaced`. A kill before the commit leaves the old row and its file; after
    /// it, the new row and its file; the file no row names is swept at the next opening.
    func replaceBodyFile(_ ref: ObjectRef, removeReplaced: (BodyFile) -> Void, _ write: (Database) throws -> BodyFile?) throws {
        try wrap(ref) {
            try pool.writeWithoutTransaction { db in
                var replaced: BodyFile?
                try db.inTransaction {
                    replaced = try write(db)
                    return .commit
                }
                if let replaced { removeReplaced(replaced) }
            }
        }
    }

    /// The body file the object's row names, or nil when there is no such object.
    private static func body(of ref: ObjectRef, in db: Database) throws -> BodyFile? {
        let statement = try db.cachedStatement(sql: "SELECT file FROM object WHERE bucket = ? AND key = ?")
        guard let row = try Row.fetchOne(statement, arguments: [ref.bucket, ref.key]) else { return nil }
        return BodyFile(column: row["file"])
    }

    /// Gives `remove` each of `candidates` (version files of `bucket`, or with `legacy` keys whose
    /// body would be at the key's path) that no row names, asked while holding the writer: no
    /// transaction that moved a file in is still open, so a file named by none is what a crash or a
    /// failed commit left.
    func removeUnnamed(_ candidates: [String], in bucket: String, legacy: Bool, remove: (String) -> Void) throws {
        guard !candidates.isEmpty else { return }
        let sql =
            legacy
            ? "SELECT 1 FROM object WHERE bucket = ? AND key = ? AND file IS NULL" : "SELECT 1 FROM object WHERE bucket = ? AND file = ?"
        try wrap(ObjectRef(bucket: bucket, key: "")) {
            try pool.write { db in
                let statement = try db.cachedStatement(sql: sql)
                for name in candidates where try Int.fetchOne(statement, arguments: [bucket, name]) == nil { remove(name) }
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

    /// Deletes the row, then gives `removeFile` the body it named once the deletion is committed,
    /// both while holding the writer. A crash in between leaves a file no row names (removed at
    /// the next opening when it is a version file); the other order left a row without its file.
    /// With `mark`, the deletion of a row is put on record (``DeletionMark``, a random id of its
    /// own) in the same transaction.
    func delete(_ ref: ObjectRef, mark: Bool, removeFile: (BodyFile) -> Void) throws {
        try wrap(ref) {
            try pool.writeWithoutTransaction { db in
                var removed: BodyFile?
                try db.inTransaction {
                    removed = try Self.body(of: ref, in: db)
                    try db.cachedStatement(sql: "DELETE FROM object WHERE bucket = ? AND key = ?").execute(arguments: [ref.bucket, ref.key])
                    if mark, db.changesCount == 1 {
                        try db.cachedStatement(
                            sql: """
                                INSERT INTO deletion_mark (bucket, key, id) VALUES (?, ?, random())
                                ON CONFLICT (bucket, key) DO UPDATE SET id = excluded.id
                                """
                        ).execute(arguments: [ref.bucket, ref.key])
                    }
                    return .commit
                }
                if let removed { removeFile(removed) }
            }
        }
    }

    /// The deletions of `bucket` on record, in key order.
    func deletionMarks(in bucket: String) throws -> [DeletionMark] {
        try wrap(ObjectRef(bucket: bucket, key: "")) {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT key, id FROM deletion_mark WHERE bucket = ? ORDER BY key", arguments: [bucket])
                    .map { DeletionMark(ref: ObjectRef(bucket: bucket, key: $0["key"]), id: $0["id"]) }
            }
        }
    }

    /// The deletion of `ref` on record, if any.
    func deletionMark(_ ref: ObjectRef) throws -> DeletionMark? {
        try wrap(ref) {
            try pool.read { db in
                let statement = try db.cachedStatement(sql: "SELECT id FROM deletion_mark WHERE bucket = ? AND key = ?")
                return try Int64.fetchOne(statement, arguments: [ref.bucket, ref.key]).map { DeletionMark(ref: ref, id: $0) }
            }
        }
    }

    /// Takes `mark` off the record unless a later deletion replaced it (another id).
    func clearDeletionMark(_ mark: DeletionMark) throws {
        try wrap(mark.ref) {
            try pool.write { db in
                try db.cachedStatement(sql: "DELETE FROM deletion_mark WHERE bucket = ? AND key = ? AND id = ?")
                    .execute(arguments: [mark.ref.bucket, mark.ref.key, mark.id])
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
