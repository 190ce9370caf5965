import Foundation
import Logging

/// One photo to import: a display name and a way to read its bytes when its turn comes.
public struct ImportItem: Sendable {
    /// The name shown in reports (a path relative to what the user named).
    public var name: String
    public var read: @Sendable () async throws -> Data

    public init(name: String, read: @escaping @Sendable () async throws -> Data) {
        self.name = name
        self.read = read
    }
}

/// Running totals, reported after each photo.
public struct ImportProgress: Sendable, Hashable {
    public var total: Int
    public var imported = 0
    public var skipped = 0
    public var failed = 0
    public var done: Int { imported + skipped + failed }
}

/// The end of an import: exact counts and a reason per failure.
public struct ImportSummary: Sendable {
    public var progress: ImportProgress
    public var failures: [(name: String, reason: String)]
    public var seconds: Double
}

/// `pam import`: upload and analyse many photos concurrently (bounded), skipping content that is
/// already stored, like `aws s3 sync`. A bad photo is reported and removed; it never aborts the batch.
public struct ImportService: Sendable {
    let store: any ObjectStore
    let upload: UploadService
    let analysis: AnalysisService
    let config: PipelineConfig
    /// Photos larger than this are refused before upload.
    let maxPhotoBytes: Int
    let logger: Logger

    public init(
        store: any ObjectStore, analysis: AnalysisService, config: PipelineConfig, maxPhotoBytes: Int = 50 << 20,
        logger: Logger = Logger(label: "pam.import")
    ) {
        self.store = store
        self.upload = UploadService(store: store, config: config)
        self.analysis = analysis
        self.config = config
        self.maxPhotoBytes = maxPhotoBytes
        self.logger = logger
    }

    /// Imports `items`; `force` imports content that is already stored. `onProgress` is called
    /// after each photo, from any task.
    public func run(
        _ items: [ImportItem], force: Bool = false,
        onProgress: @escaping @Sendable (ImportProgress) -> Void = { _ in }
    ) async throws -> ImportSummary {
        let start = ContinuousClock.now
        let seen = ContentIndex()
        if !force {
            for try await info in store.listAll(bucket: config.storageBucket) { await seen.insert(info.etag, at: info.ref) }
        }
        // Deletions an earlier run left on record (killed before their turn) are finished first;
        // one whose turn fails (the key stored again with bytes that are no photo) stays on record.
        for ref in try await analysis.deletedPhotos() {
            do { _ = try await analysis.analyze(ref) } catch {
                logger.info("deleted photo not taken out yet", metadata: ["key": "\(ref.key)", "reason": "\(Self.reason(error))"])
            }
        }
        let batches = AnalysisBatches(analysis: analysis)
        var progress = ImportProgress(total: items.count)
        var failures: [(String, String)] = []
        try await withThrowingTaskGroup(of: [(String, Result<Bool, any Error>)].self) { group in
            var next = 0
            func startNext() {
                guard next < items.count else { return }
                let photos = Array(items[next..<min(next + Self.groupSize, items.count)])
                next += photos.count
                group.addTask { await importGroup(photos, seen: seen, force: force, batches: batches) }
            }
            // More photos in flight than decodes at once (the labeler bounds those): the ones
            // being stored or waiting for their batch to be recorded keep no decoder waiting.
            for _ in 0..<(config.concurrency * Self.groupsInFlightPerDecode) { startNext() }
            while let outcomes = try await group.next() {
                for (name, result) in outcomes {
                    switch result {
                    case .success(true): progress.imported += 1
                    case .success(false): progress.skipped += 1
                    case .failure(let error):
                        progress.failed += 1
                        failures.append((name, Self.reason(error)))
                        logger.info("photo not imported", metadata: ["file": "\(name)", "reason": "\(Self.reason(error))"])
                    }
                    onProgress(progress)
                }
                startNext()
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return ImportSummary(progress: progress, failures: failures.sorted { $0.0 < $1.0 }, seconds: seconds)
    }

    /// Photos read and stored together: their ETags are computed side by side
    /// (``ObjectStore/putEach(_:options:)``), then each is labelled and recorded on its own.
    static let groupSize = 8
    /// Groups in flight per photo analysed at once (`PipelineConfig.concurrency`): as many photos
    /// in memory as when they went one by one (eight per decode).
    static let groupsInFlightPerDecode = 1

    /// Imports a group of photos; each outcome is true when its photo was imported, false when
    /// its content was already stored.
    ///
    /// Content is compared by ETag. When the bucket already held photos, the ETag the store would
    /// record is computed before uploading, so a stored photo is not sent again; otherwise the store's own ETag is
    /// used after the upload (one hash instead of two), and a duplicate within the batch is
    /// removed again before it is analysed. Each photo is labelled here and its labels recorded
    /// and tagged with those of the other photos ready at the same time (``AnalysisBatches``).
    private func importGroup(
        _ items: [ImportItem], seen: ContentIndex, force: Bool, batches: AnalysisBatches
    ) async -> [(String, Result<Bool, any Error>)] {
        var outcomes = [Result<Bool, any Error>?](repeating: nil, count: items.count)
        var photos: [(index: Int, data: Data)] = []
        for (index, item) in items.enumerated() {
            do {
                let data = try await item.read()
                guard data.count <= maxPhotoBytes else {
                    throw PAMError(.imageTooLarge, "\(data.count) bytes is over the \(maxPhotoBytes)-byte limit")
                }
                photos.append((index, data))
            } catch {
                outcomes[index] = .failure(error)
            }
        }
        // The ETags the store would record, for the whole group at once, when stored content is to be skipped.
        var digests = [String?](repeating: nil, count: photos.count)
        if !force, await seen.hasStoredContent { digests = store.etags(of: photos.map(\.data)) }
        var toStore: [(index: Int, data: Data, claimed: String?)] = []
        for (photo, digest) in zip(photos, digests) {
            guard let digest else {
                toStore.append((photo.index, photo.data, nil))
                continue
            }
            do {
                if !(await seen.claim(digest)), let finished = try await finishStored(digest, seen: seen) {
                    outcomes[photo.index] = .success(finished)
                    continue
                }
                toStore.append((photo.index, photo.data, digest))
            } catch {
                outcomes[photo.index] = .failure(error)
            }
        }
        let stored = await upload.uploadEach(toStore.map { (items[$0.index].name, $0.data) })
        precondition(stored.count == toStore.count, "putEach answers one outcome per object")
        await withTaskGroup(of: (Int, Result<Bool, any Error>).self) { group in
            for (photo, upload) in zip(toStore, stored) {
                group.addTask {
                    let outcome = await Result {
                        try await finishImport(upload, body: photo.data, claimed: photo.claimed, seen: seen, force: force, batches: batches)
                    }
                    return (photo.index, outcome)
                }
            }
            for await (index, outcome) in group { outcomes[index] = outcome }
        }
        // Every photo has its outcome by now: from the reading above, or from its task.
        return zip(items, outcomes).map { item, outcome in (item.name, outcome!) }
    }

    /// Labels and records one photo of a group once its upload is done (`upload`); a failure
    /// releases the ETag it claimed, and a photo stored but not recorded is taken out again.
    private func finishImport(
        _ upload: Result<ObjectInfo, any Error>, body: Data, claimed: String?, seen: ContentIndex, force: Bool,
        batches: AnalysisBatches
    ) async throws -> Bool {
        var claimed = claimed
        do {
            let info = try upload.get()
            if !force, claimed == nil {
                guard await seen.claim(info.etag) else {
                    try await withdraw(info.ref)
                    return false
                }
                claimed = info.etag
            }
            do {
                if let labels = try await analysis.labels(stored: info, body: body),
                    case .removed = try await batches.record(info.ref, LabeledVersion(etag: info.etag, labels: labels)).get()
                {
                    throw PAMError(.notFound, "the photo was deleted while it was imported", ref: info.ref)
                }
            } catch {
                // Labels recorded before the failure are taken out again, once the photo is gone.
                try? await withdraw(info.ref)
                throw error
            }
            return true
        } catch {
            if let claimed { await seen.release(claimed) }
            throw error
        }
    }

    /// Deletes a photo this import stored, then gives it the turn a deletion gets: labels recorded
    /// for it are taken out, and its deletion's mark is cleared. The turn's own failure leaves the
    /// mark for the next start.
    private func withdraw(_ ref: ObjectRef) async throws {
        try await store.delete(ref)
        _ = try? await analysis.analyze(ref)
    }

    /// A photo whose content is already stored: true when the stored photo was never analysed
    /// (an import or upload interrupted by a crash) and is analysed now, so that running the
    /// import again finishes it; false when it was (it is skipped); nil when it was deleted since
    /// the import began (this photo is then stored in its place).
    private func finishStored(_ digest: String, seen: ContentIndex) async throws -> Bool? {
        guard let ref = await seen.takeStored(digest), PhotoKey.isJPEG(ref.key) else { return false }
        switch try await analysis.analyze(ref) {
        case .analyzed: return true
        case .removed: return nil
        case .alreadyAnalyzed, .notAPhoto: return false
        }
    }

    /// What a failure says to the user: a PAMError's message, or the error described.
    public static func reason(_ error: any Error) -> String {
        (error as? PAMError).map { $0.message } ?? String(describing: error)
    }
}

/// The ETags already stored or claimed by a photo of this batch.
private actor ContentIndex {
    private var digests = Set<String>()
    /// A stored object of each ETag stored before the batch began, until a photo of the batch takes it.
    private var stored: [String: ObjectRef] = [:]
    /// Whether the bucket held anything before the batch began.
    private(set) var hasStoredContent = false
    func insert(_ digest: String, at ref: ObjectRef) {
        digests.insert(digest)
        if stored[digest] == nil { stored[digest] = ref }
        hasStoredContent = true
    }
    /// True when `digest` was new and is now claimed.
    func claim(_ digest: String) -> Bool { digests.insert(digest).inserted }
    func release(_ digest: String) { digests.remove(digest) }
    /// The stored object of `digest`, to the first photo of the batch that asks.
    func takeStored(_ digest: String) -> ObjectRef? { stored.removeValue(forKey: digest) }
}
