import Foundation
import GRDB
import PAMCore

/// The label table in SQLite (WAL): `label(name, count)` and the `label_image(label, image)`
/// relation — the reference's DynamoDB `Label`, `Count` and `Images`.
///
/// Exactly-once counting: a label's count grows only when its (label, image) row is newly
/// inserted, and falls only when such a row is deleted (an overwritten photo that lost the label),
/// in the same transaction, so repeated or concurrent records change nothing.
public struct SQLiteLabelTable: LabelTable {
    let pool: DatabasePool

    public init(path: URL) throws {
        pool = try SQLiteDatabase.open(path, what: "the label table", code: .table) { migrator in
            migrator.registerMigration("v1") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE label (
                            name TEXT PRIMARY KEY NOT NULL,
                            count INTEGER NOT NULL CHECK (count >= 0)
                        ) WITHOUT ROWID;
                        CREATE TABLE label_image (
                            label TEXT NOT NULL REFERENCES label(name),
                            image TEXT NOT NULL,
                            PRIMARY KEY (label, image)
                        ) WITHOUT ROWID;
                        CREATE INDEX label_image_by_image ON label_image(image);
                        """)
            }
        }
    }

    @discardableResult
    public func record(imageKey: String, labels: [String]) async throws -> LabelChange {
        guard !imageKey.isEmpty else { throw PAMError(.invalidArgument, "the image key is empty") }
        let names = Set(labels.filter { !$0.isEmpty })
        return try wrap {
            try pool.write { db in
                var change = LabelChange()
                let addLabel = try db.cachedStatement(sql: "INSERT INTO label (name, count) VALUES (?, 0) ON CONFLICT (name) DO NOTHING")
                let link = try db.cachedStatement(sql: "INSERT INTO label_image (label, image) VALUES (?, ?) ON CONFLICT DO NOTHING")
                let countUp = try db.cachedStatement(sql: "UPDATE label SET count = count + 1 WHERE name = ?")
                let unlink = try db.cachedStatement(sql: "DELETE FROM label_image WHERE label = ? AND image = ?")
                let countDown = try db.cachedStatement(sql: "UPDATE label SET count = count - 1 WHERE name = ?")
                for name in names.sorted() {
                    try addLabel.execute(arguments: [name])
                    try link.execute(arguments: [name, imageKey])
                    if db.changesCount == 1 {
                        try countUp.execute(arguments: [name])
                        change.added.append(name)
                    }
                }
                // Labels the image had and no longer has (the object was overwritten): one down each,
                // in the same transaction, so a count falls exactly when its row goes.
                let previous = try String.fetchAll(
                    db, sql: "SELECT label FROM label_image WHERE image = ? ORDER BY label", arguments: [imageKey])
                for name in previous where !names.contains(name) {
                    try unlink.execute(arguments: [name, imageKey])
                    if db.changesCount == 1 {
                        try countDown.execute(arguments: [name])
                        change.removed.append(name)
                    }
                }
                return change
            }
        }
    }

    public func allLabels() async throws -> [LabelCount] {
        try wrap {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT name, count FROM label WHERE count > 0 ORDER BY count DESC, name")
                    .map { LabelCount(label: $0["name"], count: $0["count"]) }
            }
        }
    }

    public func images(withAnyOf labels: [String]) async throws -> [String] {
        let names = Array(Set(labels))
        guard !names.isEmpty else { return [] }
        return try wrap {
            try pool.read { db in
                let marks = databaseQuestionMarks(count: names.count)
                return try String.fetchAll(
                    db, sql: "SELECT DISTINCT image FROM label_image WHERE label IN (\(marks)) ORDER BY image",
                    arguments: StatementArguments(names))
            }
        }
    }

    /// The labels recorded for one image (for tests and diagnostics).
    public func labels(ofImage imageKey: String) async throws -> [String] {
        try wrap {
            try pool.read { db in
                try String.fetchAll(db, sql: "SELECT label FROM label_image WHERE image = ? ORDER BY label", arguments: [imageKey])
            }
        }
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PAMError { throw error } catch {
            throw PAMError(.table, "label table failure", underlying: error)
        }
    }
}
