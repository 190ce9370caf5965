import Foundation
import GRDB
import PAMCore

/// The local label table: rows of the item store's database (`LabelRelation`), which the AWS
/// endpoint serves as the DynamoDB table `pam-labels` — one table through both doors.
///
/// Exactly-once counting: a label's count grows only when its (label, image) row is newly
/// inserted, and falls only when such a row is deleted (an overwritten photo that lost the label),
/// in the same transaction, so repeated or concurrent records change nothing.
public struct SQLiteLabelTable: LabelTable {
    let pool: DatabasePool

    init(pool: DatabasePool) { self.pool = pool }

    /// The label table of the item store at `path` (`items.sqlite`).
    public init(path: URL) throws { self = try SQLiteItemStore(path: path).labelTable }

    @discardableResult
    public func record(imageKey: String, labels: [String]) async throws -> LabelChange {
        guard !imageKey.isEmpty else { throw PAMError(.invalidArgument, "the image key is empty") }
        let names = Set(labels.filter { !$0.isEmpty })
        return try await wrap { try await pool.write { db in try LabelRelation.record(db, imageKey: imageKey, names: names) } }
    }

    /// All the records in one transaction.
    public func record(_ records: [(imageKey: String, labels: [String])]) async throws -> [LabelChange] {
        guard !records.contains(where: { $0.imageKey.isEmpty }) else { throw PAMError(.invalidArgument, "the image key is empty") }
        let sets = records.map { (imageKey: $0.imageKey, names: Set($0.labels.filter { !$0.isEmpty })) }
        return try await wrap {
            try await pool.write { db in try sets.map { try LabelRelation.record(db, imageKey: $0.imageKey, names: $0.names) } }
        }
    }

    public func allLabels() async throws -> [LabelCount] {
        try await wrap { try await pool.read { db in try LabelRelation.counts(db) } }
    }

    public func images(withAnyOf labels: [String]) async throws -> [String] {
        let names = Array(Set(labels))
        guard !names.isEmpty else { return [] }
        return try await wrap { try await pool.read { db in try LabelRelation.images(db, withAnyOf: names) } }
    }

    /// The labels recorded for one image (for tests and diagnostics).
    public func labels(ofImage imageKey: String) async throws -> [String] {
        try await wrap { try await pool.read { db in try LabelRelation.labels(db, ofImage: imageKey) } }
    }

    /// Counts, once each, the (label, image) pairs of the label table kept in `labels.sqlite`
    /// before the labels moved into the item store, then renames that file `….migrated`. Safe to
    /// repeat after a crash (each pair counts once); nothing happens when the file is gone.
    public func takeIn(legacyTable file: URL) throws {
        guard FileManager.default.fileExists(atPath: file.path) else { return }
        var configuration = Configuration()
        configuration.readonly = true
        let pairs: [Row]
        do {
            let legacy = try DatabaseQueue(path: file.path, configuration: configuration)
            pairs = try legacy.read { db in
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT name AS label, image FROM label LEFT JOIN label_image ON label_image.label = label.name ORDER BY name, image"
                )
            }
            try legacy.close()
        } catch {
            throw PAMError(.table, "cannot read the older label table", path: file.path, underlying: error)
        }
        do {
            try pool.write { db in
                // Grouped by bytes: Swift's String equality would merge canonically equal names.
                for rows in Dictionary(grouping: pairs, by: { Array(($0["label"] as String).utf8) }).values {
                    try LabelRelation.count(db, label: rows[0]["label"], images: rows.compactMap { $0["image"] as String? })
                }
            }
        } catch {
            throw PAMError(.table, "cannot take in the older label table", path: file.path, underlying: error)
        }
        let migrated = file.appendingPathExtension("migrated")
        if rename(file.path, migrated.path) != 0, errno != ENOENT {
            throw PAMError(.io, "cannot rename the older label table: \(String(cString: strerror(errno)))", path: file.path)
        }
        for suffix in ["-wal", "-shm"] { unlink(file.path + suffix) }
    }

    private func wrap<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as PAMError { throw error } catch {
            throw PAMError(.table, "label table failure", underlying: error)
        }
    }
}
