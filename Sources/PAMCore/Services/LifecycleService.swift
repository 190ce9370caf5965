import Foundation
import Logging

/// What one lifecycle pass changed.
public struct LifecycleReport: Sendable, Hashable {
    /// Zip bundles deleted from the working bucket.
    public var expiredBundles: Int
    /// Storage objects moved to INTELLIGENT_TIERING.
    public var tieredObjects: Int

    public init(expiredBundles: Int, tieredObjects: Int) {
        self.expiredBundles = expiredBundles
        self.tieredObjects = tieredObjects
    }
}

/// Step 5 of the pipeline, the reference buckets' lifecycle rules: working-bucket objects expire
/// after a day; storage objects move to INTELLIGENT_TIERING after a day.
public struct LifecycleService: Sendable {
    let store: any ObjectStore
    let config: PipelineConfig
    let clock: any WallClock
    let logger: Logger

    public init(store: any ObjectStore, config: PipelineConfig, clock: any WallClock, logger: Logger = Logger(label: "pam.lifecycle")) {
        self.store = store
        self.config = config
        self.clock = clock
        self.logger = logger
    }

    /// Applies both rules as of the clock's now.
    public func run() async throws -> LifecycleReport {
        let now = clock.now()
        var expired = 0
        for try await info in store.listAll(bucket: config.workingBucket)
        where now.timeIntervalSince(info.created) >= config.bundleExpiry {
            try await store.delete(info.ref)
            expired += 1
        }
        var tiered = 0
        for try await info in store.listAll(bucket: config.storageBucket)
        where info.storageClass == .standard && now.timeIntervalSince(info.created) >= config.tieringAge {
            try await store.setStorageClass(info.ref, .intelligentTiering)
            tiered += 1
        }
        if expired + tiered > 0 {
            logger.info("lifecycle applied", metadata: ["expired": "\(expired)", "tiered": "\(tiered)"])
        }
        return LifecycleReport(expiredBundles: expired, tieredObjects: tiered)
    }
}
