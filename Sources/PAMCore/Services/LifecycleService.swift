import Foundation
import Logging

/// What one lifecycle pass changed.
public struct LifecycleReport: Sendable, Hashable {
    /// Objects deleted by an expiration rule (zip bundles, with the reference rules).
    public var expiredBundles: Int
    /// Objects moved to another storage class by a transition rule.
    public var tieredObjects: Int

    public init(expiredBundles: Int, tieredObjects: Int) {
        self.expiredBundles = expiredBundles
        self.tieredObjects = tieredObjects
    }
}

/// Step 5 of the pipeline: the buckets' lifecycle rules, applied as of the clock's now. The rules
/// are read afresh on every pass: the reference ones from the configuration (working-bucket objects
/// expire after a day, storage objects move to INTELLIGENT_TIERING after a day), or, with local
/// buckets, each bucket's lifecycle configuration (`BucketCatalog`), which S3 clients can change.
public struct LifecycleService: Sendable {
    let store: any ObjectStore
    let rules: @Sendable () async throws -> [BucketLifecycle]
    let clock: any WallClock
    let logger: Logger

    /// The reference rules of `config`.
    public init(store: any ObjectStore, config: PipelineConfig, clock: any WallClock, logger: Logger = Logger(label: "pam.lifecycle")) {
        self.init(store: store, clock: clock, logger: logger) { BucketLifecycle.reference(config) }
    }

    /// The rules `rules` gives at each pass.
    public init(
        store: any ObjectStore, clock: any WallClock, logger: Logger = Logger(label: "pam.lifecycle"),
        rules: @escaping @Sendable () async throws -> [BucketLifecycle]
    ) {
        self.store = store
        self.rules = rules
        self.clock = clock
        self.logger = logger
    }

    /// Applies every enabled rule: an object that one rule expires is deleted (expiration wins
    /// over transition, as on S3); otherwise a STANDARD object that a transition rule has reached
    /// moves to that rule's storage class.
    public func run() async throws -> LifecycleReport {
        let now = clock.now()
        var expired = 0
        var tiered = 0
        for lifecycle in try await rules() {
            let rules = lifecycle.rules.filter(\.enabled)
            guard !rules.isEmpty else { continue }
            do {
                // One walk of the bucket under the rules' longest common prefix.
                for try await info in store.listAll(bucket: lifecycle.bucket, prefix: Self.commonPrefix(rules.map(\.prefix))) {
                    let matching = rules.filter { info.ref.key.hasPrefix($0.prefix) }
                    if matching.contains(where: { LifecycleRule.reached($0.expirationDays, created: info.created, now: now) }) {
                        try await store.delete(info.ref)
                        expired += 1
                    } else if info.storageClass == .standard,
                        let storageClass = matching.first(where: {
                            $0.transitionStorageClass != nil && LifecycleRule.reached($0.transitionDays, created: info.created, now: now)
                        })?.transitionStorageClass
                    {
                        try await store.setStorageClass(info.ref, storageClass)
                        tiered += 1
                    }
                }
            } catch let error as PAMError where error.code == .notFound && error.ref == nil {
                continue // the bucket was deleted since the rules were read
            }
        }
        if expired + tiered > 0 {
            logger.info("lifecycle applied", metadata: ["expired": "\(expired)", "tiered": "\(tiered)"])
        }
        return LifecycleReport(expiredBundles: expired, tieredObjects: tiered)
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
