import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

@Suite("SQLiteItemStore")
struct SQLiteItemStoreTests {
    static let labels = ItemTable(name: "photo-labels", partitionKey: KeyAttribute(name: "Label", type: "S"))
    static let events = ItemTable(
        name: "events", partitionKey: KeyAttribute(name: "pk", type: "S"), sortKey: KeyAttribute(name: "sk", type: "N"))

    @Test("tables: create, refuse a second, list in byte order, delete with their items")
    func tables() async throws {
        try await withTemporaryState { state in
            let store = try SQLiteItemStore(path: state.state.itemStore)
            try await store.createTable(Self.labels)
            try await store.createTable(Self.events)
            await #expect(throws: ItemError.tableExists("events")) { try await store.createTable(Self.events) }
            #expect(try await store.tableNames() == ["events", "pam-labels", "photo-labels"])
            #expect(try await store.table("events") == Self.events)
            try await store.update(table: "events", key: ["pk": .string("a"), "sk": .number(1)]) { _ in
                ["pk": .string("a"), "sk": .number(1), "v": .string("x")]
            }
            #expect(try await store.statistics(of: "events").itemCount == 1)
            #expect(try await store.deleteTable("events") == Self.events)
            #expect(try await store.table("events") == nil)
            await #expect(throws: ItemError.tableNotFound) {
                try await store.item(in: "events", key: ["pk": .string("a"), "sk": .number(1)])
            }
            try await store.createTable(Self.events)
            #expect(try await store.statistics(of: "events").itemCount == 0)
        }
    }

    @Test("query and scan read in key order: numbers by value, strings by bytes, bounds, direction, start key, limit")
    func order() async throws {
        try await withTemporaryState { state in
            let store = try SQLiteItemStore(path: state.state.itemStore)
            try await store.createTable(Self.events)
            for partition in ["b", "a", "B"] {
                for sort in ["10", "-1.5", "2", "0", "-20", "1.25"] {
                    let key: Item = ["pk": .string(partition), "sk": .number(try DecimalNumber(parsing: sort))]
                    try await store.update(table: "events", key: key) { _ in key }
                }
            }
            func sorts(_ query: ItemQuery) async throws -> [String] {
                try await store.items(in: "events", query).map { "\($0["pk"]!.stringValue!)\($0["sk"]!.numberValue!)" }
            }
            #expect(try await sorts(ItemQuery(partition: .string("a"))) == ["a-20", "a-1.5", "a0", "a1.25", "a2", "a10"])
            #expect(try await sorts(ItemQuery(partition: .string("a"), forward: false, limit: 2)) == ["a10", "a2"])
            let lower = ItemQuery.Bound(DecimalNumber(0).orderedBytes, inclusive: false)
            let upper = ItemQuery.Bound(DecimalNumber(2).orderedBytes, inclusive: true)
            #expect(try await sorts(ItemQuery(partition: .string("a"), lower: lower, upper: upper)) == ["a1.25", "a2"])
            #expect(
                try await sorts(ItemQuery(partition: .string("a"), after: ["pk": .string("a"), "sk": .number(0)])) == [
                    "a1.25", "a2", "a10",
                ])
            let all = try await sorts(ItemQuery())
            #expect(all.count == 18 && all.first == "B-20" && all[6] == "a-20" && all.last == "b10")
            #expect(try await sorts(ItemQuery(after: ["pk": .string("a"), "sk": .number(10)], limit: 2)) == ["b-20", "b-1.5"])
        }
    }

    @Test("a throwing transform changes nothing; nil deletes; the store survives reopening")
    func transforms() async throws {
        try await withTemporaryState { state in
            let key: Item = ["Label": .string("Sky")]
            do {
                let store = try SQLiteItemStore(path: state.state.itemStore)
                try await store.createTable(Self.labels)
                let created = try await store.update(table: "photo-labels", key: key) { old in
                    #expect(old == nil)
                    return key.merging(["Count": .number(1)]) { $1 }
                }
                #expect(created.old == nil && created.new?["Count"] == .number(1))
                await #expect(throws: ItemError.conditionalCheckFailed) {
                    try await store.update(table: "photo-labels", key: key) { _ in throw ItemError.conditionalCheckFailed }
                }
                try await store.update(table: "photo-labels", key: ["Label": .string("Gone")]) { _ in ["Label": .string("Gone")] }
                let deleted = try await store.update(table: "photo-labels", key: ["Label": .string("Gone")]) { _ in nil }
                #expect(deleted.old != nil && deleted.new == nil)
            }
            let reopened = try SQLiteItemStore(path: state.state.itemStore)
            #expect(try await reopened.item(in: "photo-labels", key: key) == ["Label": .string("Sky"), "Count": .number(1)])
            #expect(try await reopened.item(in: "photo-labels", key: ["Label": .string("Gone")]) == nil)
        }
    }

    @Test("concurrent conditional read-modify-writes from two connections: none lost, none doubled")
    func atomicUpdates() async throws {
        try await withTemporaryState { state in
            let first = try SQLiteItemStore(path: state.state.itemStore)
            let second = try SQLiteItemStore(path: state.state.itemStore)
            try await first.createTable(Self.labels)
            let key: Item = ["Label": .string("Sky")]
            // 200 increments, and 100 attempts to add the same image once: exactly one may pass.
            let passed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<300 {
                    let store = index % 2 == 0 ? first : second
                    group.addTask {
                        do {
                            try await store.update(table: "photo-labels", key: key) { old in
                                var item = old ?? key
                                if index < 200 {
                                    item["Count"] = .number(try (item["Count"]?.numberValue ?? .zero).adding(DecimalNumber(1)))
                                    return item
                                }
                                guard item["Images"] == nil else { throw ItemError.conditionalCheckFailed }
                                item["Images"] = .stringSet(["p.jpg"])
                                return item
                            }
                            return index >= 200
                        } catch let error as ItemError where error == .conditionalCheckFailed {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(passed == 1)
            let item = try await first.item(in: "photo-labels", key: key)
            #expect(item?["Count"] == .number(200) && item?["Images"] == .stringSet(["p.jpg"]))
        }
    }
}
