import Foundation
import GRDB
import PAMCore

/// The AWS endpoint's SNS topics and subscriptions in SQLite (WAL), in the state's `sns.sqlite`:
/// `topic(name)` and `subscription(id, topic, channel, address)`, deleted with their topic. The
/// address column is the documented exception to PAM's no-PII rule; it is never logged, and
/// errors here never carry it (GRDB does not put statement arguments in its errors).
public struct SQLiteTopicRegistry: TopicRegistry {
    let pool: DatabasePool

    public init(path: URL) throws {
        pool = try SQLiteDatabase.open(path, what: "the SNS topics", code: .notification) { migrator in
            migrator.registerMigration("v1") { db in
                try db.execute(
                    sql: """
                        CREATE TABLE topic (name TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
                        CREATE TABLE subscription (
                            id TEXT PRIMARY KEY NOT NULL,
                            topic TEXT NOT NULL REFERENCES topic(name) ON DELETE CASCADE,
                            channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
                            address TEXT NOT NULL,
                            UNIQUE (topic, channel, address)
                        ) WITHOUT ROWID;
                        """)
            }
        }
    }

    public func createTopic(_ name: String) async throws {
        try wrap {
            try pool.write { db in try db.execute(sql: "INSERT INTO topic (name) VALUES (?) ON CONFLICT DO NOTHING", arguments: [name]) }
        }
    }

    public func topicExists(_ name: String) async throws -> Bool {
        try wrap { try pool.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM topic WHERE name = ?", arguments: [name]) ?? false } }
    }

    public func topics(after: String?, limit: Int) async throws -> [String] {
        try wrap {
            try pool.read { db in
                try String.fetchAll(
                    db, sql: "SELECT name FROM topic WHERE name > ? ORDER BY name LIMIT ?", arguments: [after ?? "", max(0, limit)])
            }
        }
    }

    public func deleteTopic(_ name: String) async throws {
        try wrap { try pool.write { db in try db.execute(sql: "DELETE FROM topic WHERE name = ?", arguments: [name]) } }
    }

    public func subscribe(_ recipient: Recipient, to topic: String) async throws -> TopicSubscription {
        let (channel, address) = Self.columns(recipient)
        return try wrap {
            try pool.write { db in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM topic WHERE name = ?", arguments: [topic]) ?? false else {
                    throw PAMError(.notFound, "the topic does not exist")
                }
                try db.execute(
                    sql: "INSERT INTO subscription (id, topic, channel, address) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    arguments: [UUID().uuidString.lowercased(), topic, channel, address])
                let id = try String.fetchOne(
                    db, sql: "SELECT id FROM subscription WHERE topic = ? AND channel = ? AND address = ?",
                    arguments: [topic, channel, address])
                guard let id else { throw PAMError(.notification, "the subscription was not recorded") }
                return TopicSubscription(id: id, topic: topic, recipient: recipient)
            }
        }
    }

    public func unsubscribe(id: String) async throws -> Bool {
        try wrap {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM subscription WHERE id = ?", arguments: [id])
                return db.changesCount > 0
            }
        }
    }

    public func subscriptions(of topic: String?, after: String?, limit: Int) async throws -> [TopicSubscription] {
        try wrap {
            try pool.read { db in
                let rows =
                    if let topic {
                        try Row.fetchAll(
                            db, sql: "SELECT * FROM subscription WHERE topic = ? AND id > ? ORDER BY id LIMIT ?",
                            arguments: [topic, after ?? "", max(0, limit)])
                    } else {
                        try Row.fetchAll(
                            db, sql: "SELECT * FROM subscription WHERE id > ? ORDER BY id LIMIT ?", arguments: [after ?? "", max(0, limit)])
                    }
                return rows.map { row in
                    let address: String = row["address"]
                    let channel: String = row["channel"]
                    return TopicSubscription(
                        id: row["id"], topic: row["topic"], recipient: channel == "sms" ? .phone(address) : .email(address))
                }
            }
        }
    }

    static func columns(_ recipient: Recipient) -> (channel: String, address: String) {
        switch recipient {
        case .email(let address): ("email", address)
        case .phone(let number): ("sms", number)
        }
    }

    /// A `PAMError` for a database failure (its own errors pass through).
    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PAMError {
            throw error
        } catch {
            throw PAMError(.notification, "the SNS topics could not be read or written", path: pool.path, underlying: error)
        }
    }
}
