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
        #expect(await queue.submit(labels: ["Sky"], recipient: .email("queue.canary@example.com")) == .queued)

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

    /// Holds every `head` until opened, noting how many were held at once.
    final class GatedStore: ForwardingObjectStore, @unchecked Sendable {
        let base: any ObjectStore
        private let lock = NSLock()
        private var open = false
        private var held: [CheckedContinuation<Void, Never>] = []
        private(set) var mostAtOnce = 0

        init(_ base: any ObjectStore) { self.base = base }

        func head(_ ref: ObjectRef) async throws -> ObjectInfo {
            await withCheckedContinuation { continuation in
                let wait = lock.withLock {
                    guard !open else { return false }
                    held.append(continuation)
                    mostAtOnce = max(mostAtOnce, held.count)
                    return true
                }
                if !wait { continuation.resume() }
            }
            return try await base.head(ref)
        }

        var waiting: Int { lock.withLock { held.count } }

        func openAll() {
            let released = lock.withLock {
                open = true
                defer { held.removeAll() }
                return held
            }
            for continuation in released { continuation.resume() }
        }
    }

    @Test("bundles build one at a time (as configured) and a full queue refuses more as busy, until its requests are sent")
    func bounded() async throws {
        let local = try QueueTestState(concurrency: 2)
        defer { local.remove() }
        let ref = ObjectRef(bucket: local.config.storageBucket, key: "a.jpg")
        try await local.store.put(ref, body: .data(Data("photo".utf8)), options: PutOptions(contentType: "image/jpeg"))
        try await local.table.record(imageKey: ref.key, labels: ["Sky"])
        let gated = GatedStore(local.store)
        let download = DownloadService(
            store: gated, table: local.table, notifier: try FileDropNotifier(state: local.state), config: local.config)
        let queue = DownloadQueue(download: download, buildsAtOnce: 1, maximumWaiting: 2)
        let running = Task { try await queue.run() }
        defer { running.cancel() }
        for index in 0..<3 { #expect(await queue.submit(labels: ["Sky"], recipient: .email("q\(index)@example.com")) == .queued) }
        #expect(await queue.submit(labels: ["Sky"], recipient: .email("q3@example.com")) == .busy)

        let deadline = Date().addingTimeInterval(600)
        while gated.waiting == 0, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        gated.openAll()
        let outbox = OutboxFolder(state: local.state)
        while try outbox.entries().count < 3, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try outbox.entries().count == 3)
        #expect(gated.mostAtOnce == 1)
        #expect(await queue.submit(labels: ["Sky"], recipient: .email("q4@example.com")) == .queued)
    }
}
