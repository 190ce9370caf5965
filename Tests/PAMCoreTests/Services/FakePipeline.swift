import Foundation
import PAMCore
import PAMTestSupport

/// The pipeline's services on the in-memory fakes, on a clock that moves only when told.
struct FakePipeline {
    let config = PipelineConfig(concurrency: 4)
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
    let store: InMemoryObjectStore
    let table = InMemoryLabelTable()
    let notifier = InMemoryNotifier()
    let labeler: any Labeler

    /// `partSize` is the store's multipart part size (S3's ETag form above it).
    init(partSize: Int = 8 << 20) {
        store = InMemoryObjectStore(buckets: [config.storageBucket, config.workingBucket], partSize: partSize, clock: clock)
        labeler = InMemoryLabeler(store: store)
    }

    func analysis(store: (any ObjectStore)? = nil, labeler: (any Labeler)? = nil) -> AnalysisService {
        AnalysisService(store: store ?? self.store, labeler: labeler ?? self.labeler, table: table, config: config)
    }

    func importer(store: (any ObjectStore)? = nil, maxPhotoBytes: Int = 50 << 20) -> ImportService {
        let store = store ?? self.store
        return ImportService(store: store, analysis: analysis(store: store), config: config, maxPhotoBytes: maxPhotoBytes)
    }

    var download: DownloadService { DownloadService(store: store, table: table, notifier: notifier, config: config) }
    var lifecycle: LifecycleService { LifecycleService(store: store, config: config, clock: clock) }

    /// Stores `data` as `key` in the storage bucket, as an upload would.
    @discardableResult
    func put(_ key: String, _ data: Data, crc: Bool = true) async throws -> ObjectRef {
        let ref = ObjectRef(bucket: config.storageBucket, key: key)
        try await store.put(ref, body: .data(data), options: PutOptions(contentType: "image/jpeg", computeCRC32: crc))
        return ref
    }

    /// Every label's count.
    func counts() async throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try await table.allLabels().map { ($0.label, $0.count) })
    }

    func isTagged(_ ref: ObjectRef) async throws -> Bool {
        try await store.tags(ref)[config.analyzedTag.key] == config.analyzedTag.value
    }

    static func items(_ photos: [(String, Data)]) -> [ImportItem] {
        photos.map { name, data in ImportItem(name: name) { data } }
    }
}

/// Counts the puts that reach the store: an import that skips stored content sends nothing.
final class CountingPuts: ForwardingObjectStore, @unchecked Sendable {
    let base: any ObjectStore
    private let lock = NSLock()
    private var puts = 0

    init(_ base: any ObjectStore) { self.base = base }

    var count: Int { lock.withLock { puts } }

    func put(_ ref: ObjectRef, body: ByteStream, options: PutOptions) async throws -> ObjectInfo {
        lock.withLock { puts += 1 }
        return try await base.put(ref, body: body, options: options)
    }
}
