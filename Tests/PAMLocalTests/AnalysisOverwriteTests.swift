import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// A photo overwritten while it is analysed, on the real local store: the analysed tag must never
/// mark the new version with the old version's labels, not even for a moment (a crash in that
/// moment would keep it so: the new version would never be analysed).
@Suite("Analysis of a photo overwritten while it is labelled")
struct AnalysisOverwriteTests {
    /// Stores `replacement` at the key the first time the analysed tag is about to be added, then
    /// adds it as asked, and notes whether the replacement's row came out tagged.
    final class OverwriteBeforeTagging: ForwardingObjectStore, @unchecked Sendable {
        let base: any ObjectStore
        let replacement: Data
        let tag: (key: String, value: String)
        private let lock = NSLock()
        private var overwritten = false
        private(set) var replacementTaggedAtOnce: Bool?

        init(_ base: any ObjectStore, with replacement: Data, tag: (key: String, value: String)) {
            self.base = base
            self.replacement = replacement
            self.tag = tag
        }

        func addTag(_ tag: (key: String, value: String), toUnchanged objects: [(ref: ObjectRef, etag: String)]) async throws -> [Bool] {
            let first = lock.withLock {
                defer { overwritten = true }
                return !overwritten
            }
            guard first, let ref = objects.first?.ref else { return try await base.addTag(tag, toUnchanged: objects) }
            try await base.put(ref, body: .data(replacement), options: PutOptions(contentType: "image/jpeg"))
            let answer = try await base.addTag(tag, toUnchanged: objects)
            let tagged = try await base.tags(ref)[self.tag.key] == self.tag.value
            lock.withLock { replacementTaggedAtOnce = tagged }
            return answer
        }
    }

    @Test("the new version is not tagged with the old one's labels; it is analysed again and counted with its own")
    func overwriteBetweenLabellingAndTagging() async throws {
        let photos = FixtureFiles.jpegs(in: "photos")
        try #require(photos.count >= 2)
        let (first, second) = (try Data(contentsOf: photos[0]), try Data(contentsOf: photos[1]))
        let labeler = HistogramLabeler()
        let (firstLabels, secondLabels) = (try labeler.labels(forJPEG: first), try labeler.labels(forJPEG: second))
        try #require(Set(firstLabels.map(\.name)) != Set(secondLabels.map(\.name)))
        try await withTemporaryState { state in
            let store = try state.store()
            let table = try state.table()
            let racing = OverwriteBeforeTagging(store, with: second, tag: state.config.analyzedTag)
            let analysis = AnalysisService(store: racing, labeler: StoredImageLabeler(store: store), table: table, config: state.config)
            let ref = ObjectRef(bucket: state.config.storageBucket, key: "k.jpg")
            try await store.put(ref, body: .data(first), options: PutOptions(contentType: "image/jpeg"))

            let outcome = try await analysis.analyze(ref)

            #expect(racing.replacementTaggedAtOnce == false, "the first labels' tag landed on the new version")
            guard case .analyzed(let labels, _) = outcome else {
                Issue.record("not analysed: \(outcome)")
                return
            }
            #expect(labels.map(\.name) == secondLabels.map(\.name))
            #expect(try await store.tags(ref)[state.config.analyzedTag.key] == state.config.analyzedTag.value)
            #expect(Set(try await table.labels(ofImage: "k.jpg")) == Set(secondLabels.map(\.name)))
        }
    }
}
