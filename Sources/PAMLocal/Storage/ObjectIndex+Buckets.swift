import Foundation
import GRDB
import PAMCore

/// The buckets' rows beside the objects': name, creation date, and the lifecycle and CORS
/// configurations as JSON. Every bucket the store serves has a row; object rows are written only
/// while their bucket's row exists (checked in the object's write transaction), so a bucket
/// deleted during an upload cannot be left with an object.
extension ObjectIndex {
    static func createBucketTable(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE bucket (
                    name TEXT NOT NULL PRIMARY KEY,
                    created REAL NOT NULL,
                    lifecycle TEXT,
                    lifecycle_configured INTEGER NOT NULL DEFAULT 0,
                    cors TEXT
                ) WITHOUT ROWID
                """)
    }

    /// Throws `.notFound` (without a ref) unless `bucket` has a row; run inside a transaction.
    static func requireBucketRow(_ db: Database, _ bucket: String) throws {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM bucket WHERE name = ?")
        guard try Int.fetchOne(statement, arguments: [bucket]) != nil else { throw PAMError(.notFound, "no such bucket '\(bucket)'") }
    }

    /// Adds `name` unless it has a row; gives it `lifecycle` unless its lifecycle was ever configured.
    func registerBucket(_ name: String, created: Date, lifecycle: [LifecycleRule]?) throws {
        try wrapBucket {
            try pool.write { db in
                try db.execute(
                    sql: "INSERT OR IGNORE INTO bucket (name, created) VALUES (?, ?)", arguments: [name, created.timeIntervalSince1970])
                if let lifecycle {
                    try db.execute(
                        sql: "UPDATE bucket SET lifecycle = ?, lifecycle_configured = 1 WHERE name = ? AND lifecycle_configured = 0",
                        arguments: [try Self.json(lifecycle), name])
                }
            }
        }
    }

    func bucketRows() throws -> [BucketInfo] {
        try wrapBucket {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT name, created FROM bucket ORDER BY name").map {
                    BucketInfo(name: $0["name"], created: Date(timeIntervalSince1970: $0["created"]))
                }
            }
        }
    }

    func bucketRow(_ name: String) throws -> BucketInfo? {
        try wrapBucket {
            try pool.read { db in
                let statement = try db.cachedStatement(sql: "SELECT name, created FROM bucket WHERE name = ?")
                return try Row.fetchOne(statement, arguments: [name]).map {
                    BucketInfo(name: $0["name"], created: Date(timeIntervalSince1970: $0["created"]))
                }
            }
        }
    }

    /// Inserts the row and runs `clearFolders` in one transaction; `.conflict` when it exists,
    /// `.limitExceeded` when `limit` buckets exist already.
    func insertBucket(_ name: String, created: Date, limit: Int, clearFolders: () throws -> Void) throws {
        try wrapBucket {
            try pool.write { db in
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM bucket WHERE name = ?", arguments: [name]) == nil else {
                    throw PAMError(.conflict, "the bucket '\(name)' exists already")
                }
                guard try Int.fetchOne(db, sql: "SELECT count(*) FROM bucket") ?? 0 < limit else {
                    throw PAMError(.limitExceeded, "\(limit) buckets exist already, as many as may")
                }
                try db.execute(sql: "INSERT INTO bucket (name, created) VALUES (?, ?)", arguments: [name, created.timeIntervalSince1970])
                try clearFolders()
            }
        }
    }

    /// Deletes the row, with the bucket's multipart uploads in progress, and runs `removeFolder`
    /// in one transaction; `.notFound` without a row, `.conflict` while the bucket has objects.
    /// Returns the ids of the uploads forgotten, whose part folders the caller removes.
    func deleteBucket(_ name: String, removeFolder: () throws -> Void) throws -> [String] {
        try wrapBucket {
            try pool.write { db in
                try Self.requireBucketRow(db, name)
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM object WHERE bucket = ? LIMIT 1", arguments: [name]) == nil else {
                    throw PAMError(.conflict, "the bucket '\(name)' is not empty")
                }
                let uploads = try String.fetchAll(db, sql: "SELECT id FROM multipart_upload WHERE bucket = ?", arguments: [name])
                try db.execute(
                    sql: "DELETE FROM multipart_part WHERE upload_id IN (SELECT id FROM multipart_upload WHERE bucket = ?)",
                    arguments: [name])
                try db.execute(sql: "DELETE FROM multipart_upload WHERE bucket = ?", arguments: [name])
                try db.execute(sql: "DELETE FROM bucket WHERE name = ?", arguments: [name])
                try removeFolder()
                return uploads
            }
        }
    }

    /// A configuration column (`lifecycle`, `cors`) decoded; nil when unset; `.notFound` without a row.
    func bucketConfiguration<T: Decodable>(_ column: BucketColumn, of name: String, as type: T.Type) throws -> T? {
        try wrapBucket {
            try pool.read { db in
                try Self.requireBucketRow(db, name)
                let text = try String.fetchOne(db, sql: "SELECT \(column.rawValue) FROM bucket WHERE name = ?", arguments: [name])
                return try text.map { try JSONDecoder().decode(T.self, from: Data($0.utf8)) }
            }
        }
    }

    func setBucketConfiguration<T: Encodable>(_ column: BucketColumn, of name: String, to value: T?) throws {
        try wrapBucket {
            try pool.write { db in
                try Self.requireBucketRow(db, name)
                let text = try value.map(Self.json)
                let extra = column == .lifecycle ? ", lifecycle_configured = 1" : ""
                try db.execute(sql: "UPDATE bucket SET \(column.rawValue) = ?\(extra) WHERE name = ?", arguments: [text, name])
            }
        }
    }

    enum BucketColumn: String {
        case lifecycle, cors
    }

    private static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private func wrapBucket<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PAMError { throw error } catch {
            throw PAMError(.storage, "object index failure (buckets)", underlying: error)
        }
    }
}
