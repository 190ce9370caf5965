import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// `pam import` labels the bytes it has just stored instead of reading them back, and stays exactly
/// as safe: a photo changed after its upload is analysed again from the store.
@Suite("Import labels the bytes in hand")
struct ImportInHandTests {
    /// Counts the object reads that reach the store.
    final class CountingGets: ForwardingObjectStore, @unchecked Sendable {
        let base: any ObjectStore
        let gets = Counter()
        init(_ base: any ObjectStore) { self.base = base }
        func get(_ ref: ObjectRef) async throws -> ByteStream {
            _ = gets.next()
            return try await base.get(ref)
        }
    }

    @Test("an import labels every photo from the bytes it stored, reads none back, and counts each once")
    func noReadBack() async throws {
        let photos = Array(PipelineTests.photos.prefix(6))
        try #require(photos.count == 6)
        try await withTemporaryState { state in
            let store = CountingGets(try state.store())
            let table = try state.table()
            let analysis = AnalysisService(store: store, labeler: StoredImageLabeler(store: store), table: table, config: state.config)
            let importer = ImportService(store: store, analysis: analysis, config: state.config)
            let summary = try await importer.run(
                photos.map { url in ImportItem(name: url.lastPathComponent) { try Data(contentsOf: url) } })
            #expect(summary.progress.imported == photos.count && summary.progress.failed == 0)
            #expect(store.gets.next() == 0, "no photo was read back from the store")
            var stored = 0
            for try await info in store.listAll(bucket: state.config.storageBucket) {
                stored += 1
                #expect(try await store.tags(info.ref)["rekognition"] == "complete")
            }
            #expect(stored == photos.count)
            let counts = Dictionary(uniqueKeysWithValues: try await table.allLabels().map { ($0.label, $0.count) })
            #expect(counts == (try PipelineTests.expectedCounts(photos)))
        }
    }

    @Test("a labeler that is not a StoredBytesLabeler still reads the stored object")
    func otherLabelersReadTheStore() async throws {
        let photo = try #require(PipelineTests.photos.first)
        try await withTemporaryState { state in
            let store = CountingGets(try state.store())
            let table = try state.table()
            let analysis = AnalysisService(
                store: store, labeler: ObjectOnlyLabeler(inner: StoredImageLabeler(store: store)), table: table, config: state.config)
            let data = try Data(contentsOf: photo)
            let info = try await UploadService(store: store, config: state.config).upload(fileName: "a.jpg", body: .data(data))
            guard case .analyzed = try await analysis.analyze(stored: info, body: data) else { throw PAMError(.conflict, "not analysed") }
            #expect(store.gets.next() == 1, "one read of the stored object")
            #expect(try await store.tags(info.ref)["rekognition"] == "complete")
        }
    }

    /// Labels stored objects only (as Rekognition on S3 objects would be used).
    struct ObjectOnlyLabeler: Labeler {
        let inner: any Labeler
        func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel] {
            try await inner.detectLabels(in: ref, query: query)
        }
    }

    @Test("a photo overwritten after its upload, before its analysis, ends with the new photo's labels, counted once")
    func overwrittenBeforeAnalysis() async throws {
        let (first, second, _, secondLabels) = try PipelineTests.differentPhotos()
        try await withTemporaryState { state in
            let store = try state.store()
            let table = try state.table()
            let analysis = AnalysisService(store: store, labeler: StoredImageLabeler(store: store), table: table, config: state.config)
            let firstData = try Data(contentsOf: first)
            let info = try await UploadService(store: store, config: state.config).upload(fileName: "raced.jpg", body: .data(firstData))
            try await store.put(info.ref, body: .data(Data(contentsOf: second)), options: PutOptions(contentType: "image/jpeg"))
            guard case .analyzed(let labels, _) = try await analysis.analyze(stored: info, body: firstData) else {
                throw PAMError(.conflict, "not analysed")
            }
            #expect(labels.map(\.name).sorted() == secondLabels)
            #expect(try await table.labels(ofImage: info.ref.key) == secondLabels)
            #expect(try await store.tags(info.ref)["rekognition"] == "complete")
            let counts = Dictionary(uniqueKeysWithValues: try await table.allLabels().map { ($0.label, $0.count) })
            #expect(counts == (try PipelineTests.expectedCounts([second])))
        }
    }

    @Test("a bad photo's error names the object when it is labelled from the bytes in hand")
    func errorNamesTheObject() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let analysis = AnalysisService(
                store: store, labeler: StoredImageLabeler(store: store), table: try state.table(), config: state.config)
            let data = Data("not a jpeg".utf8)
            let info = try await UploadService(store: store, config: state.config).upload(fileName: "bad.jpg", body: .data(data))
            do {
                _ = try await analysis.analyze(stored: info, body: data)
                Issue.record("a bad photo was analysed")
            } catch let error as PAMError {
                #expect(error.code == .invalidImage)
                #expect(error.ref == info.ref)
            }
            #expect(try await store.tags(info.ref)["rekognition"] == nil)
        }
    }
}
