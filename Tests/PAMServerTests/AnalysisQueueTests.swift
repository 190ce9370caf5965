import Foundation
import PAMCore
import PAMLocal
import PAMServer
import PAMTestSupport
import Testing

@Suite("AnalysisQueue")
struct AnalysisQueueTests {
    /// A store that, right after analysis checked the photo unchanged (its second HEAD), stores
    /// another photo under the key and queues it, as a PUT landing at that instant would.
    final class OverwriteAfterCheck: ForwardingObjectStore, @unchecked Sendable {
        let inner: FileSystemObjectStore
        var base: any ObjectStore { inner }
        let replacement: Data
        private let lock = NSLock()
        private var heads = 0
        var queue: AnalysisQueue?

        init(inner: FileSystemObjectStore, replacement: Data) {
            self.inner = inner
            self.replacement = replacement
        }

        func head(_ ref: ObjectRef) async throws -> ObjectInfo {
            let info = try await inner.head(ref)
            let call = lock.withLock {
                heads += 1
                return heads
            }
            if call == 2, let queue = lock.withLock({ self.queue }) {
                try await inner.put(ref, body: .data(replacement), options: PutOptions(contentType: "image/jpeg"))
                await queue.enqueue(ref)
            }
            return info
        }
    }

    static let photos = FixtureFiles.jpegs(in: "photos")

    @Test("a photo stored again while its analysis finishes is analysed once more, ending with its own labels")
    func storedAgainWhileRunning() async throws {
        let labeler = HistogramLabeler()
        func labels(_ url: URL) throws -> [String] { try labeler.labels(forJPEG: Data(contentsOf: url)).map(\.name).sorted() }
        let first = try #require(Self.photos.first)
        let second = try #require(try Self.photos.first { try labels($0) != labels(first) })

        let local = try QueueTestState(concurrency: 1)
        defer { local.remove() }
        let (config, inner, table) = (local.config, local.store, local.table)
        let ref = ObjectRef(bucket: config.storageBucket, key: "photo.jpg")
        try await inner.put(ref, body: .data(Data(contentsOf: first)), options: PutOptions(contentType: "image/jpeg"))

        let store = OverwriteAfterCheck(inner: inner, replacement: try Data(contentsOf: second))
        let analysis = AnalysisService(store: store, labeler: StoredImageLabeler(store: inner), table: table, config: config)
        let queue = AnalysisQueue(analysis: analysis, concurrency: 1)
        store.queue = queue
        let running = Task { try await queue.run() }
        defer { running.cancel() }

        // Started, the queue finds the pending photo; wait until it has nothing left to do.
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline {
            if try await inner.tags(ref)["rekognition"] == "complete", await queue.pending == 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await table.labels(ofImage: ref.key) == (try labels(second)))
        #expect(try await inner.tags(ref)["rekognition"] == "complete")
        #expect(
            Dictionary(uniqueKeysWithValues: try await table.allLabels().map { ($0.label, $0.count) })
                == Dictionary(uniqueKeysWithValues: try labels(second).map { ($0, 1) }))
    }

    @Test(
        "photos whose labels the upload check handed over are counted under those labels, together; one deleted before its turn counts nowhere"
    )
    func handedOverTogether() async throws {
        let local = try QueueTestState(concurrency: 1)
        defer { local.remove() }
        let (config, store, table) = (local.config, local.store, local.table)
        // The queue's own labeler finds Lake and Water: the handed labels can only come from the handover.
        let analysis = AnalysisService(store: store, labeler: FixedLabeler(labels: ["Lake", "Water"]), table: table, config: config)
        let queue = AnalysisQueue(analysis: analysis, concurrency: 1)
        let photo = try Data(contentsOf: try #require(Self.photos.first))
        var refs: [ObjectRef] = []
        for index in 0..<30 {
            let ref = ObjectRef(bucket: config.storageBucket, key: "photo-\(index).jpg")
            // Distinct bytes, so distinct ETags: a comment segment after the start of image.
            let bytes = photo.prefix(2) + Data([0xFF, 0xFE, 0, 6]) + Data("n\(index % 10)\(index / 10)".utf8) + photo.dropFirst(2)
            let info = try await store.put(ref, body: .data(bytes), options: PutOptions(contentType: "image/jpeg"))
            await queue.enqueue(
                ref,
                labeled: LabeledVersion(
                    etag: info.etag,
                    labels: [DetectedLabel(name: "Handed", confidence: 99), DetectedLabel(name: "N\(index % 3)", confidence: 99)]))
            refs.append(ref)
        }
        try await store.delete(refs[7])
        let running = Task { try await queue.run() }
        defer { running.cancel() }
        let deadline = Date().addingTimeInterval(600)
        while await queue.pending > 0, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let kept = refs.indices.filter { $0 != 7 }
        #expect(
            Dictionary(uniqueKeysWithValues: try await table.allLabels().map { ($0.label, $0.count) })
                == [
                    "Handed": 29, "N0": kept.filter { $0 % 3 == 0 }.count, "N1": kept.filter { $0 % 3 == 1 }.count,
                    "N2": kept.filter { $0 % 3 == 2 }.count,
                ])
        for index in kept { #expect(try await store.tags(refs[index])[config.analyzedTag.key] == config.analyzedTag.value) }
    }

    @Test("a deletion a killed server left on record (its turn lost) is taken out of the table when the queue starts")
    func deletionOnRecordAtStart() async throws {
        let local = try QueueTestState(concurrency: 1)
        defer { local.remove() }
        let (config, store, table) = (local.config, local.store, local.table)
        let analysis = AnalysisService(store: store, labeler: FixedLabeler(labels: ["Lake", "Water"]), table: table, config: config)
        let photo = try Data(contentsOf: try #require(Self.photos.first))
        let gone = ObjectRef(bucket: config.storageBucket, key: "gone.jpg")
        let kept = ObjectRef(bucket: config.storageBucket, key: "kept.jpg")
        for ref in [gone, kept] {
            try await store.put(ref, body: .data(photo), options: PutOptions(contentType: "image/jpeg"))
            _ = try await analysis.analyze(ref)
        }
        // The DELETE committed; the turn it queued died with the process.
        try await store.delete(gone)
        let queue = AnalysisQueue(analysis: analysis, concurrency: 1)
        let running = Task { try await queue.run() }
        defer { running.cancel() }
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline {
            let marked = try await store.deletionMarks(in: config.storageBucket)
            if marked.isEmpty, await queue.pending == 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await store.deletionMarks(in: config.storageBucket).isEmpty)
        #expect(try await table.allLabels().map { "\($0.label)=\($0.count)" } == ["Lake=1", "Water=1"])
        #expect(try await table.labels(ofImage: gone.key).isEmpty)
    }
}
