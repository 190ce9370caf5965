import Foundation
import PAMCore
import Testing

/// What every `ObjectStore` must do, whatever its backend. Each check takes a store whose
/// `bucket` exists and is empty.
public enum ObjectStoreConformance {
    /// How a test reaches the store's presigned URLs: `fetch` makes a GET with the URL and answers
    /// its status and body, as the store's HTTP front would; `elapse` lets time pass for the store
    /// (a manual clock), or is nil when the backend does not enforce expiry (moto does not), and
    /// then expiry is not checked.
    public struct PresignedProbe: Sendable {
        public var fetch: @Sendable (URL) async throws -> (status: Int, body: Data)
        public var elapse: (@Sendable (TimeInterval) async throws -> Void)?

        public init(
            fetch: @escaping @Sendable (URL) async throws -> (status: Int, body: Data),
            elapse: (@Sendable (TimeInterval) async throws -> Void)?
        ) {
            self.fetch = fetch
            self.elapse = elapse
        }
    }

    /// What a check runs on: a store whose `bucket` exists and is empty, and the way to its
    /// presigned URLs.
    public struct Subject: Sendable {
        public var store: any ObjectStore
        public var bucket: String
        public var presigned: PresignedProbe

        public init(store: any ObjectStore, bucket: String, presigned: PresignedProbe) {
            self.store = store
            self.bucket = bucket
            self.presigned = presigned
        }
    }

    public typealias Check = ConformanceCheck<Subject>

    /// Every check, each on its own key range, for one parameterized test per adapter.
    public static let checks: [Check] = [
        Check("put, get and head agree on the body and its metadata") { try await putGetHead($0.store, bucket: $0.bucket) },
        Check("a put replaces the object") { try await overwriteReplaces($0.store, bucket: $0.bucket) },
        Check("a missing object is .notFound") { try await missingObjectsAreNotFound($0.store, bucket: $0.bucket) },
        Check("a body of many chunks goes in and out byte for byte") { try await streamingBodies($0.store, bucket: $0.bucket) },
        Check("a checked file put: the check sees the file's bytes; its refusal stores nothing and passes on unchanged") {
            try await checkedFilePuts($0.store, bucket: $0.bucket)
        },
        Check("etag(of:) is the ETag put records, in one piece and above the multipart threshold") {
            try await etagIsPredicted($0.store, bucket: $0.bucket)
        },
        Check("putEach stores each body as put does; a refused object fails alone") {
            try await putEachStoresEach($0.store, bucket: $0.bucket)
        },
        Check("list pages through the keys in S3's byte order") { try await listIsPaginatedInS3Order($0.store, bucket: $0.bucket) },
        Check("delete is idempotent") { try await deleteIsIdempotent($0.store, bucket: $0.bucket) },
        Check("tags round-trip, at most 10") { try await tagsRoundTrip($0.store, bucket: $0.bucket) },
        Check("the storage class changes, keeping body and tags") { try await storageClassChanges($0.store, bucket: $0.bucket) },
        Check("a put replaces the tags too") { try await overwriteClearsTags($0.store, bucket: $0.bucket) },
        Check("user metadata and content headers round-trip, and a put replaces them") {
            try await metadataRoundTrips($0.store, bucket: $0.bucket)
        },
        Check("presigned URLs name the object, serve it, and expire") {
            try await presignedURLsNameTheObjectAndExpire($0.store, bucket: $0.bucket, probe: $0.presigned)
        },
    ]

    public static func putGetHead(_ store: any ObjectStore, bucket: String) async throws {
        let ref = ObjectRef(bucket: bucket, key: "conformance/put-get.jpg")
        let body = Data((0..<10_000).map { UInt8($0 % 251) })
        let info = try await store.put(ref, body: .data(body), options: PutOptions(contentType: "image/jpeg"))
        #expect(info.size == Int64(body.count))
        #expect(info.etag == store.etag(of: body))
        let head = try await store.head(ref)
        #expect(head.size == Int64(body.count))
        #expect(head.etag == info.etag)
        #expect(head.contentType == "image/jpeg")
        #expect(head.storageClass == .standard)
        #expect(head.crc32 == CRC32.checksum(body))
        #expect(try await store.get(ref).collect() == body)
    }

    /// `put(_:file:options:checking:)` with a file outside any store's own folders.
    public static func checkedFilePuts(_ store: any ObjectStore, bucket: String) async throws {
        struct Refused: Error {}
        let ref = ObjectRef(bucket: bucket, key: "conformance/checked.jpg")
        let first = Data("the version before".utf8)
        try await store.put(ref, body: .data(first), options: PutOptions(contentType: "image/jpeg"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pam-checked-\(UUID().uuidString).jpg")
        defer { try? FileManager.default.removeItem(at: file) }
        let body = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) })
        try body.write(to: file)

        do {
            _ = try await store.put(ref, file: file, options: PutOptions(contentType: "image/jpeg")) { seen -> Int in
                #expect(seen == body)
                throw Refused()
            }
            Issue.record("a refused check stored the file")
        } catch is Refused {
            // The check's own error, unchanged.
        }
        #expect(try await store.get(ref).collect() == first, "a refusal keeps the version before")

        let (info, checked) = try await store.put(ref, file: file, options: PutOptions(contentType: "image/jpeg")) { seen in
            seen.count
        }
        #expect(checked == body.count)
        #expect(info.size == Int64(body.count) && info.etag == store.etag(of: body))
        #expect(try await store.head(ref).etag == info.etag)
        #expect(try await store.get(ref).collect() == body)
    }

    public static func overwriteReplaces(_ store: any ObjectStore, bucket: String) async throws {
        let ref = ObjectRef(bucket: bucket, key: "conformance/overwrite.txt")
        try await store.put(ref, body: .data(Data("first version".utf8)), options: PutOptions(contentType: "text/plain"))
        try await store.put(ref, body: .data(Data("second".utf8)), options: PutOptions(contentType: "text/plain"))
        #expect(try await store.get(ref).collect() == Data("second".utf8))
        #expect(try await store.head(ref).size == 6)
    }

    public static func missingObjectsAreNotFound(_ store: any ObjectStore, bucket: String) async throws {
        let ref = ObjectRef(bucket: bucket, key: "conformance/absent.jpg")
        await expectCode(.notFound) { _ = try await store.head(ref) }
        await expectCode(.notFound) { _ = try await store.get(ref) }
        await expectCode(.notFound) { _ = try await store.tags(ref) }
        await expectCode(.notFound) { try await store.setTags(ref, ["a": "b"]) }
    }

    /// A multi-chunk body goes in and comes out byte for byte.
    public static func streamingBodies(_ store: any ObjectStore, bucket: String) async throws {
        let ref = ObjectRef(bucket: bucket, key: "conformance/stream.bin")
        let chunk = 64 * 1024
        let chunks = 48
        let counter = Counter()
        let body = ByteStream(count: Int64(chunk * chunks)) {
            let index = counter.next()
            guard index < chunks else { return nil }
            return Data(repeating: UInt8(index), count: chunk)
        }
        let info = try await store.put(ref, body: body, options: PutOptions())
        #expect(info.size == Int64(chunk * chunks))
        var received = 0
        var ok = true
        for try await piece in try await store.get(ref) {
            for (offset, byte) in piece.enumerated() where byte != UInt8((received + offset) / chunk) { ok = false }
            received += piece.count
        }
        #expect(received == chunk * chunks)
        #expect(ok)
    }

    /// Sizes around the multipart threshold that S3 uploads (and the AWS CLI) use, 8 MiB: nothing,
    /// a photo, exactly one part (still one piece), and more than one part.
    public static let etagSizes = [0, 10_000, 8 << 20, (9 << 20) + 7]

    /// `etag(of:)` names the ETag `put` records and `head` reports, for every size in `etagSizes`,
    /// the body streamed in chunks that straddle the parts; one byte more or changed is another ETag.
    public static func etagIsPredicted(_ store: any ObjectStore, bucket: String) async throws {
        let largest = pattern((etagSizes.max() ?? 0) + 1)
        for size in etagSizes {
            let body = largest.prefix(size)
            let ref = ObjectRef(bucket: bucket, key: "conformance/etag-\(size).bin")
            let chunk = 1_000_003
            let counter = Counter()
            let stream = ByteStream(count: Int64(size)) {
                let start = counter.next() * chunk
                return start < size ? body[start..<min(start + chunk, size)] : nil
            }
            let predicted = store.etag(of: body)
            #expect(
                store.etags(of: [largest.prefix(1), body, Data()]) == [
                    store.etag(of: largest.prefix(1)), predicted, store.etag(of: Data()),
                ])
            let info = try await store.put(ref, body: stream, options: PutOptions(computeCRC32: false))
            #expect(info.etag == predicted, "\(size) bytes")
            #expect(try await store.head(ref).etag == predicted, "\(size) bytes")
            #expect(store.etag(of: largest.prefix(size + 1)) != predicted, "\(size) bytes")
            if size > 0 {
                var changed = Data(body)
                changed[changed.count / 2] ^= 0x01
                #expect(store.etag(of: changed) != predicted, "\(size) bytes")
            }
        }
    }

    /// Bodies of lengths around MD5's block and padding edges, one over the multipart threshold,
    /// and an object for a bucket that does not exist among them: each answered in order, the refused one alone.
    public static func putEachStoresEach(_ store: any ObjectStore, bucket: String) async throws {
        let source = pattern((8 << 20) + 1)
        let sizes = [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 150_001, 256 << 10, (8 << 20) + 1]
        var objects: [(ref: ObjectRef, body: Data)] = sizes.map {
            (ObjectRef(bucket: bucket, key: "conformance/each-\($0).jpg"), Data(source.prefix($0)))
        }
        let refused = ObjectRef(bucket: "pam-conformance-no-such-bucket", key: "each.jpg")
        objects.insert((refused, Data("refused".utf8)), at: 3)
        let options = PutOptions(contentType: "image/jpeg")
        let outcomes = await store.putEach(objects, options: options)
        #expect(outcomes.count == objects.count)
        #expect(throws: (any Error).self) { try outcomes[3].get() }
        for (object, outcome) in zip(objects, outcomes) where object.ref != refused {
            let info = try outcome.get()
            #expect(info.ref == object.ref)
            #expect(info.etag == store.etag(of: object.body), "\(object.body.count) bytes")
            #expect(info.size == Int64(object.body.count))
            #expect(info.crc32 == CRC32.checksum(object.body))
            let head = try await store.head(object.ref)
            #expect(head.etag == info.etag)
            #expect(head.contentType == "image/jpeg")
            #expect(try await store.get(object.ref).collect() == object.body)
        }
    }

    /// `count` bytes that do not repeat at any power-of-two period, so each part of a multipart
    /// body differs from the others.
    public static func pattern(_ count: Int) -> Data {
        let block = Data((0..<65_521).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })
        var data = Data(capacity: count + block.count)
        var round: UInt8 = 0
        while data.count < count {
            data.append(contentsOf: block.map { $0 &+ round })
            round &+= 1
        }
        return data.prefix(count)
    }

    public static func listIsPaginatedInS3Order(_ store: any ObjectStore, bucket: String) async throws {
        // S3 lists in UTF-8 byte order: upper case before lower case, '/' (0x2F) before digits.
        let keys = ["list/b.jpg", "list/B.jpg", "list/a/z.jpg", "list/a.jpg", "list/é.jpg", "list/0.jpg", "list/a-1.jpg"]
        for key in keys { try await store.put(ObjectRef(bucket: bucket, key: key), body: .data(Data(key.utf8)), options: PutOptions()) }
        try await store.put(ObjectRef(bucket: bucket, key: "listing-outside.jpg"), body: .data(Data()), options: PutOptions())
        var listed: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await store.list(bucket: bucket, prefix: "list/", continuationToken: token, maxKeys: 2)
            #expect(page.objects.count <= 2)
            listed += page.objects.map(\.ref.key)
            token = page.continuationToken
            pages += 1
        } while token != nil && pages < 20
        let expected = keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(listed == expected)
        #expect(pages == 4)
        var all: [String] = []
        for try await info in store.listAll(bucket: bucket, prefix: "list/", pageSize: 3) { all.append(info.ref.key) }
        #expect(all == expected)
    }

    public static func deleteIsIdempotent(_ store: any ObjectStore, bucket: String) async throws {
        let ref = ObjectRef(bucket: bucket, key: "conformance/delete/me.jpg")
        try await store.put(ref, body: .data(Data([1, 2, 3])), options: PutOptions())
        try await store.delete(ref)
        await expectCode(.notFound) { _ = try await store.head(ref) }
        try await store.delete(ref)
    }

    public static func tagsRoundTrip(_ store: any ObjectStore, bucket: String) async throws {
        let ref = ObjectRef(bucket: bucket, key: "conformance/tags.jpg")
        try await store.put(ref, body: .data(Data([1])), options: PutOptions(tags: ["origin": "test"]))
        #expect(try await store.tags(ref) == ["origin": "test"])
        try await store.setTags(ref, ["rekognition": "complete", "origin": "test"])
        #expect(try await store.tags(ref) == ["rekognition": "complete", "origin": "test"])
        let tooMany = Dictionary(uniqueKeysWithValues: (0..<11).map { ("k\($0)", "v") })
        await expectCode(.invalidArgument) { try await store.setTags(ref, tooMany) }
        #expect(try await store.tags(ref).count == 2)
    }

    public static func storageClassChanges(_ store: any ObjectStore, bucket: String) async throws {
        let ref = ObjectRef(bucket: bucket, key: "conformance/tiering.jpg")
        let body = Data("keep me".utf8)
        try await store.put(ref, body: .data(body), options: PutOptions(tags: ["keep": "yes"]))
        try await store.setStorageClass(ref, .intelligentTiering)
        #expect(try await store.head(ref).storageClass == .intelligentTiering)
        #expect(try await store.get(ref).collect() == body)
        #expect(try await store.tags(ref) == ["keep": "yes"])
    }

    /// A new PUT to a key replaces its tags too (as S3 does): an overwritten photo loses its
    /// analysed tag and is analysed again.
    public static func overwriteClearsTags(_ store: any ObjectStore, bucket: String) async throws {
        let ref = ObjectRef(bucket: bucket, key: "conformance/retagged.jpg")
        try await store.put(ref, body: .data(Data("first photo".utf8)), options: PutOptions(contentType: "image/jpeg"))
        try await store.setTags(ref, ["rekognition": "complete"])
        try await store.put(ref, body: .data(Data("second photo".utf8)), options: PutOptions(contentType: "image/jpeg"))
        #expect(try await store.tags(ref) == [:])
        try await store.put(
            ref, body: .data(Data("third".utf8)), options: PutOptions(contentType: "image/jpeg", tags: ["origin": "upload"]))
        #expect(try await store.tags(ref) == ["origin": "upload"])
    }

    /// `x-amz-meta-*` (names lower-cased) and the content headers are kept as put, and survive a
    /// storage class change; a put without them leaves none.
    public static func metadataRoundTrips(_ store: any ObjectStore, bucket: String) async throws {
        let ref = ObjectRef(bucket: bucket, key: "conformance/metadata.txt")
        let metadata = ObjectMetadata(
            user: ["Camera": "X100V", "shot-at": "2026-11-30 lake, dawn"], cacheControl: "max-age=60",
            contentDisposition: "attachment; filename=\"lake.txt\"", contentEncoding: "identity", contentLanguage: "fr-CH",
            expires: "Wed, 21 Oct 2037 07:28:00 GMT")
        #expect(metadata.user == ["camera": "X100V", "shot-at": "2026-11-30 lake, dawn"])
        try await store.put(ref, body: .data(Data("meta".utf8)), options: PutOptions(contentType: "text/plain", metadata: metadata))
        let head = try await store.head(ref)
        #expect(head.metadata == metadata)
        #expect(head.contentType == "text/plain")
        try await store.setStorageClass(ref, .intelligentTiering)
        #expect(try await store.head(ref).metadata == metadata)
        try await store.put(ref, body: .data(Data("plain".utf8)), options: PutOptions(contentType: "text/plain"))
        #expect(try await store.head(ref).metadata == ObjectMetadata())
    }

    /// A presigned GET names the object path-style, serves its bytes, and stops working once its
    /// lifetime has passed (where the backend enforces it); lifetimes over 7 days are refused.
    public static func presignedURLsNameTheObjectAndExpire(_ store: any ObjectStore, bucket: String, probe: PresignedProbe) async throws {
        let ref = ObjectRef(bucket: bucket, key: "conformance/presigned photo.jpg")
        let body = Data("presigned bytes".utf8)
        try await store.put(ref, body: .data(body), options: PutOptions(contentType: "image/jpeg"))
        let url = try await store.presignedURL(.get, ref, expiresIn: 3600, contentType: nil)
        #expect(url.path == "/\(bucket)/conformance/presigned photo.jpg")
        #expect(url.query?.isEmpty == false)
        let fetched = try await probe.fetch(url)
        #expect(fetched.status == 200 && fetched.body == body)
        let other = try await store.presignedURL(
            .get, ObjectRef(bucket: bucket, key: "conformance/other.jpg"), expiresIn: 3600, contentType: nil)
        #expect(other.path != url.path)
        await expectCode(.invalidArgument) { _ = try await store.presignedURL(.get, ref, expiresIn: 8 * 24 * 3600, contentType: nil) }

        if let elapse = probe.elapse {
            let short = try await store.presignedURL(.get, ref, expiresIn: 60, contentType: nil)
            #expect(try await probe.fetch(short).status == 200)
            try await elapse(61)
            #expect(try await probe.fetch(short).status == 403)
            // The hour-long URL is still good.
            #expect(try await probe.fetch(url).status == 200)
        }
    }
}
