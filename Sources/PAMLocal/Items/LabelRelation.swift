import Foundation
import GRDB
import GRDBSQLite
import PAMCore

/// The app's label table as rows of the item store's database: `label(name, count, others)` and
/// `label_image(label, image)`. The app counts with them directly (`SQLiteLabelTable`); the AWS
/// endpoint sees the same rows as the items of `pam-labels` (`LabelItem`), so both doors read and
/// write one table, each write in one SQLite transaction.
///
/// Exactly-once counting: a count grows only when its (label, image) row is newly inserted and
/// falls only when such a row is deleted, in the same transaction.
enum LabelRelation {
    static let schema = """
        CREATE TABLE label (
            name TEXT PRIMARY KEY NOT NULL,
            count INTEGER,
            others BLOB
        ) WITHOUT ROWID;
        CREATE TABLE label_image (
            label TEXT NOT NULL REFERENCES label(name),
            image TEXT NOT NULL,
            PRIMARY KEY (label, image)
        ) WITHOUT ROWID;
        CREATE INDEX label_image_by_image ON label_image(image);
        CREATE INDEX label_by_count ON label(count DESC, name) WHERE count > 0;
        """

    // MARK: The app's operations

    /// Sets the labels of `imageKey` to exactly `names` (`LabelTable.record`).
    static func record(_ db: Database, imageKey: String, names: Set<String>) throws -> LabelChange {
        var change = LabelChange()
        let link = try db.cachedStatement(sql: "INSERT INTO label_image (label, image) VALUES (?, ?) ON CONFLICT DO NOTHING")
        for name in names.sorted(by: AttributeValue.utf8Less) {
            try ensureLabel(db, name)
            try link.execute(arguments: [name, imageKey])
            if db.changesCount == 1 {
                try addToCount(db, name, 1)
                change.added.append(name)
            }
        }
        for name in try labels(db, ofImage: imageKey) where !names.contains(name) {
            try db.cachedStatement(sql: "DELETE FROM label_image WHERE label = ? AND image = ?").execute(arguments: [name, imageKey])
            if db.changesCount == 1 {
                try addToCount(db, name, -1)
                change.removed.append(name)
            }
        }
        return change
    }

    /// Labels with a positive count, the most counted first.
    ///
    /// Read through SQLite's C API: decoding 1,000 rows through GRDB's generic `Row` was about a
    /// third of the server's CPU for a `GET /api/labels`.
    static func counts(_ db: Database) throws -> [LabelCount] {
        let statement = try db.cachedStatement(sql: "SELECT name, count FROM label WHERE count > 0 ORDER BY count DESC, name")
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        var counts: [LabelCount] = []
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW:
                // By length: a name may hold any character, NUL included.
                let length = Int(sqlite3_column_bytes(handle, 0))
                let name = sqlite3_column_text(handle, 0).map {
                    String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                }
                counts.append(LabelCount(label: name ?? "", count: Int(sqlite3_column_int64(handle, 1))))
            case SQLITE_DONE:
                return counts
            case let code:
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                    sql: statement.sql)
            }
        }
    }

    static func images(_ db: Database, withAnyOf names: [String]) throws -> [String] {
        let marks = databaseQuestionMarks(count: names.count)
        return try String.fetchAll(
            db, sql: "SELECT DISTINCT image FROM label_image WHERE label IN (\(marks)) ORDER BY image", arguments: StatementArguments(names)
        )
    }

    static func labels(_ db: Database, ofImage imageKey: String) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT label FROM label_image WHERE image = ? ORDER BY label"), arguments: [imageKey])
    }

    // MARK: The endpoint's items

    static func item(_ db: Database, label: String) throws -> LabelItem? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT count, others FROM label WHERE name = ?"), arguments: [label])
        else { return nil }
        let others: Data? = row["others"]
        let images = try String.fetchAll(
            db.cachedStatement(sql: "SELECT image FROM label_image WHERE label = ? ORDER BY image"), arguments: [label])
        return LabelItem(label: label, count: row["count"], images: images, others: try others.map(SQLiteItemStore.decodeItem) ?? [:])
    }

    /// Labels in key order after `after`, at most `limit`.
    static func items(_ db: Database, after: String?, limit: Int?) throws -> [LabelItem] {
        var sql = "SELECT name FROM label"
        var arguments: StatementArguments = []
        if let after {
            sql += " WHERE name > ?"
            arguments += [after]
        }
        sql += " ORDER BY name"
        if let limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        return try String.fetchAll(db, sql: sql, arguments: arguments).compactMap { try item(db, label: $0) }
    }

    /// Stores `new` in place of `old` (both as read in this transaction): the label row, and the
    /// image rows that differ. Nil `new` deletes the label.
    static func write(_ db: Database, old: LabelItem?, new: LabelItem?, label: String) throws {
        guard let new else {
            try db.execute(sql: "DELETE FROM label_image WHERE label = ?", arguments: [label])
            try db.execute(sql: "DELETE FROM label WHERE name = ?", arguments: [label])
            return
        }
        try db.execute(
            sql: """
                INSERT INTO label (name, count, others) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET count = excluded.count, others = excluded.others
                """,
            arguments: [new.label, new.count, new.others.isEmpty ? nil : try SQLiteItemStore.encode(new.others)])
        let (added, removed) = difference(from: old?.images ?? [], to: new.images)
        let unlink = try db.cachedStatement(sql: "DELETE FROM label_image WHERE label = ? AND image = ?")
        for image in removed { try unlink.execute(arguments: [new.label, image]) }
        let link = try db.cachedStatement(sql: "INSERT INTO label_image (label, image) VALUES (?, ?)")
        for image in added { try link.execute(arguments: [new.label, image]) }
    }

    static func statistics(_ db: Database) throws -> TableStatistics {
        let items = try self.items(db, after: nil, limit: nil)
        return TableStatistics(itemCount: items.count, sizeBytes: items.reduce(0) { $0 + AttributeValue.size(of: $1.item) })
    }

    // MARK: Earlier homes of the labels

    /// Takes in items written to the label table's name before it was this relation (generic
    /// items of the store): a label not here yet is stored as it was; for one that is, each of its
    /// images not counted yet is counted once.
    static func adopt(_ db: Database, _ item: Item) throws {
        guard let adopted = LabelItem(item) else { return }
        guard try self.item(db, label: adopted.label) != nil else {
            try write(db, old: nil, new: adopted, label: adopted.label)
            return
        }
        try count(db, label: adopted.label, images: adopted.images)
    }

    /// Counts each of `images` once under `label` (a label of an older table being taken in).
    static func count(_ db: Database, label: String, images: [String]) throws {
        try ensureLabel(db, label)
        let link = try db.cachedStatement(sql: "INSERT INTO label_image (label, image) VALUES (?, ?) ON CONFLICT DO NOTHING")
        for image in images {
            try link.execute(arguments: [label, image])
            if db.changesCount == 1 { try addToCount(db, label, 1) }
        }
    }

    // MARK: Pieces

    private static func ensureLabel(_ db: Database, _ name: String) throws {
        try db.cachedStatement(sql: "INSERT INTO label (name, count) VALUES (?, 0) ON CONFLICT (name) DO NOTHING").execute(arguments: [name]
        )
    }

    /// `ADD Count :delta`, as DynamoDB adds to a missing number (from zero).
    private static func addToCount(_ db: Database, _ name: String, _ delta: Int) throws {
        try db.cachedStatement(sql: "UPDATE label SET count = coalesce(count, 0) + ? WHERE name = ?").execute(arguments: [delta, name])
    }

    /// What to insert and delete to turn `old` into `new` (both sorted by UTF-8 bytes, unique).
    static func difference(from old: [String], to new: [String]) -> (added: [String], removed: [String]) {
        var added: [String] = []
        var removed: [String] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if j == new.count || (i < old.count && AttributeValue.utf8Less(old[i], new[j])) {
                removed.append(old[i])
                i += 1
            } else if i == old.count || AttributeValue.utf8Less(new[j], old[i]) {
                added.append(new[j])
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        return (added, removed)
    }
}
