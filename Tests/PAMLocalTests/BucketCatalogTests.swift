import Foundation
import PAMCore
import PAMTestSupport
import Testing

@testable import PAMLocal

@Suite("FileSystemObjectStore as a BucketCatalog")
struct BucketCatalogTests {
    @Test("at most maximumBuckets buckets exist (S3's quota of 10,000 by default, the app's included): one more is refused until one goes")
    func bucketQuota() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        var store = try state.store()
        #expect(store.maximumBuckets == 10_000)
        store.maximumBuckets = 4
        try await store.createBucket("one")
        try await store.createBucket("two")
        await expectCode(.limitExceeded) { try await store.createBucket("three") }
        #expect(try await store.bucket(named: "three") == nil)
        try await store.deleteBucket("one")
        try await store.createBucket("three")
    }

    @Test("create, list, delete; existing, invalid, non-empty, missing and the app's own buckets refused")
    func lifecycleOfBuckets() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let store = try state.store()
        #expect(try await store.buckets().map(\.name) == ["pam-storage", "pam-working"])
        #expect(try await store.buckets().allSatisfy(\.pinned))
        let created = try await store.createBucket("mine")
        #expect(created.name == "mine" && created.created == state.clock.now() && !created.pinned)
        #expect(try await store.buckets().map(\.name) == ["mine", "pam-storage", "pam-working"])
        await expectCode(.conflict) { try await store.createBucket("mine") }
        for name in ["UP", "ab", "10.0.0.1", "a_b", "xn--a", "b-s3alias"] {
            await expectCode(.invalidBucket) { try await store.createBucket(name) }
        }
        let ref = ObjectRef(bucket: "mine", key: "a/b")
        try await store.put(ref, body: .data(Data("x".utf8)), options: PutOptions())
        await expectCode(.conflict) { try await store.deleteBucket("mine") }
        try await store.delete(ref)
        try await store.deleteBucket("mine")
        #expect(try await store.bucket(named: "mine") == nil)
        #expect(!FileManager.default.fileExists(atPath: state.state.objects.appendingPathComponent("mine").path))
        await expectCode(.notFound) { try await store.put(ref, body: .data(Data("x".utf8)), options: PutOptions()) }
        await expectCode(.notFound) { try await store.deleteBucket("mine") }
        await expectCode(.conflict) { try await store.deleteBucket("pam-working") }
    }

    @Test("lifecycle and CORS kept across openings; the initial lifecycle only for a bucket never configured")
    func configurations() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let first = try state.store()
        #expect(try await first.lifecycle(of: "pam-working") == nil)
        let reference = BucketLifecycle.reference(state.config)
        let opened = try FileSystemObjectStore(
            state: state.state, buckets: ["pam-storage", "pam-working"], baseURL: TemporaryState.baseURL, lifecycle: reference)
        #expect(try await opened.lifecycle(of: "pam-working") == reference[1].rules)
        try await opened.setLifecycle(nil, of: "pam-working")
        try await opened.createBucket("mine")
        let cors = [CORSRule(allowedMethods: ["GET"], allowedOrigins: ["*"], maxAgeSeconds: 5)]
        try await opened.setCORS(cors, of: "mine")
        try await opened.setLifecycle([LifecycleRule(id: "r", prefix: "p/", expirationDays: 2)], of: "mine")

        let again = try FileSystemObjectStore(
            state: state.state, buckets: ["pam-storage", "pam-working"], baseURL: TemporaryState.baseURL, lifecycle: reference)
        #expect(try await again.lifecycle(of: "pam-working") == nil, "deleted by a client: not given back")
        #expect(try await again.lifecycle(of: "pam-storage") == reference[0].rules)
        #expect(try await again.cors(of: "mine") == cors)
        #expect(try await again.lifecycles().map(\.bucket) == ["mine", "pam-storage"])
        await expectCode(.notFound) { _ = try await again.cors(of: "nothing") }
        await expectCode(.notFound) { try await again.setLifecycle([], of: "nothing") }
    }
}
