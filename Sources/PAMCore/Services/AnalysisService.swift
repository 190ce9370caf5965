import Foundation
import Logging

/// What analysing one photo did.
public enum AnalysisOutcome: Sendable, Hashable {
    /// Labels were detected and the table now holds exactly them for the photo: `change` says
    /// which labels newly count it and which no longer do (an overwritten photo).
    case analyzed(labels: [DetectedLabel], change: LabelChange)
    /// The photo already carries the analysed tag: nothing was done.
    case alreadyAnalyzed
    /// The key is not a `.jpg`/`.jpeg` object: nothing was done.
    case notAPhoto
    /// The photo is not stored (deleted, perhaps while it was analysed): the table no longer
    /// counts it under any label; `change.removed` lists the labels it left.
    case removed(change: LabelChange)
}

/// Step 2 of the pipeline: detect a photo's labels and count them exactly once.
///
/// Idempotent by construction: the table counts each (label, image) pair once, and the object is
/// tagged only after the table has the labels, so an event that arrives twice, concurrently, or
/// after a crash between the two steps never counts twice and never loses a count.
public struct AnalysisService: Sendable {
    let store: any ObjectStore
    let labeler: any Labeler
    let table: any LabelTable
    let config: PipelineConfig
    let query: LabelQuery
    let logger: Logger

    public init(
        store: any ObjectStore, labeler: any Labeler, table: any LabelTable, config: PipelineConfig,
        query: LabelQuery = .default, logger: Logger = Logger(label: "pam.analysis")
    ) {
        self.store = store
        self.labeler = labeler
        self.table = table
        self.config = config
        self.query = query
        self.logger = logger
    }

    /// Analyses the photo at `ref` unless it is already tagged as analysed; a photo that is not
    /// stored (deleted) is taken out of the table instead (``AnalysisOutcome/removed(change:)``).
    ///
    /// An overwritten object (a new PUT to the key) has lost its tags, so it is analysed again and
    /// the table is set to exactly its new labels. The tag is added only while the object is still
    /// the version labelled (``ObjectStore/addTag(_:toUnchanged:)``); when it changed meanwhile, the
    /// analysis starts over, so the tag never lands on a version whose labels were not recorded.
    ///
    /// A deletion of the photo on record (``DeletionMark``) is cleared once the turn has ended:
    /// the table then holds what the store holds. One made after the turn began stays.
    public func analyze(_ ref: ObjectRef) async throws -> AnalysisOutcome {
        guard PhotoKey.isJPEG(ref.key) else { return .notAPhoto }
        let mark = try await store.deletionMark(ref)
        let outcome = try await analyzeUnlessTagged(ref)
        if let mark { try await store.clearDeletionMark(mark) }
        return outcome
    }

    private func analyzeUnlessTagged(_ ref: ObjectRef) async throws -> AnalysisOutcome {
        let tags: [String: String]
        do { tags = try await store.tags(ref) } catch let error as PAMError where error.code == .notFound {
            return try await forget(ref, attempts: 1)
        }
        if tags[config.analyzedTag.key] == config.analyzedTag.value { return .alreadyAnalyzed }
        return try await analyze(ref, first: nil)
    }

    /// Analyses a photo this process has just stored: `stored` is what `put` answered and `body`
    /// the bytes it was given. The store is not asked again for what `put` told (the ETag, the
    /// tags it set, none of them the analysed tag), and a labeler that labels bytes as it labels
    /// stored objects (``StoredBytesLabeler``) gets `body` instead of reading the object back.
    ///
    /// Exactly as safe as ``analyze(_:)``: the labels are recorded before the tag, and the ETag
    /// read after tagging must still be the stored one — if the object was overwritten since `put`
    /// (even before this call), the analysis starts over from the store, as ``analyze(_:)`` does.
    /// A photo that something else analysed meanwhile is analysed again; the table counts it once.
    public func analyze(stored: ObjectInfo, body: Data) async throws -> AnalysisOutcome {
        guard PhotoKey.isJPEG(stored.ref.key) else { return .notAPhoto }
        return try await analyze(stored.ref, first: (stored.etag, labeler is any StoredBytesLabeler ? body : nil))
    }

    /// The labels this analysis detects in `body`, a photo's bytes (its labeler and query), for
    /// ``analyze(_:labeled:)`` once the bytes are stored; nil when its labeler labels stored objects
    /// only (it is not a ``StoredBytesLabeler``). Throws as the labeler does for bytes that are not
    /// a photo it can label.
    public func labels(ofPhoto body: Data) async throws -> [DetectedLabel]? {
        guard let bytesLabeler = labeler as? any StoredBytesLabeler else { return nil }
        return try await bytesLabeler.detectLabels(inImage: body, query: query)
    }

    /// Analyses the photo at `ref`, given labels already detected (``labels(ofPhoto:)``) for the
    /// version `labeled.etag` names — an upload that was labelled while it was checked.
    ///
    /// The labels are used only when the stored object still has that ETag (read first, as for
    /// any analysis); a photo overwritten since is labelled from the store, so a later version is
    /// never given an earlier one's labels. Otherwise exactly as ``analyze(_:)``: labels recorded
    /// before the tag, the ETag checked again after tagging. The analysed tag is not read first
    /// (the upload's version has none); a version analysed meanwhile is recorded again, once.
    public func analyze(_ ref: ObjectRef, labeled: LabeledVersion) async throws -> AnalysisOutcome {
        guard PhotoKey.isJPEG(ref.key) else { return .notAPhoto }
        return try await analyze(ref, first: nil, labeled: labeled)
    }

    /// The labels of a photo this process has just stored (``analyze(stored:body:)``'s first
    /// step), nil when it is not a photo; ``record(_:checkingFirst:)`` then records and tags many at once.
    public func labels(stored: ObjectInfo, body: Data) async throws -> [DetectedLabel]? {
        guard PhotoKey.isJPEG(stored.ref.key) else { return nil }
        return try await detectLabels(stored.ref, body: labeler is any StoredBytesLabeler ? body : nil)
    }

    /// Finishes the analysis of many photos whose labels are in hand, each for the version its
    /// ``LabeledVersion`` names (``labels(stored:body:)`` after an import's `put`, or the upload
    /// check's labels): the labels of all of them recorded in one call to the table, then the
    /// analysed tag added to each photo still of that version, in one call to the store. The order
    /// is the one-photo order (labels first, the tag only after them), so a crash in between leaves
    /// photos counted but untagged, which a later analysis counts once. A photo overwritten meanwhile
    /// is analysed again from the store, as ``analyze(_:)`` does; when the batch fails, each photo
    /// is finished on its own, so an error is its photo's.
    ///
    /// `checkingFirst`: each photo's ETag is read before anything is recorded, as
    /// ``analyze(_:labeled:)`` does — a photo deleted since is not counted (its result is the
    /// store's `.notFound`), one overwritten since is labelled from the store. Without it (photos
    /// this process has just stored), the check after recording is the only one.
    public func record(
        _ photos: [(ref: ObjectRef, labeled: LabeledVersion)], checkingFirst: Bool = false
    ) async -> [Result<AnalysisOutcome, any Error>] {
        var results = [Result<AnalysisOutcome, any Error>?](repeating: nil, count: photos.count)
        var batch = Array(photos.indices)
        if checkingFirst {
            batch.removeAll()
            for (index, photo) in photos.enumerated() {
                do {
                    if try await store.head(photo.ref).etag == photo.labeled.etag {
                        batch.append(index)
                    } else {
                        results[index] = await Result { try await analyze(photo.ref, labeled: photo.labeled) }
                    }
                } catch let error as PAMError where error.code == .notFound {
                    results[index] = await Result { try await forget(photo.ref, attempts: 1) }
                } catch {
                    results[index] = .failure(error)
                }
            }
        }
        let batched = batch.map { photos[$0] }
        let changes: [LabelChange]
        let tagged: [Bool]
        do {
            changes = try await table.record(batched.map { ($0.ref.key, $0.labeled.labels.map(\.name)) })
            tagged = try await store.addTag(config.analyzedTag, toUnchanged: batched.map { ($0.ref, $0.labeled.etag) })
        } catch {
            for (index, photo) in zip(batch, batched) {
                results[index] = await Result { try await analyze(photo.ref, first: (photo.labeled.etag, nil), labeled: photo.labeled) }
            }
            return results.map { $0! }
        }
        for (position, (index, photo)) in zip(batch, batched).enumerated() {
            if tagged[position] {
                logger.debug("analyzed", metadata: ["key": "\(photo.ref.key)", "labels": "\(photo.labeled.labels.count)"])
                results[index] = .success(.analyzed(labels: photo.labeled.labels, change: changes[position]))
            } else {
                results[index] = await Result { try await analyze(photo.ref, first: nil) }
            }
        }
        return results.map { $0! }
    }

    /// The analysis loop; `first`, when given, is the ETag the first attempt starts from and the
    /// bytes of that version it may label; `labeled`, labels of the version its ETag names. A photo
    /// found gone on the way (deleted while it was analysed) is taken out of the table: the labels
    /// just recorded, if any, are not left counted for a photo that is not there.
    private func analyze(
        _ ref: ObjectRef, first: (etag: String, body: Data?)?, labeled: LabeledVersion? = nil, attempts: Int = 0
    ) async throws -> AnalysisOutcome {
        var first = first
        var attempts = attempts
        while true {
            attempts += 1
            let known = first
            first = nil
            let before: String
            let labels: [DetectedLabel]
            do {
                if let known { before = known.etag } else { before = try await store.head(ref).etag }
                if let labeled, labeled.etag == before {
                    labels = labeled.labels
                } else {
                    labels = try await detectLabels(ref, body: known?.body)
                }
            } catch let error as PAMError where error.code == .notFound {
                // The object's own absence, not a labeler's notFound about a photo still there.
                guard try await isGone(ref) else { throw error }
                return try await forget(ref, attempts: attempts)
            }
            let change = try await table.record(imageKey: ref.key, labels: labels.map(\.name))
            // Tagged only if it is still the version labelled: a version stored meanwhile must not be
            // marked analysed with these labels (a crash before the retry would leave it so for good).
            if try await store.addTag(config.analyzedTag, toUnchanged: [(ref, before)]).first == true {
                logger.debug("analyzed", metadata: ["key": "\(ref.key)", "labels": "\(labels.count)"])
                return .analyzed(labels: labels, change: change)
            }
            if attempts >= Self.maxAttempts {
                // Leave it pending (untagged) rather than tagged with another version's labels, which
                // a store without an atomic conditional tagging (ObjectStore's default) may have done.
                do {
                    var tags = try await store.tags(ref)
                    tags[config.analyzedTag.key] = nil
                    try await store.setTags(ref, tags)
                } catch let error as PAMError where error.code == .notFound {
                    return try await forget(ref, attempts: attempts)
                }
                throw PAMError(.conflict, "the photo kept changing while it was analysed", ref: ref)
            }
        }
    }

    /// Takes a photo that is not stored out of the table (each of its labels' counts down by one),
    /// then checks that it is still not stored: one stored again meanwhile (a PUT racing the
    /// DELETE) is analysed afresh, its tag notwithstanding, since its labels were just taken out.
    private func forget(_ ref: ObjectRef, attempts: Int) async throws -> AnalysisOutcome {
        let change = try await table.record(imageKey: ref.key, labels: [])
        if try await isGone(ref) {
            if !change.isEmpty { logger.debug("removed", metadata: ["key": "\(ref.key)", "labels": "\(change.removed.count)"]) }
            return .removed(change: change)
        }
        guard attempts < Self.maxAttempts else {
            throw PAMError(.conflict, "the photo kept being deleted and stored again while it was analysed", ref: ref)
        }
        return try await analyze(ref, first: nil, attempts: attempts)
    }

    /// Whether the object is not stored (its `head` is `.notFound`).
    private func isGone(_ ref: ObjectRef) async throws -> Bool {
        do {
            _ = try await store.head(ref)
            return false
        } catch let error as PAMError where error.code == .notFound {
            return true
        }
    }

    /// The labels of `ref`, from `body` (its bytes, in hand) when the labeler takes bytes as it takes objects.
    private func detectLabels(_ ref: ObjectRef, body: Data?) async throws -> [DetectedLabel] {
        guard let body, let bytesLabeler = labeler as? any StoredBytesLabeler else {
            return try await labeler.detectLabels(in: ref, query: query)
        }
        do {
            return try await bytesLabeler.detectLabels(inImage: body, query: query)
        } catch var error as PAMError {
            error.ref = ref
            throw error
        }
    }

    /// Analyses of one photo that keeps changing underneath, before giving up (leaving it pending).
    static let maxAttempts = 5

    /// Every photo in the storage bucket that is not tagged as analysed, then every other photo
    /// whose deletion is on record (recovery after a crash: a process killed before a deletion's
    /// turn leaves the photo counted).
    public func pendingPhotos() async throws -> [ObjectRef] {
        var pending: [ObjectRef] = []
        for try await info in store.listAll(bucket: config.storageBucket) where PhotoKey.isJPEG(info.ref.key) {
            let tags = try await store.tags(info.ref)
            if tags[config.analyzedTag.key] != config.analyzedTag.value { pending.append(info.ref) }
        }
        let untagged = Set(pending)
        return pending + (try await deletedPhotos()).filter { !untagged.contains($0) }
    }

    /// The photos whose deletion is on record (``DeletionMark``), each waiting for a turn of ``analyze(_:)``.
    public func deletedPhotos() async throws -> [ObjectRef] {
        try await store.deletionMarks(in: config.storageBucket).map(\.ref)
    }
}
