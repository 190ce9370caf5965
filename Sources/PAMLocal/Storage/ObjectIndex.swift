import Foundation
import GRDB
import PAMCore

/// The metadata of every object in the local buckets, in SQLite (WAL): what S3 keeps beside the
/// bytes. Keys sort with SQLite's BINARY collation, i.e. by UTF-8 bytes, which is S3's list order.
struct ObjectIndex: Sendable {
    let pool: DatabasePool

    init(path: URL) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            pool = try DatabasePool(path: path.path, configuration: configuration)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: """
                    CREATE TABLE object (
                        bucket TEXT NOT NULL,
                        key TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        etag TEXT NOT NULL,
                        crc32 INTEGER NOT NULL,
                        content_type TEXT NOT NULL,
                        storage_class TEXT NOT NULL,
                        created REAL NOT NULL,
                        last_access REAL NOT NULL,
                        tags TEXT NOT NULL DEFAULT '{}',
                        PRIMARY KEY (bucket, key)
                    ) WITHOUT ROWID
                    """)
            }
            try migrator.migrate(pool)
        } catch {
            throw PAMError(.storage, "cannot open the object index", path: path.path, underlying: error)
        }
    }

    struct Record: Sendable {
        var info: ObjectInfo
        var tags: [String: String]
    }

    func record(_ ref: ObjectRef) throws -> Record? {
        try wrap(ref) { try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM object WHERE bucket = ? AND key = ?", arguments: [ref.bucket, ref.key]) } }
            .map { try Self.record(from: $0) }
    }

    /// Runs `replaceFile` and stores `record` in one write transaction, so concurrent writers of
    /// one key leave the file and its row from the same writer.
    func upsert(_ record: Record, replaceFile: () throws -> Void) throws {
        try wrap(record.info.ref) {
            try pool.write { db in
                try replaceFile()
                try db.execute(sql: """
                    INSERT OR REPLACE INTO object (bucket, key, size, etag, crc32, content_type, storage_class, created, last_access, tags)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: Self.arguments(record))
            }
        }
    }

    /// Updates one object's row with `change`; throws `.notFound` when there is none.
    func update(_ ref: ObjectRef, _ change: (inout Record) throws -> Void) throws {
        try wrap(ref) {
            try pool.write { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM object WHERE bucket = ? AND key = ?", arguments: [ref.bucket, ref.key]) else {
                    throw PAMError(.notFound, "no such object", ref: ref)
                }
                var record = try Self.record(from: row)
                try change(&record)
                try db.execute(sql: """
                    UPDATE object SET storage_class = ?, last_access = ?, tags = ? WHERE bucket = ? AND key = ?
                    """, arguments: [record.info.storageClass.rawValue, record.info.lastAccess.timeIntervalSince1970,
                                     try Self.encode(record.tags), ref.bucket, ref.key])
            }
        }
    }

    /// Deletes the row and runs `removeFile` in the same transaction.
    func delete(_ ref: ObjectRef, removeFile: () throws -> Void) throws {
        try wrap(ref) {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM object WHERE bucket = ? AND key = ?", arguments: [ref.bucket, ref.key])
                try removeFile()
            }
        }
    }

    /// Up to `limit` objects of `bucket` with keys after `after` that start with `prefix`.
    func list(bucket: String, prefix: String, after: String?, limit: Int) throws -> [ObjectInfo] {
        let start = max(after ?? "", prefix)
        let inclusive = after == nil || (after ?? "") < prefix
        return try wrap(ObjectRef(bucket: bucket, key: prefix)) {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM object WHERE bucket = ? AND key \(inclusive ? ">=" : ">") ? AND substr(key, 1, ?) = ?
                    ORDER BY key LIMIT ?
                    """, arguments: [bucket, start, prefix.unicodeScalars.count, prefix, limit])
            }.map { try Self.record(from: $0).info }
        }
    }

    private static func arguments(_ record: Record) throws -> StatementArguments {
        let info = record.info
        return [info.ref.bucket, info.ref.key, info.size, info.etag, Int64(info.crc32 ?? 0), info.contentType,
                info.storageClass.rawValue, info.created.timeIntervalSince1970, info.lastAccess.timeIntervalSince1970,
                try encode(record.tags)]
    }

    private static func record(from row: Row) throws -> Record {
        let ref = ObjectRef(bucket: row["bucket"], key: row["key"])
        let tagsText: String = row["tags"]
        let tags = (try? JSONDecoder().decode([String: String].self, from: Data(tagsText.utf8))) ?? [:]
        let crc: Int64 = row["crc32"]
        let info = ObjectInfo(
            ref: ref, size: row["size"], etag: row["etag"], crc32: UInt32(truncatingIfNeeded: crc),
            contentType: row["content_type"],
            storageClass: StorageClass(rawValue: row["storage_class"]) ?? .standard,
            created: Date(timeIntervalSince1970: row["created"]), lastAccess: Date(timeIntervalSince1970: row["last_access"]))
        return Record(info: info, tags: tags)
    }

    private static func encode(_ tags: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(tags), as: UTF8.self)
    }

    private func wrap<T>(_ ref: ObjectRef, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PAMError { throw error } catch {
            throw PAMError(.storage, "object index failure", ref: ref, underlying: error)
        }
    }
}
