import Foundation
import GRDB
import PAMCore

/// The item store in SQLite (WAL, `SQLiteDatabase.open`): `item_table(name, definition)` and
/// `item(table_name, partition, sort, body, size)`, keyed by the key values' order-preserving
/// bytes (`KeyBytes`) so that SQLite's BLOB order is DynamoDB's key order. Bodies are the items'
/// DynamoDB JSON.
///
/// `update` runs its read, transform and write in one write transaction (SQLite has one writer
/// at a time), which makes every conditional write atomic; a committed write survives `kill -9`.
///
/// One table is the app's label table (`labelTableName`, `pam-labels` unless configured): its
/// items are the rows the app counts with (`LabelRelation`), so `aws dynamodb scan` shows what
/// `GET /api/labels` shows, and an item a handler writes counts in the app. It always exists and
/// cannot be deleted.
public struct SQLiteItemStore: ItemStore {
    let pool: DatabasePool
    public let labelTableName: String

    public init(path: URL, labelTable: String = PipelineConfig().labelTable) throws {
        labelTableName = labelTable
        pool = try SQLiteDatabase.open(path, what: "the item store", code: .table) { migrator in
            migrator.registerMigration("v1") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE item_table (
                            name TEXT PRIMARY KEY NOT NULL,
                            definition BLOB NOT NULL
                        ) WITHOUT ROWID;
                        CREATE TABLE item (
                            table_name TEXT NOT NULL REFERENCES item_table(name),
                            partition BLOB NOT NULL,
                            sort BLOB NOT NULL,
                            body BLOB NOT NULL,
                            size INTEGER NOT NULL,
                            PRIMARY KEY (table_name, partition, sort)
                        ) WITHOUT ROWID;
                        """)
            }
            migrator.registerMigration("v2 label relation") { db in try db.execute(sql: LabelRelation.schema) }
        }
        try wrap { try pool.write { db in try Self.establishLabelTable(db, name: labelTable) } }
    }

    /// The app's label table on the same database.
    public var labelTable: SQLiteLabelTable { SQLiteLabelTable(pool: pool) }

    /// Registers the label table under `name` (Label S), or checks the key of the table already
    /// there and takes in the items it held before it was the label table.
    private static func establishLabelTable(_ db: Database, name: String) throws {
        let expected = LabelItem.table(named: name)
        guard let existing = try definition(db, name) else {
            try db.execute(
                sql: "INSERT INTO item_table (name, definition) VALUES (?, ?)", arguments: [name, try encode(expected)])
            return
        }
        guard existing.keyAttributes == expected.keyAttributes else {
            let key = existing.keyAttributes.map { "\($0.name) (\($0.type))" }.joined(separator: ", ")
            throw PAMError(
                .table, "the table \(name) has the key \(key), but the app's label table needs the key Label (S); delete or rename it")
        }
        let bodies = try Data.fetchAll(db, sql: "SELECT body FROM item WHERE table_name = ?", arguments: [name])
        for body in bodies { try LabelRelation.adopt(db, try decodeItem(body)) }
        try db.execute(sql: "DELETE FROM item WHERE table_name = ?", arguments: [name])
    }

    public func createTable(_ definition: ItemTable) async throws {
        let text = try Self.encode(definition)
        try await wrap {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO item_table (name, definition) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    arguments: [definition.name, text])
                if db.changesCount == 0 { throw ItemError.tableExists(definition.name) }
            }
        }
    }

    public func table(_ name: String) async throws -> ItemTable? {
        try await wrap { try await pool.read { db in try Self.definition(db, name) } }
    }

    public func statistics(of table: String) async throws -> TableStatistics {
        try await wrap {
            try await pool.read { db in
                guard try Self.definition(db, table) != nil else { throw ItemError.tableNotFound(table) }
                if table == labelTableName { return try LabelRelation.statistics(db) }
                let row = try Row.fetchOne(
                    db, sql: "SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM item WHERE table_name = ?", arguments: [table])
                return TableStatistics(itemCount: row?["n"] ?? 0, sizeBytes: row?["bytes"] ?? 0)
            }
        }
    }

    public func tableNames() async throws -> [String] {
        try await wrap {
            try await pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM item_table") }
        }
        .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    public func deleteTable(_ name: String) async throws -> ItemTable {
        if name == labelTableName {
            throw ItemError(.resourceInUse, "Table \(name) is PAM's label table (the app's counts) and cannot be deleted")
        }
        return try await wrap {
            try await pool.write { db in
                guard let definition = try Self.definition(db, name) else { throw ItemError.tableNotFound(name) }
                try db.execute(sql: "DELETE FROM item WHERE table_name = ?", arguments: [name])
                try db.execute(sql: "DELETE FROM item_table WHERE name = ?", arguments: [name])
                return definition
            }
        }
    }

    public func item(in table: String, key: Item) async throws -> Item? {
        try await wrap {
            try await pool.read { db in
                guard let definition = try Self.definition(db, table) else { throw ItemError.tableNotFound }
                if table == labelTableName { return try LabelRelation.item(db, label: try Self.label(of: key)).map(\.item) }
                let (partition, sort) = Self.keyBytes(key, definition)
                let body = try Data.fetchOne(
                    db, sql: "SELECT body FROM item WHERE table_name = ? AND partition = ? AND sort = ?",
                    arguments: [table, partition, sort])
                return try body.map(Self.decodeItem)
            }
        }
    }

    @discardableResult
    public func update(table: String, key: Item, _ transform: @escaping @Sendable (Item?) throws -> Item?) async throws -> ItemUpdate {
        try await wrap {
            try await pool.write { db in
                guard let definition = try Self.definition(db, table) else { throw ItemError.tableNotFound }
                if table == labelTableName { return try Self.updateLabel(db, key: key, transform) }
                let (partition, sort) = Self.keyBytes(key, definition)
                let old = try Data.fetchOne(
                    db, sql: "SELECT body FROM item WHERE table_name = ? AND partition = ? AND sort = ?",
                    arguments: [table, partition, sort]
                ).map(Self.decodeItem)
                let new = try transform(old)
                if let new {
                    try db.execute(
                        sql: """
                            INSERT INTO item (table_name, partition, sort, body, size) VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT (table_name, partition, sort) DO UPDATE SET body = excluded.body, size = excluded.size
                            """,
                        arguments: [table, partition, sort, try Self.encode(new), AttributeValue.size(of: new)])
                } else if old != nil {
                    try db.execute(
                        sql: "DELETE FROM item WHERE table_name = ? AND partition = ? AND sort = ?", arguments: [table, partition, sort])
                }
                return ItemUpdate(old: old, new: new)
            }
        }
    }

    public func items(in table: String, _ query: ItemQuery) async throws -> [Item] {
        try await wrap {
            try await pool.read { db in
                guard let definition = try Self.definition(db, table) else { throw ItemError.tableNotFound }
                if table == labelTableName { return try Self.labelItems(db, query) }
                var sql = "SELECT body FROM item WHERE table_name = ?"
                var arguments: StatementArguments = [table]
                if let partition = query.partition {
                    sql += " AND partition = ?"
                    arguments += [Data(KeyBytes.of(partition))]
                    if let lower = query.lower {
                        sql += lower.inclusive ? " AND sort >= ?" : " AND sort > ?"
                        arguments += [Data(lower.bytes)]
                    }
                    if let upper = query.upper {
                        sql += upper.inclusive ? " AND sort <= ?" : " AND sort < ?"
                        arguments += [Data(upper.bytes)]
                    }
                    if let after = query.after {
                        sql += query.forward ? " AND sort > ?" : " AND sort < ?"
                        arguments += [Self.keyBytes(after, definition).sort]
                    }
                    sql += query.forward ? " ORDER BY sort" : " ORDER BY sort DESC"
                } else {
                    if let after = query.after {
                        let (partition, sort) = Self.keyBytes(after, definition)
                        sql += " AND (partition, sort) > (?, ?)"
                        arguments += [partition, sort]
                    }
                    sql += " ORDER BY partition, sort"
                }
                if let limit = query.limit {
                    sql += " LIMIT ?"
                    arguments += [limit]
                }
                return try Data.fetchAll(db, sql: sql, arguments: arguments).map(Self.decodeItem)
            }
        }
    }

    // MARK: The label table

    private static func label(of key: Item) throws -> String {
        guard let label = key[LabelItem.keyName]?.stringValue else {
            throw ItemError.validation("The provided key element does not match the schema")
        }
        return label
    }

    private static func updateLabel(_ db: Database, key: Item, _ transform: (Item?) throws -> Item?) throws -> ItemUpdate {
        let label = try label(of: key)
        let old = try LabelRelation.item(db, label: label)
        let new = try transform(old?.item)
        let split = try new.map { item in
            guard let split = LabelItem(item), split.label.utf8.elementsEqual(label.utf8) else {
                throw PAMError(.table, "an update of the label \(label) changed its key")
            }
            return split
        }
        try LabelRelation.write(db, old: old, new: split, label: label)
        return ItemUpdate(old: old?.item, new: new)
    }

    /// A Query (one label) or a Scan page of the label table.
    private static func labelItems(_ db: Database, _ query: ItemQuery) throws -> [Item] {
        if let partition = query.partition {
            guard let label = partition.stringValue, query.after == nil else { return [] }
            return try LabelRelation.item(db, label: label).map { [$0.item] } ?? []
        }
        let after = try query.after.map(label(of:))
        return try LabelRelation.items(db, after: after, limit: query.limit).map(\.item)
    }

    // MARK: Encoding

    private static func definition(_ db: Database, _ name: String) throws -> ItemTable? {
        guard let data = try Data.fetchOne(db, sql: "SELECT definition FROM item_table WHERE name = ?", arguments: [name]) else {
            return nil
        }
        return try decoder.decode(ItemTable.self, from: data)
    }

    /// The key's bytes; missing attributes (an ExclusiveStartKey without a sort key) as empty.
    private static func keyBytes(_ key: Item, _ definition: ItemTable) -> (partition: Data, sort: Data) {
        let partition = key[definition.partitionKey.name].map(KeyBytes.of) ?? []
        let sort = definition.sortKey.flatMap { key[$0.name] }.map(KeyBytes.of) ?? []
        return (Data(partition), Data(sort))
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        return try encoder.encode(value)
    }

    static func decodeItem(_ data: Data) throws -> Item { try decoder.decode(Item.self, from: data) }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ItemError { throw error } catch let error as PAMError { throw error } catch {
            throw PAMError(.table, "item store failure", underlying: error)
        }
    }

    private func wrap<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as ItemError { throw error } catch let error as PAMError { throw error } catch {
            throw PAMError(.table, "item store failure", underlying: error)
        }
    }
}
