import AsyncHTTPClient
import Crypto
import Foundation
import PAMAWS
import PAMCore
import PAMSigV4
import PAMTestSupport
import Testing

/// `S3ObjectStore` against moto.
@Suite("S3ObjectStore on moto")
struct S3ObjectStoreTests {
    /// A store over a fresh, empty bucket.
    static func freshStore(partSize: Int = 8 << 20) async throws -> (S3ObjectStore, String) {
        let client = try await Moto.client()
        let bucket = Moto.uniqueName("pam-s3")
        _ = try await AWSBootstrap(client: client).createBucket(bucket)
        return (S3ObjectStore(client: client, partSize: partSize), bucket)
    }

    @Test("ObjectStore conformance", arguments: ObjectStoreConformance.checks)
    func conformance(_ check: ObjectStoreConformance.Check) async throws {
        let (store, bucket) = try await Self.freshStore()
        // A real GET of the URL; moto does not enforce presigned expiry, so that part is skipped.
        let probe = ObjectStoreConformance.PresignedProbe(
            fetch: { url in
                let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(30))
                return (Int(response.status.code), Data(try await response.body.collect(upTo: 1 << 20).readableBytesView))
            }, elapse: nil)
        try await check.run(ObjectStoreConformance.Subject(store: store, bucket: bucket, presigned: probe))
    }

    @Test("predicts the multipart ETag at its own part size, as S3 computes it")
    func etagAtPartSize() async throws {
        let (store, bucket) = try await Self.freshStore(partSize: S3ObjectStore.minimumPartSize)
        let size = 2 * S3ObjectStore.minimumPartSize + 1234
        let body = ObjectStoreConformance.pattern(size)
        let parts = stride(from: 0, to: size, by: S3ObjectStore.minimumPartSize)
            .map { Data(Insecure.MD5.hash(data: body[$0..<min($0 + S3ObjectStore.minimumPartSize, size)])) }
        let expected = Insecure.MD5.hash(data: parts.reduce(Data(), +)).map { String(format: "%02x", $0) }.joined() + "-3"
        #expect(store.etag(of: body) == expected)
        let info = try await store.put(ObjectRef(bucket: bucket, key: "five-mib-parts.bin"), body: .data(body), options: PutOptions())
        #expect(info.etag == expected)
        #expect(try await store.head(info.ref).etag == expected)
        // The same bytes through a store with 8 MiB parts are two parts: another ETag.
        #expect(try await Self.freshStore().0.etag(of: body).hasSuffix("-2"))
    }

    @Test("keeps the CRC-32 of single-part photos and reads it back with HEAD")
    func crc32() async throws {
        let (store, bucket) = try await Self.freshStore()
        let ref = ObjectRef(bucket: bucket, key: "crc/photo.jpg")
        let body = Data((0..<5000).map { UInt8($0 % 7) })
        let info = try await store.put(ref, body: .data(body), options: PutOptions(contentType: "image/jpeg"))
        #expect(info.crc32 == CRC32.checksum(body))
        #expect(try await store.head(ref).crc32 == CRC32.checksum(body))
    }

    @Test("large bodies go up as a multipart upload, streamed in parts")
    func multipart() async throws {
        let (store, bucket) = try await Self.freshStore(partSize: S3ObjectStore.minimumPartSize)
        let ref = ObjectRef(bucket: bucket, key: "big/bundle.zip")
        let chunk = 256 * 1024
        let chunks = 44 // 11 MiB: three parts
        let counter = Counter()
        let body = ByteStream(count: nil) {
            let index = counter.next()
            return index < chunks ? Data(repeating: UInt8(index % 251), count: chunk) : nil
        }
        let info = try await store.put(ref, body: body, options: PutOptions(contentType: "application/zip", computeCRC32: false))
        #expect(info.size == Int64(chunk * chunks))
        #expect(info.etag.hasSuffix("-3"))
        let head = try await store.head(ref)
        #expect(head.size == Int64(chunk * chunks) && head.contentType == "application/zip")
        var received = 0
        var ok = true
        for try await piece in try await store.get(ref) {
            for (offset, byte) in piece.enumerated() where byte != UInt8(((received + offset) / chunk) % 251) { ok = false }
            received += piece.count
        }
        #expect(received == chunk * chunks && ok)
    }

    @Test("a body that fails midway aborts the multipart upload and leaves the old object")
    func failedMultipartIsAborted() async throws {
        let (store, bucket) = try await Self.freshStore(partSize: S3ObjectStore.minimumPartSize)
        let ref = ObjectRef(bucket: bucket, key: "broken.zip")
        try await store.put(ref, body: .data(Data("old".utf8)), options: PutOptions())
        let counter = Counter()
        let failing = ByteStream {
            if counter.next() < 24 { return Data(repeating: 7, count: 256 * 1024) }
            throw PAMError(.io, "the client went away")
        }
        await expectCode(.io) { try await store.put(ref, body: failing, options: PutOptions()) }
        #expect(try await store.get(ref).collect() == Data("old".utf8))
        var list = AWSClient.Request(service: .s3, operation: "ListMultipartUploads", method: "GET", path: "/\(bucket)")
        list.query = [SigV4Request.Field("uploads", "")]
        let uploads = try await store.client.send(list)
        #expect(!String(decoding: uploads.body, as: UTF8.self).contains("<UploadId>"))
        // A declared size the body does not reach is an error, not a short object.
        let short = ByteStream(count: 10) { counter.next() == 24 ? Data([1, 2, 3]) : nil }
        await expectCode(.storage) { try await store.put(ref, body: short, options: PutOptions()) }
        #expect(try await store.get(ref).collect() == Data("old".utf8))
    }

    @Test("presigned GET and PUT URLs work over plain HTTP, PUT bound to its content type")
    func presignedURLsWork() async throws {
        let (store, bucket) = try await Self.freshStore()
        let ref = ObjectRef(bucket: bucket, key: "presigned/lake view é.jpg")
        let put = try await store.presignedURL(.put, ref, expiresIn: 900, contentType: "image/jpeg")
        var upload = HTTPClientRequest(url: put.absoluteString)
        upload.method = .PUT
        upload.headers.add(name: "Content-Type", value: "image/jpeg")
        upload.body = .bytes(Data("jpeg bytes".utf8))
        let uploaded = try await HTTPClient.shared.execute(upload, timeout: .seconds(30))
        #expect(uploaded.status.code == 200)
        #expect(try await store.head(ref).contentType == "image/jpeg")

        let get = try await store.presignedURL(.get, ref, expiresIn: 3600, contentType: nil)
        #expect(get.query?.contains("X-Amz-Expires=3600") == true)
        let downloaded = try await HTTPClient.shared.execute(HTTPClientRequest(url: get.absoluteString), timeout: .seconds(30))
        #expect(downloaded.status.code == 200)
        #expect(Data(try await downloaded.body.collect(upTo: 1 << 20).readableBytesView) == Data("jpeg bytes".utf8))
    }

    @Test("missing buckets are not found; bad names and keys are refused before any request")
    func errors() async throws {
        let (store, _) = try await Self.freshStore()
        await expectCode(.notFound) { _ = try await store.head(ObjectRef(bucket: "pam-no-such-bucket", key: "a.jpg")) }
        await expectCode(.notFound) { _ = try await store.get(ObjectRef(bucket: "pam-no-such-bucket", key: "a.jpg")) }
        await expectCode(.notFound) {
            _ = try await store.list(bucket: "pam-no-such-bucket", prefix: "", continuationToken: nil, maxKeys: 10)
        }
        await expectCode(.invalidBucket) { _ = try await store.head(ObjectRef(bucket: "UPPER", key: "a.jpg")) }
        await expectCode(.invalidKey) { _ = try await store.head(ObjectRef(bucket: "pam-ok", key: "")) }
        await expectCode(.invalidKey) { _ = try await store.head(ObjectRef(bucket: "pam-ok", key: String(repeating: "k", count: 1025))) }
    }

    @Test("errors carry the S3 code and message")
    func errorContext() async throws {
        let (store, bucket) = try await Self.freshStore()
        do {
            _ = try await store.get(ObjectRef(bucket: bucket, key: "absent.jpg"))
            Issue.record("expected an error")
        } catch let error as PAMError {
            #expect(error.code == .notFound)
            #expect(error.message.contains("NoSuchKey"))
            #expect((error.underlying as? AWSServiceError)?.status == 404)
            #expect(error.ref == ObjectRef(bucket: bucket, key: "absent.jpg"))
        }
    }
}
