import Foundation
import Logging
import PAMCore
import PAMLocal
import PAMServer
import PAMTestSupport
import Testing

@Suite("DownloadQueue")
struct DownloadQueueTests {
    @Test("a bundle that fails after the 202 sends the recipient a short failure notice, and logs no address")
    func failureIsDelivered() async throws {
        let local = try QueueTestState(concurrency: 2)
        defer { local.remove() }
        let (state, config, store, table) = (local.state, local.config, local.store, local.table)
        // The table names a photo the store does not have: building the zip fails.
        try await table.record(imageKey: "gone.jpg", labels: ["Sky"])
        let logs = CapturedLogs()
        let logger = logs.logger("test")
        let download = DownloadService(
            store: store, table: table, notifier: try FileDropNotifier(state: state, logger: logger),
            config: config, logger: logger)
        let queue = DownloadQueue(download: download, logger: logger)
        let running = Task { try await queue.run() }
        defer { running.cancel() }
        #expect(await queue.submit(labels: ["Sky"], recipient: .email("queue.canary@example.com")))

        let outbox = OutboxFolder(state: state)
        let deadline = Date().addingTimeInterval(600)
        while try outbox.entries().isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let entry = try #require(try outbox.entries().first)
        let text = try String(contentsOf: entry.file, encoding: .utf8)
        #expect(text.contains("To: <queue.canary@example.com>"))
        #expect(text.contains("Subject: Your PAM photos could not be bundled"))
        #expect(text.contains("labelled Sky could not be made."))
        #expect(!text.contains("http"))
        #expect(try outbox.entries().count == 1)
        #expect(logs.text.contains("bundle failed"))
        #expect(!logs.text.contains("queue.canary"))
    }
}
