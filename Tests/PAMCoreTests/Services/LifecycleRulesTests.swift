import Foundation
import PAMCore
import PAMTestSupport
import Testing

@Suite("LifecycleService with given rules")
struct LifecycleRulesTests {
    @Test("rules apply by prefix, disabled rules do nothing, expiration wins over transition, the rules are read at each pass")
    func givenRules() async throws {
        let pipeline = FakePipeline()
        let bucket = pipeline.config.workingBucket
        for key in ["tmp/a", "tmp/b", "photos/c", "keep/d"] {
            try await pipeline.store.put(ObjectRef(bucket: bucket, key: key), body: .data(Self.transitionable), options: PutOptions())
        }
        let rules = RuleBox([
            BucketLifecycle(
                bucket: bucket,
                rules: [
                    LifecycleRule(id: "tmp", prefix: "tmp/", expirationDays: 3),
                    LifecycleRule(id: "tmp-tier", prefix: "tmp/", transitionDays: 1, transitionStorageClass: .intelligentTiering),
                    LifecycleRule(id: "photos", prefix: "photos/", transitionDays: 2, transitionStorageClass: .intelligentTiering),
                    LifecycleRule(id: "off", prefix: "", enabled: false, expirationDays: 1),
                ])
        ])
        let lifecycle = LifecycleService(store: pipeline.store, uploads: nil, clock: pipeline.clock) { rules.value }
        pipeline.clock.advance(by: 2 * 86_400)
        #expect(try await lifecycle.run() == LifecycleReport(expiredBundles: 0, tieredObjects: 3))
        pipeline.clock.advance(by: 86_400)
        #expect(try await lifecycle.run() == LifecycleReport(expiredBundles: 2, tieredObjects: 0))
        let left = try await pipeline.store.list(bucket: bucket, prefix: "", continuationToken: nil, maxKeys: 10).objects
        #expect(left.map(\.ref.key) == ["keep/d", "photos/c"])
        #expect(left.map(\.storageClass) == [.standard, .intelligentTiering])

        rules.value = [BucketLifecycle(bucket: bucket, rules: [LifecycleRule(id: "all", expirationDays: 1)])]
        #expect(try await lifecycle.run() == LifecycleReport(expiredBundles: 2, tieredObjects: 0))
    }

    /// The smallest body a transition moves.
    static let transitionable = Data(count: Int(ObjectInfo.smallestTransitioned))

    @Test(
        "a transition to INTELLIGENT_TIERING moves STANDARD and STANDARD_IA objects of 128 KB or more, as S3 does, and no other class or smaller object"
    )
    func transitionWaterfall() async throws {
        let pipeline = FakePipeline()
        let bucket = pipeline.config.workingBucket
        for storageClass in StorageClass.allCases {
            try await pipeline.store.put(
                ObjectRef(bucket: bucket, key: storageClass.rawValue), body: .data(Self.transitionable),
                options: PutOptions(storageClass: storageClass))
        }
        try await pipeline.store.put(
            ObjectRef(bucket: bucket, key: "small"), body: .data(Self.transitionable.dropLast()), options: PutOptions())
        let rules = [
            BucketLifecycle(
                bucket: bucket, rules: [LifecycleRule(id: "tier", transitionDays: 1, transitionStorageClass: .intelligentTiering)])
        ]
        let lifecycle = LifecycleService(store: pipeline.store, uploads: nil, clock: pipeline.clock) { rules }
        pipeline.clock.advance(by: 86_400)
        #expect(try await lifecycle.run() == LifecycleReport(expiredBundles: 0, tieredObjects: 2))
        let after = try await pipeline.store.list(bucket: bucket, prefix: "", continuationToken: nil, maxKeys: 100).objects
        let classes = Dictionary(uniqueKeysWithValues: after.map { ($0.ref.key, $0.storageClass) })
        #expect(classes["STANDARD"] == .intelligentTiering && classes["STANDARD_IA"] == .intelligentTiering)
        #expect(classes["small"] == .standard)
        for kept in [StorageClass.intelligentTiering, .oneZoneInfrequentAccess, .glacierInstantRetrieval, .reducedRedundancy] {
            #expect(classes[kept.rawValue] == kept)
        }
    }

    @Test("the reference rules in whole days, as pam aws bootstrap puts them on S3")
    func referenceRules() {
        var config = PipelineConfig()
        config.bundleExpiry = 3600
        config.tieringAge = 2.5 * 86_400
        #expect(
            BucketLifecycle.reference(config) == [
                BucketLifecycle(
                    bucket: "pam-storage",
                    rules: [
                        LifecycleRule(
                            id: "pam-intelligent-tiering", transitionDays: 3, transitionStorageClass: .intelligentTiering,
                            abortIncompleteUploadDays: 1)
                    ]),
                BucketLifecycle(
                    bucket: "pam-working", rules: [LifecycleRule(id: "pam-expire-bundles", expirationDays: 1, abortIncompleteUploadDays: 1)]
                ),
            ])
    }

    final class RuleBox: @unchecked Sendable {
        // Unchecked: the test changes it only between passes.
        var value: [BucketLifecycle]
        init(_ value: [BucketLifecycle]) { self.value = value }
    }
}
