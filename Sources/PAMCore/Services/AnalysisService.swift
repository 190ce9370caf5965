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

    /// Analyses the photo at `ref` unless it is already tagged as analysed.
    ///
    /// An overwritten object (a new PUT to the key) has lost its tags, so it is analysed again and
    /// the table is set to exactly its new labels. When the object changes while being analysed
    /// (its ETag differs after tagging), the analysis starts over, so the tag never stays on a
    /// version whose labels were not recorded.
    public func analyze(_ ref: ObjectRef) async throws -> AnalysisOutcome {
        guard PhotoKey.isJPEG(ref.key) else { return .notAPhoto }
        var tags = try await store.tags(ref)
        if tags[config.analyzedTag.key] == config.analyzedTag.value { return .alreadyAnalyzed }
        var attempts = 0
        while true {
            attempts += 1
            let before = try await store.head(ref).etag
            let labels = try await labeler.detectLabels(in: ref, query: query)
            let change = try await table.record(imageKey: ref.key, labels: labels.map(\.name))
            tags = try await store.tags(ref)
            tags[config.analyzedTag.key] = config.analyzedTag.value
            try await store.setTags(ref, tags)
            let after = try await store.head(ref).etag
            if after == before {
                logger.debug("analyzed", metadata: ["key": "\(ref.key)", "labels": "\(labels.count)"])
                return .analyzed(labels: labels, change: change)
            }
            if attempts >= Self.maxAttempts {
                // Leave it pending (untagged) rather than tagged with another version's labels.
                tags[config.analyzedTag.key] = nil
                try await store.setTags(ref, tags)
                throw PAMError(.conflict, "the photo kept changing while it was analysed", ref: ref)
            }
        }
    }

    /// Analyses of one photo that keeps changing underneath, before giving up (leaving it pending).
    static let maxAttempts = 5

    /// Every photo in the storage bucket that is not tagged as analysed (recovery after a crash).
    public func pendingPhotos() async throws -> [ObjectRef] {
        var pending: [ObjectRef] = []
        for try await info in store.listAll(bucket: config.storageBucket) where PhotoKey.isJPEG(info.ref.key) {
            let tags = try await store.tags(info.ref)
            if tags[config.analyzedTag.key] != config.analyzedTag.value { pending.append(info.ref) }
        }
        return pending
    }
}
