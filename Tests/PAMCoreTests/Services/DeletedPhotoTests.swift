import Foundation
import PAMCore
import PAMTestSupport
import Testing

/// A photo deleted from the storage bucket stops counting: its next analysis (queued by the
/// deletion) takes it out of the table, and a bundle leaves it out meanwhile.
@Suite("Deleted photos on fakes")
struct DeletedPhotoTests {
    static let lake = AnalysisServiceTests.lake
    static let flower = AnalysisServiceTests.flower

    /// Deletes the photo while it is being labelled (after the labeler read it), as a DELETE
    /// landing during the analysis would.
    struct DeletingLabeler: Labeler {
        let base: any Labeler
        let store: any ObjectStore

        func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel] {
            let labels = try await base.detectLabels(in: ref, query: query)
            try await store.delete(ref)
            return labels
        }
    }

    @Test("a photo deleted after its analysis is taken out of the table by the next one, once; a photo never stored changes nothing")
    func deletedAfterAnalysis() async throws {
        let pipeline = FakePipeline()
        let lake = try await pipeline.put("a-lake.jpg", Self.lake)
        let flower = try await pipeline.put("b-flower.jpg", Self.flower)
        for ref in [lake, flower] { _ = try await pipeline.analysis().analyze(ref) }
        try await pipeline.store.delete(lake)
        #expect(try await pipeline.analysis().analyze(lake) == .removed(change: LabelChange(removed: ["Sky", "Water"])))
        #expect(try await pipeline.counts() == ["Flower": 1, "Sky": 1])
        #expect(try await pipeline.analysis().analyze(lake) == .removed(change: LabelChange()))
        #expect(try await pipeline.counts() == ["Flower": 1, "Sky": 1])
    }

    @Test("a photo deleted while it is labelled is not left counted")
    func deletedDuringAnalysis() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-lake.jpg", Self.lake)
        let analysis = pipeline.analysis(labeler: DeletingLabeler(base: pipeline.labeler, store: pipeline.store))
        guard case .removed = try await analysis.analyze(ref) else {
            Issue.record("expected the deleted photo taken out")
            return
        }
        #expect(try await pipeline.counts().isEmpty)
        // Labels in hand (an import's or an upload check's) for a photo deleted before they are recorded.
        let again = try await pipeline.put("a-lake.jpg", Self.lake)
        let etag = try await pipeline.store.head(again).etag
        try await pipeline.store.delete(again)
        let labels = [DetectedLabel(name: "Sky", confidence: 90)]
        let results = await pipeline.analysis().record([(again, LabeledVersion(etag: etag, labels: labels))], checkingFirst: true)
        #expect(try results.first?.get() == .removed(change: LabelChange()))
        #expect(try await pipeline.counts().isEmpty)
    }

    @Test("a photo deleted and stored again before its turn is analysed afresh, not taken out")
    func deletedThenStoredAgain() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-photo.jpg", Self.lake)
        _ = try await pipeline.analysis().analyze(ref)
        try await pipeline.store.delete(ref)
        _ = try await pipeline.put("a-photo.jpg", Self.flower)
        guard case .analyzed(_, let change) = try await pipeline.analysis().analyze(ref) else {
            Issue.record("expected an analysis")
            return
        }
        #expect(change == LabelChange(added: ["Flower"], removed: ["Water"]))
        #expect(try await pipeline.counts() == ["Flower": 1, "Sky": 1])
    }

    @Test("a bundle leaves out a photo deleted since it was counted, and says how many it holds")
    func bundleSkipsDeleted() async throws {
        let pipeline = FakePipeline()
        let lake = try await pipeline.put("a-lake.jpg", Self.lake)
        let flower = try await pipeline.put("b-flower.jpg", Self.flower)
        for ref in [lake, flower] { _ = try await pipeline.analysis().analyze(ref) }
        try await pipeline.store.delete(lake)
        let receipt = try await pipeline.download.requestDownload(labels: ["Sky"], recipient: .email("a@b.co"))
        #expect(receipt.photoCount == 1)
        let entries = try await ZipVerifier.verify(try await pipeline.store.get(receipt.bundle.ref))
        #expect(entries.map(\.name) == ["b-flower.jpg"])
        #expect(await pipeline.notifier.deliveries.last?.notification.body.contains("Your bundle of 1 photo labelled Sky") == true)
        try await pipeline.store.delete(flower)
        await expectCode(.notFound) { _ = try await pipeline.download.requestDownload(labels: ["Sky"], recipient: .email("a@b.co")) }
    }

    /// Lists as its base does, then deletes `victim` from the base: a photo deleted by another
    /// client right after an import listed the bucket.
    final class DeleteAfterListing: ForwardingObjectStore, @unchecked Sendable {
        let base: any ObjectStore
        let victim: ObjectRef

        init(_ base: any ObjectStore, deleting victim: ObjectRef) {
            self.base = base
            self.victim = victim
        }

        func list(bucket: String, prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectPage {
            let page = try await base.list(bucket: bucket, prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
            try await base.delete(victim)
            return page
        }
    }

    @Test("an import whose stored twin was deleted after the listing stores and counts the photo, not skips it")
    func importAfterTwinDeleted() async throws {
        let pipeline = FakePipeline()
        let twin = try await pipeline.put("old/lake.jpg", Self.lake)
        _ = try await pipeline.analysis().analyze(twin)
        let store = DeleteAfterListing(pipeline.store, deleting: twin)
        let summary = try await pipeline.importer(store: store).run(FakePipeline.items([("new/lake.jpg", Self.lake)]))
        #expect(summary.progress.imported == 1 && summary.progress.skipped == 0, "\(summary.progress)")
        #expect(try await pipeline.counts() == ["Sky": 1, "Water": 1])
    }

    /// A labeler that answers `.notFound` of its own for a photo that is stored (as Rekognition's
    /// InvalidS3ObjectException for an object it may not read).
    struct NotFoundLabeler: Labeler {
        func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel] {
            throw PAMError(.notFound, "the labeler cannot read the object", ref: ref)
        }
    }

    @Test("a labeler's own notFound for a stored photo is an error, not a deletion: the photo keeps its counts")
    func labelerNotFoundIsNotDeletion() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-lake.jpg", Self.lake)
        try await pipeline.table.record(imageKey: ref.key, labels: ["Sky", "Water"]) // counted, not yet tagged
        await expectCode(.notFound) { _ = try await pipeline.analysis(labeler: NotFoundLabeler()).analyze(ref) }
        #expect(try await pipeline.counts() == ["Sky": 1, "Water": 1])
    }
}
