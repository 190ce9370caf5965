import Foundation
import Logging

/// What one lifecycle pass changed.
public struct LifecycleReport: Sendable, Hashable {
    /// Objects deleted by an expiration rule (zip bundles, with the reference rules).
    public var expiredBundles: Int
    /// Objects moved to another storage class by a transition rule.
    public var tieredObjects: Int
    /// Multipart uploads aborted by an AbortIncompleteMultipartUpload rule.
    public var abortedUploads: Int

    public init(expiredBundles: Int, tieredObjects: Int, abortedUploads: Int = 0) {
        self.expiredBundles = expiredBundles
        self.tieredObjects = tieredObjects
        self.abortedUploads = abortedUploads
    }
}

/// Step 5 of the pipeline: the buckets' lifecycle rules, applied as of the clock's now. The rules
/// are read afresh on every pass: the reference ones from the configuration (working-bucket objects
/// expire after a day, storage objects move to INTELLIGENT_TIERING after a day), or, with local
/// buckets, each bucket's lifecycle configuration (`BucketCatalog`), which S3 clients can change.
public struct LifecycleService: Sendable {
    let store: any ObjectStore
    let rules: @Sendable () async throws -> [BucketLifecycle]
    /// The uploads incomplete-upload rules abort; nil: those rules do nothing (S3's buckets do it themselves).
    let uploads: (any MultipartUploads)?
    let clock: any WallClock
    let logger: Logger

    /// The reference rules of `config`.
    public init(store: any ObjectStore, config: PipelineConfig, clock: any WallClock, logger: Logger = Logger(label: "pam.lifecycle")) {
        self.init(store: store, uploads: nil, clock: clock, logger: logger) { BucketLifecycle.reference(config) }
    }

    /// The rules `rules` gives at each pass; incomplete uploads are those of `uploads`.
    public init(
        store: any ObjectStore, uploads: (any MultipartUploads)?, clock: any WallClock, logger: Logger = Logger(label: "pam.lifecycle"),
        rules: @escaping @Sendable () async throws -> [BucketLifecycle]
    ) {
        self.store = store
        self.uploads = uploads
        self.rules = rules
        self.clock = clock
        self.logger = logger
    }

    /// Applies every enabled rule: an object that one rule expires is deleted (expiration wins
    /// over transition, as on S3); otherwise an object that a transition rule has reached moves to
    /// that rule's storage class when S3 would move it (``ObjectInfo/transitions(to:)``: from
    /// STANDARD or STANDARD_IA, and 128 KB or more). Then uploads a rule's `abortIncompleteUploadDays` has
    /// reached (from their initiation) are aborted. `expired` gets each object deleted, right after
    /// its deletion (photos among them leave the label table, as after any deletion), so a pass
    /// that fails later has still reported what it deleted. An object deleted by someone else since
    /// it was listed is passed over.
    public func run(expired: (ObjectRef) async -> Void = { _ in }) async throws -> LifecycleReport {
        let now = clock.now()
        var expiredCount = 0
        var tiered = 0
        var aborted = 0
        for lifecycle in try await rules() {
            let rules = lifecycle.rules.filter(\.enabled)
            guard !rules.isEmpty else { continue }
            do {
                aborted += try await abortIncompleteUploads(bucket: lifecycle.bucket, rules: rules, now: now)
                // One walk of the bucket under the rules' longest common prefix.
                for try await info in store.listAll(bucket: lifecycle.bucket, prefix: Self.commonPrefix(rules.map(\.prefix))) {
                    let matching = rules.filter { info.ref.key.hasPrefix($0.prefix) }
                    if matching.contains(where: { LifecycleRule.reached($0.expirationDays, created: info.created, now: now) }) {
                        try await store.delete(info.ref)
                        expiredCount += 1
                        await expired(info.ref)
                    } else if let storageClass = matching.first(where: {
                        $0.transitionStorageClass.map(info.transitions) == true
                            && LifecycleRule.reached($0.transitionDays, created: info.created, now: now)
                    })?.transitionStorageClass {
                        do {
                            try await store.setStorageClass(info.ref, storageClass)
                            tiered += 1
                        } catch let error as PAMError where error.code == .notFound && error.ref != nil {
                            continue // deleted since it was listed
                        }
                    }
                }
            } catch let error as PAMError where error.code == .notFound && error.ref == nil {
                continue // the bucket was deleted since the rules were read
            }
        }
        if expiredCount + tiered + aborted > 0 {
            logger.info("lifecycle applied", metadata: ["expired": "\(expiredCount)", "tiered": "\(tiered)", "aborted": "\(aborted)"])
        }
        return LifecycleReport(expiredBundles: expiredCount, tieredObjects: tiered, abortedUploads: aborted)
    }

    /// Aborts the uploads of `bucket` that a rule with `abortIncompleteUploadDays` has reached; how many.
    private func abortIncompleteUploads(bucket: String, rules: [LifecycleRule], now: Date) async throws -> Int {
        let rules = rules.filter { $0.abortIncompleteUploadDays != nil }
        guard let uploads, !rules.isEmpty else { return 0 }
        let prefix = Self.commonPrefix(rules.map(\.prefix))
        var stale: [MultipartUpload] = []
        var marker: (key: String, id: String)?
        while true {
            let page = try await uploads.uploads(bucket: bucket, prefix: prefix, keyMarker: marker?.key, idMarker: marker?.id, limit: 1000)
            stale += page.filter { upload in
                rules.contains {
                    upload.ref.key.hasPrefix($0.prefix)
                        && LifecycleRule.reached($0.abortIncompleteUploadDays, created: upload.initiated, now: now)
                }
            }
            guard page.count == 1000, let last = page.last else { break }
            marker = (last.ref.key, last.id)
        }
        var aborted = 0
        for upload in stale {
            do {
                try await uploads.abort(upload.id, of: upload.ref)
                aborted += 1
            } catch let error as MultipartUploadError where error.code == .noSuchUpload {
                continue // completed or aborted since it was listed
            }
        }
        return aborted
    }

    private static func commonPrefix(_ prefixes: [String]) -> String {
        guard var common = prefixes.first.map({ Array($0.utf8) }) else { return "" }
        for prefix in prefixes.dropFirst() {
            common = Array(zip(common, prefix.utf8).prefix { $0 == $1 }.map(\.0))
        }
        // Cut back to a whole character, so the prefix is valid UTF-8.
        while !common.isEmpty, String(validating: common, as: UTF8.self) == nil { common.removeLast() }
        return String(decoding: common, as: UTF8.self)
    }
}
