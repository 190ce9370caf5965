import Foundation
import PAMCore
import PAMTestSupport
import Testing

@Suite("ImportService on fakes")
struct ImportServiceTests {
    static let lake = InMemoryLabeler.photo(labels: ["Sky", "Water"])
    static let peak = InMemoryLabeler.photo(labels: ["Mountain", "Sky"])
    static let wood = InMemoryLabeler.photo(labels: ["Forest"])

    /// Total, imported, skipped, failed.
    static func tally(_ summary: ImportSummary) -> [Int] {
        [summary.progress.total, summary.progress.imported, summary.progress.skipped, summary.progress.failed]
    }

    @Test("every photo is stored, analysed, tagged and counted once")
    func importsEachPhoto() async throws {
        let pipeline = FakePipeline()
        let summary = try await pipeline.importer().run(FakePipeline.items([("lake.jpg", Self.lake), ("peak.jpg", Self.peak)]))
        #expect(Self.tally(summary) == [2, 2, 0, 0])
        #expect(summary.failures.isEmpty)
        let keys = await pipeline.store.keys(in: pipeline.config.storageBucket)
        #expect(keys.count == 2 && keys.allSatisfy { $0.hasSuffix("-lake.jpg") || $0.hasSuffix("-peak.jpg") })
        for key in keys { #expect(try await pipeline.isTagged(ObjectRef(bucket: pipeline.config.storageBucket, key: key))) }
        #expect(try await pipeline.counts() == ["Sky": 2, "Water": 1, "Mountain": 1])
    }

    /// The bug the ETag in the port fixed: above the store's part size the ETag is S3's multipart
    /// form, and the importer must predict that form (a plain MD5 never matched on S3).
    @Test("content already stored is skipped before upload, by the ETag the store records, multipart form included")
    func skipsStoredContent() async throws {
        let pipeline = FakePipeline(partSize: 16) // every photo here is several parts
        let first = try await pipeline.importer().run(FakePipeline.items([("lake.jpg", Self.lake), ("peak.jpg", Self.peak)]))
        #expect(first.progress.imported == 2)
        for try await info in pipeline.store.listAll(bucket: pipeline.config.storageBucket) { #expect(info.etag.contains("-")) }

        let counting = CountingPuts(pipeline.store)
        let items = FakePipeline.items([("lake again.jpg", Self.lake), ("peak.jpg", Self.peak), ("wood.jpg", Self.wood)])
        let second = try await pipeline.importer(store: counting).run(items)
        #expect(Self.tally(second) == [3, 1, 2, 0])
        #expect(counting.count == 1, "only the new photo is sent")
        #expect(await pipeline.store.keys(in: pipeline.config.storageBucket).count == 3)
        #expect(try await pipeline.counts() == ["Sky": 2, "Water": 1, "Mountain": 1, "Forest": 1])
    }

    @Test("the same content several times in one batch is imported once")
    func duplicatesInOneBatch() async throws {
        let pipeline = FakePipeline()
        let items = FakePipeline.items((0..<4).map { ("lake-\($0).jpg", Self.lake) })
        let summary = try await pipeline.importer().run(items)
        #expect(Self.tally(summary) == [4, 1, 3, 0])
        #expect(await pipeline.store.keys(in: pipeline.config.storageBucket).count == 1)
        #expect(try await pipeline.counts() == ["Sky": 1, "Water": 1])
    }

    @Test("force imports stored content again, as new photos")
    func force() async throws {
        let pipeline = FakePipeline()
        _ = try await pipeline.importer().run(FakePipeline.items([("lake.jpg", Self.lake)]))
        let again = try await pipeline.importer().run(FakePipeline.items([("lake.jpg", Self.lake)]), force: true)
        #expect(again.progress.imported == 1 && again.progress.skipped == 0)
        #expect(await pipeline.store.keys(in: pipeline.config.storageBucket).count == 2)
        #expect(try await pipeline.counts() == ["Sky": 2, "Water": 2])
    }

    @Test("a stored photo that was never analysed (an import cut short) is analysed when it is imported again; an analysed one is skipped")
    func finishesStoredUnanalysedPhotos() async throws {
        let pipeline = FakePipeline()
        let cut = try await pipeline.put("cut-short-lake.jpg", Self.lake)
        _ = try await pipeline.importer().run(FakePipeline.items([("peak.jpg", Self.peak)]))
        #expect(try await pipeline.counts() == ["Sky": 1, "Mountain": 1])

        let items = FakePipeline.items([("lake.jpg", Self.lake), ("lake again.jpg", Self.lake), ("peak.jpg", Self.peak)])
        let summary = try await pipeline.importer().run(items)
        #expect(Self.tally(summary) == [3, 1, 2, 0])
        #expect(try await pipeline.isTagged(cut))
        #expect(await pipeline.store.keys(in: pipeline.config.storageBucket).count == 2, "nothing stored twice")
        #expect(try await pipeline.counts() == ["Sky": 2, "Water": 1, "Mountain": 1])
    }

    @Test("a photo overwritten between its upload and its batch's tagging is analysed again from the store and counted once")
    func overwrittenBeforeTagging() async throws {
        let pipeline = FakePipeline()
        let racing = OverwriteOnFirstTagging(pipeline.store, with: Self.wood)
        let summary = try await pipeline.importer(store: racing).run(FakePipeline.items([("lake.jpg", Self.lake)]))
        #expect(Self.tally(summary) == [1, 1, 0, 0])
        let keys = await pipeline.store.keys(in: pipeline.config.storageBucket)
        #expect(keys.count == 1)
        #expect(try await pipeline.isTagged(ObjectRef(bucket: pipeline.config.storageBucket, key: try #require(keys.first))))
        #expect(try await pipeline.counts() == ["Forest": 1], "the new photo's labels, not the uploaded one's")
    }

    @Test("a photo that fails is reported with its reason and leaves nothing; the others are imported")
    func failuresAreReported() async throws {
        let pipeline = FakePipeline()
        let items =
            FakePipeline.items([
                ("lake.jpg", Self.lake), ("notes.jpg", Data("not a photo".utf8)),
                ("huge.jpg", Data(repeating: 0xFF, count: 101)),
            ])
            + [ImportItem(name: "gone.jpg") { throw PAMError(.io, "the file went away") }]
        let reported = Reports()
        let summary = try await pipeline.importer(maxPhotoBytes: 100).run(items) { reported.add($0) }
        #expect(Self.tally(summary) == [4, 1, 0, 3])
        #expect(summary.failures.map(\.name) == ["gone.jpg", "huge.jpg", "notes.jpg"])
        #expect(summary.failures[0].reason == "the file went away")
        #expect(summary.failures[1].reason.contains("over the 100-byte limit"))
        #expect(summary.failures[2].reason.contains("JPEG"))
        #expect(reported.done.sorted() == [1, 2, 3, 4])
        #expect(await pipeline.store.keys(in: pipeline.config.storageBucket).count == 1)
        #expect(try await pipeline.counts() == ["Sky": 1, "Water": 1])
    }
}

/// Overwrites the object with `replacement` the first time the analysed tag is about to be added
/// to it, as a concurrent upload to the same key would.
final class OverwriteOnFirstTagging: ForwardingObjectStore, @unchecked Sendable {
    let base: any ObjectStore
    let replacement: Data
    private let lock = NSLock()
    private var done = false

    init(_ base: any ObjectStore, with replacement: Data) {
        self.base = base
        self.replacement = replacement
    }

    func setTags(_ ref: ObjectRef, _ tags: [String: String]) async throws {
        let first = lock.withLock {
            defer { done = true }
            return !done
        }
        if first { try await base.put(ref, body: .data(replacement), options: PutOptions(contentType: "image/jpeg")) }
        try await base.setTags(ref, tags)
    }
}

/// The progress reports of an import, from whichever task made them.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [ImportProgress] = []

    func add(_ progress: ImportProgress) { lock.withLock { reports.append(progress) } }
    var done: [Int] { lock.withLock { reports.map(\.done) } }
}
