import Crypto
import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

@Suite("LocalMultipartUploads")
struct LocalMultipartUploadsTests {
    static let mebibyte = 1 << 20

    static func bytes(_ count: Int, seed: UInt8) -> Data { Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }) }

    static func md5(_ data: Data) -> Data { Data(Insecure.MD5.hash(data: data)) }

    @Test("a completed upload is an object like a put: body, size, CRC-32, options, S3's -N ETag; its files are gone")
    func completes() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let uploads = try LocalMultipartUploads(store: store)
            let ref = ObjectRef(bucket: state.config.workingBucket, key: "big/parts.bin")
            let metadata = ObjectMetadata(user: ["origin": "test"], cacheControl: "no-cache")
            let options = PutOptions(
                contentType: "application/x-parts", storageClass: .intelligentTiering, tags: ["t": "1"], metadata: metadata)
            let upload = try await uploads.create(ref, options: options)
            let first = Self.bytes(5 * Self.mebibyte, seed: 1)
            let second = Self.bytes(1000, seed: 2)
            // Part 2 first, then part 1 twice: the last upload of a number wins.
            let two = try await uploads.putPart(2, upload: upload.id, of: ref, body: .data(second))
            _ = try await uploads.putPart(1, upload: upload.id, of: ref, body: .data(Self.bytes(5 * Self.mebibyte, seed: 9)))
            let one = try await uploads.putPart(1, upload: upload.id, of: ref, body: .data(first))
            #expect(one.etag == Self.md5(first).hexString && one.size == Int64(first.count))
            #expect(try await uploads.parts(upload: upload.id, of: ref, after: 0, limit: 10).map(\.number) == [1, 2])
            await #expect(throws: PAMError.self) { _ = try await store.head(ref) }

            let info = try await uploads.complete(upload.id, of: ref, parts: [(1, "\"\(one.etag)\""), (2, two.etag)])
            let body = first + second
            #expect(info.etag == Self.md5(Self.md5(first) + Self.md5(second)).hexString + "-2")
            let head = try await store.head(ref)
            #expect(head == info)
            #expect(head.size == Int64(body.count) && head.crc32 == CRC32.checksum(body))
            #expect(head.contentType == "application/x-parts" && head.storageClass == .intelligentTiering && head.metadata == metadata)
            #expect(try await store.tags(ref) == ["t": "1"])
            #expect(try await store.get(ref).collect() == body)
            #expect(!state.files().contains { $0.contains("multipart/") || $0.hasPrefix("tmp/") }, "\(state.files())")
            await expectUpload(.noSuchUpload) { _ = try await uploads.complete(upload.id, of: ref, parts: [(1, one.etag)]) }
        }
    }

    @Test("deleting a bucket forgets its uploads in progress: recreated, it lists none, and their parts are gone")
    func deletedBucket() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let uploads = try LocalMultipartUploads(store: store)
            _ = try await store.createBucket("scratch-bucket")
            let ref = ObjectRef(bucket: "scratch-bucket", key: "left/behind.bin")
            let upload = try await uploads.create(ref, options: PutOptions())
            let part = try await uploads.putPart(1, upload: upload.id, of: ref, body: .data(Self.bytes(1000, seed: 3)))
            try await store.deleteBucket("scratch-bucket")
            #expect(!state.files().contains { $0.contains("multipart/") }, "\(state.files())")
            _ = try await store.createBucket("scratch-bucket")
            #expect(try await uploads.uploads(bucket: "scratch-bucket", prefix: "", keyMarker: nil, idMarker: nil, limit: 10).isEmpty)
            await expectUpload(.noSuchUpload) { _ = try await uploads.complete(upload.id, of: ref, parts: [(1, part.etag)]) }
            await #expect(throws: PAMError.self) { _ = try await store.head(ref) }
        }
    }

    @Test("an AbortIncompleteMultipartUpload rule aborts the uploads under its prefix that reached its age, and only those")
    func lifecycleAbortsStaleUploads() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await withTemporaryState(clock: clock) { state in
            let store = try state.store()
            let uploads = try LocalMultipartUploads(store: store)
            let bucket = state.config.workingBucket
            let rules = [
                BucketLifecycle(bucket: bucket, rules: [LifecycleRule(id: "stale", prefix: "tmp/", abortIncompleteUploadDays: 2)])
            ]
            let lifecycle = LifecycleService(store: store, uploads: uploads, clock: clock) { rules }
            let old = try await uploads.create(ObjectRef(bucket: bucket, key: "tmp/old.bin"), options: PutOptions())
            _ = try await uploads.putPart(1, upload: old.id, of: old.ref, body: .data(Self.bytes(1000, seed: 4)))
            let elsewhere = try await uploads.create(ObjectRef(bucket: bucket, key: "keep/old.bin"), options: PutOptions())
            clock.advance(by: 86_400)
            let young = try await uploads.create(ObjectRef(bucket: bucket, key: "tmp/young.bin"), options: PutOptions())
            #expect(try await lifecycle.run().abortedUploads == 0, "a day old: below the rule's two days")
            clock.advance(by: 86_400)
            #expect(try await lifecycle.run() == LifecycleReport(expiredBundles: 0, tieredObjects: 0, abortedUploads: 1))
            let left = try await uploads.uploads(bucket: bucket, prefix: "", keyMarker: nil, idMarker: nil, limit: 10)
            #expect(Set(left.map(\.id)) == [elsewhere.id, young.id])
            await expectUpload(.noSuchUpload) { _ = try await uploads.parts(upload: old.id, of: old.ref, after: 0, limit: 10) }
            #expect(!state.files().contains { $0.contains(old.id) }, "\(state.files())")
        }
    }

    @Test("completion refuses S3's way: part order, unknown part or ETag, small parts; nothing is stored")
    func refusals() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let uploads = try LocalMultipartUploads(store: store)
            let ref = ObjectRef(bucket: state.config.workingBucket, key: "refused.bin")
            let upload = try await uploads.create(ref, options: PutOptions())
            let one = try await uploads.putPart(1, upload: upload.id, of: ref, body: .data(Self.bytes(1000, seed: 1)))
            let two = try await uploads.putPart(2, upload: upload.id, of: ref, body: .data(Self.bytes(1000, seed: 2)))
            await expectUpload(.invalidPartOrder) {
                _ = try await uploads.complete(upload.id, of: ref, parts: [(2, two.etag), (1, one.etag)])
            }
            await expectUpload(.invalidPart) { _ = try await uploads.complete(upload.id, of: ref, parts: [(1, two.etag)]) }
            await expectUpload(.invalidPart) { _ = try await uploads.complete(upload.id, of: ref, parts: [(3, two.etag)]) }
            await expectUpload(.entityTooSmall) {
                _ = try await uploads.complete(upload.id, of: ref, parts: [(1, one.etag), (2, two.etag)])
            }
            await expectUpload(.noSuchUpload) { _ = try await uploads.complete("nope", of: ref, parts: [(1, one.etag)]) }
            await expectUpload(.invalidPart) { _ = try await uploads.complete(upload.id, of: ref, parts: []) }
            // Another key with the right id is not the upload.
            await expectUpload(.noSuchUpload) {
                _ = try await uploads.parts(upload: upload.id, of: ObjectRef(bucket: ref.bucket, key: "other.bin"), after: 0, limit: 10)
            }
            await #expect(throws: PAMError.self) { _ = try await store.head(ref) }
            // A single small part is a whole upload.
            let info = try await uploads.complete(upload.id, of: ref, parts: [(2, two.etag)])
            #expect(info.etag.hasSuffix("-1") && info.size == 1000)
        }
    }

    @Test("uploads and parts outlive the process; abort forgets them and removes their files; listing pages by key and id")
    func durableAndListed() async throws {
        try await withTemporaryState { state in
            let ref = ObjectRef(bucket: state.config.workingBucket, key: "kept.bin")
            let first = try LocalMultipartUploads(store: try state.store())
            let upload = try await first.create(ref, options: PutOptions(contentType: "text/plain"))
            let part = try await first.putPart(1, upload: upload.id, of: ref, body: .data(Data("part".utf8)))
            var others: [MultipartUpload] = []
            for key in ["a/1", "a/2", "b/1", "a/1"] {
                others.append(try await first.create(ObjectRef(bucket: ref.bucket, key: key), options: PutOptions()))
            }

            // A new store and port on the same state folder, as after a restart.
            let second = try LocalMultipartUploads(store: try state.store())
            #expect(try await second.upload(upload.id, of: ref).options.contentType == "text/plain")
            #expect(try await second.parts(upload: upload.id, of: ref, after: 0, limit: 10) == [part])
            let all = try await second.uploads(bucket: ref.bucket, prefix: "", keyMarker: nil, idMarker: nil, limit: 10)
            #expect(all.map(\.ref.key) == ["a/1", "a/1", "a/2", "b/1", "kept.bin"])
            let underA = try await second.uploads(bucket: ref.bucket, prefix: "a/", keyMarker: nil, idMarker: nil, limit: 2)
            #expect(underA.map(\.ref.key) == ["a/1", "a/1"])
            let next = try await second.uploads(
                bucket: ref.bucket, prefix: "a/", keyMarker: underA[0].ref.key, idMarker: underA[0].id, limit: 2)
            #expect(next.map(\.id) == [underA[1].id, others[1].id])
            #expect(try await second.uploads(bucket: ref.bucket, prefix: "", keyMarker: "a/2", idMarker: nil, limit: 10).count == 2)

            try await second.abort(upload.id, of: ref)
            await expectUpload(.noSuchUpload) { try await second.abort(upload.id, of: ref) }
            await expectUpload(.noSuchUpload) {
                _ = try await second.putPart(2, upload: upload.id, of: ref, body: .data(Data("late".utf8)))
            }
            #expect(!state.files().contains { $0.contains(upload.id) || $0.hasPrefix("tmp/") }, "\(state.files())")
            await #expect(throws: PAMError.self) { _ = try await state.store().head(ref) }
        }
    }

    @Test("a part whose body fails is not stored, and leaves no file")
    func failedPart() async throws {
        try await withTemporaryState { state in
            let uploads = try LocalMultipartUploads(store: try state.store())
            let ref = ObjectRef(bucket: state.config.workingBucket, key: "failing.bin")
            let upload = try await uploads.create(ref, options: PutOptions())
            let counter = Counter()
            let failing = ByteStream(count: 3000) {
                guard counter.next() == 0 else { throw PAMError(.invalidArgument, "the client went away") }
                return Data(count: 1000)
            }
            await #expect(throws: PAMError.self) { _ = try await uploads.putPart(1, upload: upload.id, of: ref, body: failing) }
            #expect(try await uploads.parts(upload: upload.id, of: ref, after: 0, limit: 10).isEmpty)
            #expect(!state.files().contains { $0.contains(upload.id) || $0.hasPrefix("tmp/") }, "\(state.files())")
        }
    }
}

/// Expects `body` to throw a `MultipartUploadError` with `code`.
func expectUpload(
    _ code: MultipartUploadError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code.rawValue), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as MultipartUploadError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
    }
}
