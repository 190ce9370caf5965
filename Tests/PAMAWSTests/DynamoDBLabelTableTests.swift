import Foundation
import PAMAWS
import PAMCore
import PAMTestSupport
import Testing

/// `DynamoDBLabelTable` against moto.
@Suite("DynamoDBLabelTable on moto")
struct DynamoDBLabelTableTests {
    static func freshTable(scanPageSize: Int? = nil) async throws -> DynamoDBLabelTable {
        let client = try await Moto.client()
        let name = Moto.uniqueName("pam-labels")
        _ = try await AWSBootstrap(client: client).createTable(name)
        return DynamoDBLabelTable(client: client, tableName: name, scanPageSize: scanPageSize)
    }

    @Test("LabelTable conformance", arguments: LabelTableConformance.checks)
    func conformance(_ check: LabelTableConformance.Check) async throws {
        // moto's UpdateItem is a non-atomic read-modify-write: the concurrent checks run serially there.
        try await check.run(LabelTableConformance.Subject(table: try await Self.freshTable(), atomic: false))
    }

    @Test("lists every label across Scan pages, and looks up many labels across batches")
    func pagination() async throws {
        let table = try await Self.freshTable(scanPageSize: 7)
        let labels = (0..<130).map { String(format: "Label%03d", $0) }
        try await table.record(imageKey: "one.jpg", labels: labels)
        try await table.record(imageKey: "two.jpg", labels: Array(labels.prefix(5)))
        let all = try await table.allLabels()
        #expect(all.count == 130)
        #expect(all.prefix(5).map(\.count) == [2, 2, 2, 2, 2])
        #expect(all.prefix(5).map(\.label) == Array(labels.prefix(5)))
        #expect(try await table.images(withAnyOf: labels) == ["one.jpg", "two.jpg"])
    }

    @Test("a missing table is a not-found error with DynamoDB's code")
    func missingTable() async throws {
        let table = DynamoDBLabelTable(client: try await Moto.client(), tableName: "pam-no-such-table")
        do {
            _ = try await table.allLabels()
            Issue.record("expected an error")
        } catch let error as PAMError {
            #expect(error.code == .notFound)
            #expect(error.message.contains("ResourceNotFoundException"))
        }
    }
}
