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

    @Test("counts survive reopening, and the database is in WAL mode")
    func persistence() async throws {
        try await withTemporaryState { state in
            try await state.table().record(imageKey: "a.jpg", labels: ["Lake"])
            let reopened = try state.table()
            #expect(try await reopened.allLabels() == [LabelCount(label: "Lake", count: 1)])
            // While a connection is open, a WAL-mode database has its -wal file beside it.
            #expect(FileManager.default.fileExists(atPath: state.state.labelTable.path + "-wal"))
            _ = reopened
        }
    }
}
