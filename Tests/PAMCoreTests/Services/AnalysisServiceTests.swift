import Foundation
import PAMCore
import PAMTestSupport
import Testing

@Suite("AnalysisService on fakes")
struct AnalysisServiceTests {
    static let lake = InMemoryLabeler.photo(labels: ["Sky", "Water"])
    static let flower = InMemoryLabeler.photo(labels: ["Flower", "Sky"])

    /// Labels as its labeler finds them, and after each detection stores the next of
    /// `replacements` under the key, as a PUT landing while the analysis runs would.
    struct OverwritingLabeler: Labeler {
        let base: any Labeler
        let store: any ObjectStore
        let replacements: [Data]
        let calls = Counter()

        func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel] {
            let labels = try await base.detectLabels(in: ref, query: query)
            let call = calls.next()
            if call < replacements.count {
                try await store.put(ref, body: .data(replacements[call]), options: PutOptions(contentType: "image/jpeg"))
            }
            return labels
        }
    }

    @Test("a photo is counted under its labels and tagged; analysing it again does nothing")
    func analyseOnce() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-lake.jpg", Self.lake)
        let outcome = try await pipeline.analysis().analyze(ref)
        #expect(
            outcome
                == .analyzed(
                    labels: [DetectedLabel(name: "Sky", confidence: 90), DetectedLabel(name: "Water", confidence: 90)],
                    change: LabelChange(added: ["Sky", "Water"])))
        #expect(try await pipeline.isTagged(ref))
        #expect(try await pipeline.analysis().analyze(ref) == .alreadyAnalyzed)
        #expect(try await pipeline.counts() == ["Sky": 1, "Water": 1])
    }

    @Test("the same event arriving many times at once counts the photo exactly once")
    func concurrentEvents() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-lake.jpg", Self.lake)
        let analysis = pipeline.analysis()
        let outcomes = try await withThrowingTaskGroup(of: AnalysisOutcome.self) { group in
            for _ in 0..<12 { group.addTask { try await analysis.analyze(ref) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var added: [String] = []
        for case .analyzed(_, let change) in outcomes { added += change.added }
        #expect(added.sorted() == ["Sky", "Water"], "each label newly counted by exactly one of the analyses")
        #expect(try await pipeline.counts() == ["Sky": 1, "Water": 1])
        #expect(try await pipeline.isTagged(ref))
    }

    @Test("after a crash between counting and tagging, the next analysis counts nothing twice")
    func crashBeforeTagging() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-lake.jpg", Self.lake)
        try await pipeline.table.record(imageKey: ref.key, labels: ["Sky", "Water"]) // counted, then the crash
        #expect(try await pipeline.analysis().pendingPhotos() == [ref])
        guard case .analyzed(_, let change) = try await pipeline.analysis().analyze(ref) else {
            Issue.record("expected an analysis")
            return
        }
        #expect(change.isEmpty)
        #expect(try await pipeline.counts() == ["Sky": 1, "Water": 1])
        #expect(try await pipeline.analysis().pendingPhotos().isEmpty)
    }

    @Test("an overwritten photo (another ETag, its tags gone) is analysed again and ends with exactly its new labels")
    func reanalysisAfterOverwrite() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-photo.jpg", Self.lake)
        let before = try await pipeline.store.head(ref).etag
        _ = try await pipeline.analysis().analyze(ref)
        try await pipeline.put("a-photo.jpg", Self.flower)
        #expect(try await pipeline.store.head(ref).etag != before)
        #expect(try await !pipeline.isTagged(ref))
        guard case .analyzed(_, let change) = try await pipeline.analysis().analyze(ref) else {
            Issue.record("expected an analysis")
            return
        }
        #expect(change == LabelChange(added: ["Flower"], removed: ["Water"]))
        #expect(try await pipeline.counts() == ["Flower": 1, "Sky": 1])
        #expect(await pipeline.table.labels(ofImage: ref.key) == ["Flower", "Sky"])
    }

    @Test("labels handed over for the stored version are recorded as they are, with no detection")
    func handedLabelsForStoredVersion() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-photo.jpg", Self.lake)
        let etag = try await pipeline.store.head(ref).etag
        let labeler = OverwritingLabeler(base: pipeline.labeler, store: pipeline.store, replacements: [])
        // Labels the fake labeler would never find in the lake: only the handover can record them.
        let handed = [DetectedLabel(name: "Handed", confidence: 99)]
        let outcome = try await pipeline.analysis(labeler: labeler).analyze(ref, labeled: LabeledVersion(etag: etag, labels: handed))
        #expect(outcome == .analyzed(labels: handed, change: LabelChange(added: ["Handed"])))
        #expect(labeler.calls.next() == 0, "no detection")
        #expect(try await pipeline.counts() == ["Handed": 1])
        #expect(try await pipeline.isTagged(ref))
    }

    @Test("labels handed over for an earlier version are not used for the object stored since")
    func handedLabelsForAnotherVersion() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-photo.jpg", Self.lake)
        let earlier = LabeledVersion(etag: try await pipeline.store.head(ref).etag, labels: [DetectedLabel(name: "Handed", confidence: 99)])
        try await pipeline.put("a-photo.jpg", Self.flower) // overwritten before the analysis' turn
        let outcome = try await pipeline.analysis().analyze(ref, labeled: earlier)
        guard case .analyzed(let labels, _) = outcome else {
            Issue.record("expected an analysis")
            return
        }
        #expect(labels.map(\.name) == ["Flower", "Sky"])
        #expect(try await pipeline.counts() == ["Flower": 1, "Sky": 1])
        #expect(try await pipeline.isTagged(ref))
    }

    @Test("a batch of handed-over labels, checked first: recorded for unchanged photos, not for a deleted one, not for an overwritten one")
    func handedBatchCheckedFirst() async throws {
        let pipeline = FakePipeline()
        let handed = [DetectedLabel(name: "Handed", confidence: 99)]
        var photos: [(ref: ObjectRef, labeled: LabeledVersion)] = []
        for key in ["kept-1.jpg", "deleted.jpg", "overwritten.jpg", "kept-2.jpg"] {
            let ref = try await pipeline.put(key, Self.lake)
            photos.append((ref, LabeledVersion(etag: try await pipeline.store.head(ref).etag, labels: handed)))
        }
        try await pipeline.store.delete(photos[1].ref)
        try await pipeline.put("overwritten.jpg", Self.flower)
        let results = await pipeline.analysis().record(photos, checkingFirst: true)
        #expect(results.count == 4)
        for index in [0, 3] {
            #expect(try results[index].get() == .analyzed(labels: handed, change: LabelChange(added: ["Handed"])))
            #expect(try await pipeline.isTagged(photos[index].ref))
        }
        // The deleted photo is taken out of the table (it was never in it).
        #expect(try results[1].get() == .removed(change: LabelChange()))
        guard case .success(.analyzed(let labels, _)) = results[2] else {
            Issue.record("expected the overwritten photo analysed from the store, got \(results[2])")
            return
        }
        #expect(labels.map(\.name) == ["Flower", "Sky"])
        // The deleted photo counts nowhere; the overwritten one under its own labels only.
        #expect(try await pipeline.counts() == ["Handed": 2, "Flower": 1, "Sky": 1])
    }

    @Test("a labeler that labels stored objects only gives no labels for bytes")
    func noBytesLabels() async throws {
        let pipeline = FakePipeline()
        #expect(try await pipeline.analysis().labels(ofPhoto: Self.lake) == nil)
    }

    @Test("a photo overwritten while it is analysed is analysed again before it is tagged")
    func changedDuringAnalysis() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-photo.jpg", Self.lake)
        let labeler = OverwritingLabeler(base: pipeline.labeler, store: pipeline.store, replacements: [Self.flower])
        guard case .analyzed(let labels, _) = try await pipeline.analysis(labeler: labeler).analyze(ref) else {
            Issue.record("expected an analysis")
            return
        }
        #expect(labels.map(\.name) == ["Flower", "Sky"])
        #expect(labeler.calls.next() == 2, "two detections")
        #expect(try await pipeline.counts() == ["Flower": 1, "Sky": 1])
        #expect(try await pipeline.isTagged(ref))
    }

    @Test("a photo that keeps changing is left untagged (pending) with a conflict")
    func keepsChanging() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-photo.jpg", Self.lake)
        let flips = (0..<10).map { $0 % 2 == 0 ? Self.flower : Self.lake }
        let labeler = OverwritingLabeler(base: pipeline.labeler, store: pipeline.store, replacements: flips)
        await expectCode(.conflict) { _ = try await pipeline.analysis(labeler: labeler).analyze(ref) }
        #expect(try await !pipeline.isTagged(ref))
        #expect(try await pipeline.analysis().pendingPhotos() == [ref])
    }

    @Test("only .jpg and .jpeg objects are photos")
    func notAPhoto() async throws {
        let pipeline = FakePipeline()
        let notes = try await pipeline.put("notes.txt", Self.lake)
        let photo = try await pipeline.put("b.JPEG", Self.lake)
        #expect(try await pipeline.analysis().analyze(notes) == .notAPhoto)
        #expect(try await pipeline.counts().isEmpty)
        #expect(try await pipeline.analysis().pendingPhotos() == [photo])
    }

    @Test("a photo the labeler refuses is not counted nor tagged, and stays pending")
    func refusedPhoto() async throws {
        let pipeline = FakePipeline()
        let ref = try await pipeline.put("a-broken.jpg", Data("not a jpeg".utf8))
        await expectCode(.invalidImage) { _ = try await pipeline.analysis().analyze(ref) }
        #expect(try await pipeline.counts().isEmpty)
        #expect(try await pipeline.analysis().pendingPhotos() == [ref])
    }
}
