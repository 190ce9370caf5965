import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

@Suite("SQLiteLabelTable")
struct SQLiteLabelTableTests {
    @Test("LabelTable conformance", arguments: LabelTableConformance.checks)
    func conformance(_ check: LabelTableConformance.Check) async throws {
        try await withTemporaryState { state in
            try await check.run(LabelTableConformance.Subject(table: try state.table(), atomic: true))
        }
    }

    @Test("two connections recording at once still count each image once")
    func twoConnections() async throws {
        try await withTemporaryState { state in
            let first = try state.table()
            let second = try state.table()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<100 {
                    let table = index % 2 == 0 ? first : second
                    group.addTask { try await table.record(imageKey: "img-\(index % 10).jpg", labels: ["Sky", "Cloud"]) }
                }
                try await group.waitForAll()
            }
            #expect(try await state.table().allLabels() == [LabelCount(label: "Cloud", count: 10), LabelCount(label: "Sky", count: 10)])
            #expect(try await first.labels(ofImage: "img-3.jpg") == ["Cloud", "Sky"])
        }
    }

    @Test("names of any characters read back exactly, the most counted first")
    func namesReadBackExactly() async throws {
        try await withTemporaryState { state in
            let table = try state.table()
            // Accents, an emoji, quotes, a tab, a line separator: read back byte for byte.
            let names = ["Lake", "Fjörd", "🌋 \"Volcano\"", "tab\there", "line\u{2028}separator", "Z"]
            // The label at position n is on images 0…n, so it counts n + 1.
            for image in names.indices {
                try await table.record(imageKey: "\(image).jpg", labels: Array(names[image...]))
            }
            let listed = try await table.allLabels()
            #expect(listed == names.enumerated().map { LabelCount(label: $0.element, count: $0.offset + 1) }.reversed())
            #expect(listed.map { Array($0.label.utf8) } == names.reversed().map { Array($0.utf8) })
        }
    }

    @Test("counts survive reopening, and the database is in WAL mode")
    func persistence() async throws {
        try await withTemporaryState { state in
            try await state.table().record(imageKey: "a.jpg", labels: ["Lake"])
            let reopened = try state.table()
            #expect(try await reopened.allLabels() == [LabelCount(label: "Lake", count: 1)])
            // While a connection is open, a WAL-mode database has its -wal file beside it.
            #expect(FileManager.default.fileExists(atPath: state.state.itemStore.path + "-wal"))
            _ = reopened
        }
    }
}

@Suite("SQLiteLabelTable as the item store's pam-labels")
struct LabelTableAsItemsTests {
    static let table = "pam-labels"

    @Test("what the app records reads back as items; what is written as items counts in the app, once")
    func bothDoors() async throws {
        try await withTemporaryState { state in
            let store = try SQLiteItemStore(path: state.state.itemStore)
            let table = store.labelTable
            let definition = try #require(try await store.table(Self.table))
            #expect(definition.name == Self.table && definition.keyAttributes == [KeyAttribute(name: "Label", type: "S")])
            try await table.record(imageKey: "a.jpg", labels: ["Sky", "Lake"])
            try await table.record(imageKey: "b.jpg", labels: ["Sky"])
            #expect(
                try await store.item(in: Self.table, key: ["Label": .string("Sky")])
                    == ["Label": .string("Sky"), "Count": .number(2), "Images": .stringSet(["a.jpg", "b.jpg"])])
            #expect(try await store.items(in: Self.table, ItemQuery()).compactMap { $0["Label"]?.stringValue } == ["Lake", "Sky"])
            #expect(try await store.items(in: Self.table, ItemQuery(after: ["Label": .string("Lake")], limit: 5)).count == 1)
            #expect(try await store.statistics(of: Self.table).itemCount == 2)

            // A handler's `ADD Count :one, Images :img` as a read-modify-write of the item.
            let key: Item = ["Label": .string("Aurora")]
            let add: @Sendable (Item?) throws -> Item? = { old in
                var item = old ?? key
                let images = item["Images"]?.stringSetValue ?? []
                guard !images.contains("c.jpg") else { throw ItemError.conditionalCheckFailed }
                item["Count"] = .number((item["Count"]?.intValue ?? 0) + 1)
                item["Images"] = .stringSet(images + ["c.jpg"])
                return item
            }
            try await store.update(table: Self.table, key: key, add)
            await #expect(throws: ItemError.conditionalCheckFailed) { try await store.update(table: Self.table, key: key, add) }
            #expect(try await table.allLabels().contains(LabelCount(label: "Aurora", count: 1)))
            #expect(try await table.images(withAnyOf: ["Aurora"]) == ["c.jpg"])
            // The app recording the same pair again changes nothing; a photo overwritten without it counts down.
            #expect(try await table.record(imageKey: "c.jpg", labels: ["Aurora"]).isEmpty)
            #expect(try await table.record(imageKey: "c.jpg", labels: []) == LabelChange(removed: ["Aurora"]))
            #expect(try await store.item(in: Self.table, key: key) == ["Label": .string("Aurora"), "Count": .number(0)])

            // Deleting an item deletes the label and its images; the table itself cannot be deleted.
            try await store.update(table: Self.table, key: ["Label": .string("Sky")]) { _ in nil }
            #expect(try await table.allLabels() == [LabelCount(label: "Lake", count: 1)])
            #expect(try await table.labels(ofImage: "b.jpg") == [])
            await #expect(throws: ItemError.self) { try await store.deleteTable(Self.table) }
            await #expect(throws: ItemError.tableExists(Self.table)) { try await store.createTable(LabelItem.table(named: Self.table)) }
        }
    }

    @Test("attributes the app does not own are kept as written: a list of images, a fractional count, a map")
    func schemaless() async throws {
        try await withTemporaryState { state in
            let store = try SQLiteItemStore(path: state.state.itemStore)
            let written: Item = [
                "Label": .string("Odd"), "Count": .number(try DecimalNumber(parsing: "2.5")), "Images": .list([.string("x.jpg")]),
                "meta": .map(["by": .string("handler")]),
            ]
            try await store.update(table: Self.table, key: ["Label": .string("Odd")]) { _ in written }
            #expect(try await store.item(in: Self.table, key: ["Label": .string("Odd")]) == written)
            #expect(try await store.labelTable.allLabels() == [])
            let split = try #require(LabelItem(written))
            #expect(split.count == nil && split.images.isEmpty && split.others.count == 3 && split.item == written)
            // The reference's lower-case attributes (other languages' handlers) are other attributes too.
            let lower = try #require(LabelItem(["Label": .string("L"), "count": .number(3), "Count": .number(4)]))
            #expect(lower.count == 4 && lower.others == ["count": .number(3)])
        }
    }

    @Test("the label table of labels.sqlite is taken in once, and items written to pam-labels before are adopted")
    func earlierHomes() async throws {
        try await withTemporaryState { state in
            // An item store from before: pam-labels an ordinary table with an item.
            try FileManager.default.createDirectory(at: state.root, withIntermediateDirectories: true)
            let before = try SQLiteItemStore(path: state.state.itemStore, labelTable: "other-name")
            try await before.createTable(LabelItem.table(named: Self.table))
            try await before.update(table: Self.table, key: ["Label": .string("Sky")]) { _ in
                ["Label": .string("Sky"), "Count": .number(1), "Images": .stringSet(["old.jpg"])]
            }
            // The label table of labels.sqlite, as the older release made it.
            let legacy = state.state.legacyLabelTable
            let made = try await ExternalProcess.python(
                """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                db.executescript('''
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1');
                    CREATE TABLE label (name TEXT PRIMARY KEY NOT NULL, count INTEGER NOT NULL CHECK (count >= 0)) WITHOUT ROWID;
                    CREATE TABLE label_image (label TEXT NOT NULL REFERENCES label(name), image TEXT NOT NULL,
                        PRIMARY KEY (label, image)) WITHOUT ROWID;
                    INSERT INTO label VALUES ('Sky', 2), ('Lake', 1), ('Gone', 0);
                    INSERT INTO label_image VALUES ('Sky', 'old.jpg'), ('Sky', 'a.jpg'), ('Lake', 'a.jpg');
                ''')
                db.commit()
                """, [legacy.path])
            #expect(made.status == 0, "\(made.errors)")
            let copy = legacy.appendingPathExtension("copy")
            try FileManager.default.copyItem(at: legacy, to: copy)

            let store = try SQLiteItemStore(path: state.state.itemStore)
            try store.labelTable.takeIn(legacyTable: legacy)
            let expected = [LabelCount(label: "Sky", count: 2), LabelCount(label: "Lake", count: 1)]
            #expect(try await store.labelTable.allLabels() == expected)
            #expect(!FileManager.default.fileExists(atPath: legacy.path))
            #expect(FileManager.default.fileExists(atPath: legacy.path + ".migrated"))
            // A crash before the rename takes it in again: nothing counts twice.
            try FileManager.default.moveItem(at: copy, to: legacy)
            try store.labelTable.takeIn(legacyTable: legacy)
            #expect(try await store.labelTable.allLabels() == expected)
            #expect(
                try await store.item(in: Self.table, key: ["Label": .string("Gone")]) == ["Label": .string("Gone"), "Count": .number(0)])
        }
    }

    @Test("a pam-labels of another key schema is refused with a clear error")
    func wrongKey() async throws {
        try await withTemporaryState { state in
            try FileManager.default.createDirectory(at: state.root, withIntermediateDirectories: true)
            let before = try SQLiteItemStore(path: state.state.itemStore, labelTable: "other-name")
            try await before.createTable(ItemTable(name: Self.table, partitionKey: KeyAttribute(name: "id", type: "N")))
            #expect {
                try SQLiteItemStore(path: state.state.itemStore)
            } throws: { error in
                "\(error)".contains("needs the key Label (S)")
            }
        }
    }
}
