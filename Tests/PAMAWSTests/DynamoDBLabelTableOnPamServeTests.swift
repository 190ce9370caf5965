import Foundation
import PAMAWS
import PAMCore
import PAMTestSupport
import Testing

/// PAM's own DynamoDB adapter against PAM's own AWS endpoint: `DynamoDBLabelTable`'s conformance
/// suite on a `pam serve`, with the concurrent checks run concurrently (the endpoint's conditional
/// updates are atomic, unlike moto's).
@Suite("DynamoDBLabelTable on pam serve")
struct DynamoDBLabelTableOnPamServeTests {
    @Test("LabelTable conformance", arguments: LabelTableConformance.checks)
    func conformance(_ check: LabelTableConformance.Check) async throws {
        let server = try await PamServeEndpoint.start()
        do {
            let client = server.client()
            _ = try await AWSBootstrap(client: client).createTable("pam-labels")
            let table = DynamoDBLabelTable(client: client, tableName: "pam-labels")
            try await check.run(LabelTableConformance.Subject(table: table, atomic: true))
        } catch {
            Issue.record("\(error)\n\(server.log)")
        }
        await server.stop()
    }

    @Test("lists every label across Scan pages, and looks up many labels across batches; a missing table is not found")
    func pagination() async throws {
        let server = try await PamServeEndpoint.start()
        do {
            let client = server.client()
            _ = try await AWSBootstrap(client: client).createTable("pam-labels")
            let table = DynamoDBLabelTable(client: client, tableName: "pam-labels", scanPageSize: 7)
            let labels = (0..<130).map { String(format: "Label%03d", $0) }
            try await table.record(imageKey: "one.jpg", labels: labels)
            try await table.record(imageKey: "two.jpg", labels: Array(labels.prefix(5)))
            let all = try await table.allLabels()
            #expect(all.count == 130 && all.prefix(5).map(\.count) == [2, 2, 2, 2, 2])
            #expect(try await table.images(withAnyOf: labels) == ["one.jpg", "two.jpg"])
            do {
                _ = try await DynamoDBLabelTable(client: client, tableName: "pam-no-such-table").allLabels()
                Issue.record("expected an error")
            } catch let error as PAMError {
                #expect(error.code == .notFound && error.message.contains("ResourceNotFoundException"), "\(error)")
            }
        } catch {
            Issue.record("\(error)\n\(server.log)")
        }
        await server.stop()
    }
}
