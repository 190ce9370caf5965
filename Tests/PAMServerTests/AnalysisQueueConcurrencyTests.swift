import Foundation
import PAMCore
import PAMLocal
import PAMServer
import Testing

/// The README's "a bounded number at once (cores)": the analysis queue never runs more analyses
/// than its concurrency, whatever arrives, and still analyses every photo exactly once.
@Suite("Analysis queue concurrency", .timeLimit(.minutes(15)))
struct AnalysisQueueConcurrencyTests {
    /// A labeler whose calls park until the test lets them go, counting how many are inside at once.
    actor ParkingLabeler: Labeler {
        private(set) var inside = 0
        private(set) var mostInside = 0
        private(set) var calls = 0
        private var parked: [CheckedContinuation<Void, Never>] = []

        var parkedCount: Int { parked.count }

        func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel] {
            calls += 1
            inside += 1
            mostInside = max(mostInside, inside)
            await withCheckedContinuation { parked.append($0) }
            return [DetectedLabel(name: "Sky", confidence: 90)]
        }

        /// Lets the longest-parked call finish (it counts as gone from now on).
        func releaseOne() {
            guard !parked.isEmpty else { return }
            inside -= 1
            parked.removeFirst().resume()
        }
    }

    static func waitFor(_ what: String, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(600)
        while await !condition() {
            guard Date() < deadline else { throw PAMError(.io, "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test("seven photos: never more analyses at once than the concurrency, every photo counted once", arguments: [1, 3])
    func bounded(concurrency: Int) async throws {
        let local = try QueueTestState(concurrency: concurrency)
        defer { local.remove() }
        let (config, store, table) = (local.config, local.store, local.table)
        let labeler = ParkingLabeler()
        let queue = AnalysisQueue(
            analysis: AnalysisService(store: store, labeler: labeler, table: table, config: config),
            concurrency: concurrency)
        let running = Task { try await queue.run() }
        defer { running.cancel() }

        let photos = (0..<7).map { ObjectRef(bucket: config.storageBucket, key: "photo-\($0).jpg") }
        for photo in photos {
            try await store.put(
                photo, body: .data(Data("not decoded by this labeler".utf8)), options: PutOptions(contentType: "image/jpeg"))
            await queue.enqueue(photo)
        }
        // Let them go one by one; each time, exactly min(concurrency, left) calls are parked inside
        // the labeler, and no more have started.
        for left in stride(from: photos.count, to: 0, by: -1) {
            let expected = min(concurrency, left)
            try await Self.waitFor("\(expected) analyses in flight") { await labeler.parkedCount == expected }
            #expect(await labeler.inside == expected)
            #expect(await labeler.calls == photos.count - left + expected)
            await labeler.releaseOne()
        }
        try await Self.waitFor("the queue to drain") { await queue.pending == 0 }
        #expect(await labeler.mostInside == concurrency)
        #expect(await labeler.calls == photos.count)
        #expect(try await table.allLabels() == [LabelCount(label: "Sky", count: photos.count)])
        for photo in photos { #expect(try await store.tags(photo)[config.analyzedTag.key] == config.analyzedTag.value) }
    }
}
