import Crypto
import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

@Suite("FileSystemObjectStore")
struct FileSystemObjectStoreTests {
    @Test("ObjectStore conformance", arguments: ObjectStoreConformance.checks)
    func conformance(_ check: ObjectStoreConformance.Check) async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let clock = state.clock
            // The checks `pam serve`'s object endpoint makes, on the store's clock, which the suite moves.
            let probe = ObjectStoreConformance.PresignedProbe(
                fetch: { url in
                    do {
                        let ref = try store.presigner.verify(url: url, .get, contentType: nil, now: clock.now())
                        return (200, try await store.get(ref).collect())
                    } catch let error as PAMError where error.code == .expired || error.code == .invalidSignature {
                        return (403, Data())
                    }
                }, elapse: { clock.advance(by: $0) })
            try await check.run(ObjectStoreConformance.Subject(store: store, bucket: state.config.storageBucket, presigned: probe))
        }
    }

    static let hostileKeys = [
        "../escape.jpg", "a/../../escape.jpg", "/etc/passwd", "a/./b.jpg", "a//b.jpg", "dir/", "", "nul\u{0}.jpg",
        "back\\slash.jpg", "line\nbreak.jpg", "..", ".", String(repeating: "k", count: 1025), String(repeating: "s", count: 256) + "/x",
        // A combining mark after '/' or '\\' makes another Character, not other bytes (found by fuzz-object-key).
        "../\u{06DB}escape.jpg", "a/../../\u{0301}escape.jpg", "/\u{06DB}etc/passwd", "back\\\u{0301}slash.jpg",
        "a/\u{0301}/../../escape.jpg",
    ]

    @Test("refuses traversal and other hostile keys, writing nothing", arguments: hostileKeys)
    func hostileKey(_ key: String) async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let before = state.files()
            let ref = ObjectRef(bucket: state.config.storageBucket, key: key)
            await expectCode(.invalidKey) { try await store.put(ref, body: .data(Data("x".utf8)), options: PutOptions()) }
            await expectCode(.invalidKey) { _ = try await store.get(ref) }
            await expectCode(.invalidKey) { try await store.delete(ref) }
            await expectCode(.invalidKey) { _ = try await store.presignedURL(.put, ref, expiresIn: 60, contentType: "image/jpeg") }
            #expect(state.files() == before)
            #expect(
                !FileManager.default.fileExists(atPath: state.root.deletingLastPathComponent().appendingPathComponent("escape.jpg").path))
        }
    }

    @Test("refuses unknown and invalid buckets")
    func buckets() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            await expectCode(.notFound) {
                try await store.put(ObjectRef(bucket: "no-such-bucket", key: "a.jpg"), body: .data(Data()), options: PutOptions())
            }
            await expectCode(.invalidBucket) { _ = try await store.head(ObjectRef(bucket: "../up", key: "a.jpg")) }
            await expectCode(.invalidBucket) { _ = try await store.list(bucket: "UPPER", prefix: "", continuationToken: nil, maxKeys: 10) }
        }
    }

    @Test("a body that fails midway leaves no object and no temporary file")
    func failedPutLeavesNothing() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let ref = ObjectRef(bucket: state.config.storageBucket, key: "broken.jpg")
            try await store.put(ref, body: .data(Data("old".utf8)), options: PutOptions())
            let counter = Counter()
            let failing = ByteStream {
                if counter.next() < 3 { return Data(repeating: 7, count: 1000) }
                throw PAMError(.io, "the client went away")
            }
            await expectCode(.io) { try await store.put(ref, body: failing, options: PutOptions()) }
            #expect(try await store.get(ref).collect() == Data("old".utf8))
            #expect(try FileManager.default.contentsOfDirectory(atPath: state.state.temporary.path).isEmpty)
            let short = ByteStream(count: 10) { counter.next() == 3 ? Data([1, 2, 3]) : nil }
            await expectCode(.storage) { try await store.put(ref, body: short, options: PutOptions()) }
            #expect(try await store.head(ref).size == 3)
        }
    }

    @Test("putEach installs its objects in one transaction; a key written twice keeps the last, and the replaced files go")
    func putEachInOneTransaction() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let bucket = state.config.storageBucket
            let old = ObjectRef(bucket: bucket, key: "old.jpg")
            try await store.put(old, body: .data(Data("old".utf8)), options: PutOptions())
            let twice = ObjectRef(bucket: bucket, key: "twice.jpg")
            let outcomes = await store.putEach(
                [(twice, Data("first".utf8)), (old, Data("new".utf8)), (twice, Data("second".utf8))], options: PutOptions())
            #expect(try outcomes.map { try $0.get().ref } == [twice, old, twice])
            #expect(try await store.get(twice).collect() == Data("second".utf8))
            #expect(try await store.get(old).collect() == Data("new".utf8))
            let versions = VersionFileTests.versionFiles(state, bucket)
            #expect(versions.count == 2, "one version file per object: \(versions)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: state.state.temporary.path).isEmpty)
        }
    }

    @Test("when putEach's transaction fails, nothing of it is committed and each object is stored alone: only the one that cannot be fails")
    func putEachFallsBackToOneByOne() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let photos = state.config.storageBucket
            let old = ObjectRef(bucket: photos, key: "old.jpg")
            try await store.put(old, body: .data(Data("old".utf8)), options: PutOptions())
            // The working bucket has no object yet, so no folder: a file where its folder would go
            // makes the move of its object fail inside the transaction.
            let blocked = state.state.objects.appendingPathComponent(state.config.workingBucket)
            try Data("in the way".utf8).write(to: blocked)
            let refs = [
                ObjectRef(bucket: photos, key: "a.jpg"), ObjectRef(bucket: state.config.workingBucket, key: "b.zip"),
                ObjectRef(bucket: photos, key: "c.jpg"), old,
            ]
            let outcomes = await store.putEach(refs.map { ($0, Data("body of \($0.key)".utf8)) }, options: PutOptions())
            #expect(outcomes.count == 4)
            for (ref, outcome) in zip(refs, outcomes) where ref.bucket == photos {
                #expect(try outcome.get().ref == ref)
                #expect(try await store.get(ref).collect() == Data("body of \(ref.key)".utf8))
            }
            await expectCode(.io) { _ = try outcomes[1].get() }
            await expectCode(.notFound) { _ = try await store.head(refs[1]) }
            let versions = VersionFileTests.versionFiles(state, photos)
            #expect(versions.count == 3, "a, c and the new old.jpg, nothing left of the rolled-back moves: \(versions)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: state.state.temporary.path).isEmpty)
        }
    }

    @Test("opening the store removes what a killed process left in tmp/ a day ago, and nothing newer")
    func abandonedTemporaryFilesGo() async throws {
        try await withTemporaryState { state in
            _ = try state.store()
            let temporary = state.state.temporary
            let abandoned = temporary.appendingPathComponent("upload-killed.part")
            let inProgress = temporary.appendingPathComponent("upload-now.part")
            let folder = temporary.appendingPathComponent("a-folder", isDirectory: true)
            for file in [abandoned, inProgress] { try Data("partial".utf8).write(to: file) }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let old = Date().addingTimeInterval(-StateDirectory.abandonedAfter - 60)
            for item in [abandoned, folder] { try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: item.path) }
            let almost = Date().addingTimeInterval(-StateDirectory.abandonedAfter + 3600)
            try FileManager.default.setAttributes([.modificationDate: almost], ofItemAtPath: inProgress.path)

            _ = try state.store()

            #expect(!FileManager.default.fileExists(atPath: abandoned.path))
            #expect(FileManager.default.fileExists(atPath: inProgress.path), "a write another process may still be making")
            #expect(FileManager.default.fileExists(atPath: folder.path), "only files are removed")
        }
    }

    @Test("metadata and tags survive reopening the store")
    func persistence() async throws {
        try await withTemporaryState { state in
            let ref = ObjectRef(bucket: state.config.storageBucket, key: "kept/photo.jpg")
            let info = try await state.store().put(
                ref, body: .data(Data("jpeg bytes".utf8)), options: PutOptions(contentType: "image/jpeg", tags: ["a": "1"]))
            try await state.store().setStorageClass(ref, .intelligentTiering)
            let reopened = try state.store()
            let head = try await reopened.head(ref)
            #expect(head.etag == info.etag && head.size == info.size && head.contentType == "image/jpeg")
            #expect(head.created == info.created && head.storageClass == .intelligentTiering)
            #expect(try await reopened.tags(ref) == ["a": "1"])
            // The body is a plain file in the bucket's folder, named for its version, with the key's extension.
            let file = try #require(try reopened.localFile(ref))
            #expect(file.deletingLastPathComponent() == state.state.objects.appendingPathComponent(ref.bucket))
            #expect(file.pathExtension == "jpg")
            #expect(try Data(contentsOf: file) == Data("jpeg bytes".utf8))
        }
    }

    @Test("bodies over 8 MiB get S3's multipart ETag, computed the same streamed or in memory")
    func multipartETag() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let size = 20 << 20
            let body = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) })
            let parts = stride(from: 0, to: size, by: 8 << 20).map { Data(Insecure.MD5.hash(data: body[$0..<min($0 + (8 << 20), size)])) }
            let expected = Data(Insecure.MD5.hash(data: parts.reduce(Data(), +))).map { String(format: "%02x", $0) }.joined() + "-3"
            #expect(store.etag(of: body) == expected)
            let counter = Counter()
            let chunk = 1_000_003 // chunks that straddle part boundaries
            let streamed = ByteStream(count: Int64(size)) {
                let start = counter.next() * chunk
                return start < size ? body[start..<min(start + chunk, size)] : nil
            }
            let info = try await store.put(
                ObjectRef(bucket: state.config.workingBucket, key: "big.zip"), body: streamed,
                options: PutOptions(computeCRC32: false))
            #expect(info.etag == expected)
            #expect(info.crc32 == nil)
            #expect(try await store.head(info.ref).crc32 == nil)
            // Exactly one part is one piece, plain MD5, streamed too (it used to be hashed as a one-part upload, "-1").
            let exactlyOnePart = body.prefix(8 << 20)
            let md5 = Data(Insecure.MD5.hash(data: exactlyOnePart)).map { String(format: "%02x", $0) }.joined()
            #expect(store.etag(of: exactlyOnePart) == md5)
            let onePart = try await store.put(
                ObjectRef(bucket: state.config.workingBucket, key: "one-part.zip"),
                body: .data(Data(exactlyOnePart)), options: PutOptions(computeCRC32: false))
            #expect(onePart.etag == md5)
        }
    }

    @Test("a file in the store's tmp/ becomes the object (no copy); any other file is copied; both as put of its bytes")
    func putFile() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let body = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 11) })
            let expected = try await store.put(
                ObjectRef(bucket: state.config.storageBucket, key: "streamed.jpg"), body: .data(body),
                options: PutOptions(contentType: "image/jpeg"))

            let spooled = state.state.temporary.appendingPathComponent("upload-1.part")
            try body.write(to: spooled)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: spooled.path)
            let taken = try await store.put(
                ObjectRef(bucket: state.config.storageBucket, key: "taken.jpg"), file: spooled,
                options: PutOptions(contentType: "image/jpeg"))
            #expect(!FileManager.default.fileExists(atPath: spooled.path), "renamed into place, not copied")
            #expect(taken.etag == expected.etag && taken.crc32 == expected.crc32 && taken.size == expected.size)
            #expect(try await store.head(taken.ref) == taken)
            #expect(try await store.get(taken.ref).collect() == body)
            let object = try #require(try store.localFile(taken.ref))
            let mode = try FileManager.default.attributesOfItem(atPath: object.path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o644, "readable as stored objects are")

            let elsewhere = state.root.appendingPathComponent("elsewhere.jpg")
            try body.write(to: elsewhere)
            let copied = try await store.put(
                ObjectRef(bucket: state.config.storageBucket, key: "copied.jpg"), file: elsewhere,
                options: PutOptions(contentType: "image/jpeg"))
            #expect(try Data(contentsOf: elsewhere) == body, "left where it was")
            #expect(copied.etag == expected.etag && copied.crc32 == expected.crc32)
            #expect(try await store.get(copied.ref).collect() == body)

            // A refused key leaves the file to its owner and stores nothing.
            let refused = state.state.temporary.appendingPathComponent("upload-2.part")
            try body.write(to: refused)
            await #expect(throws: PAMError.self) {
                try await store.put(
                    ObjectRef(bucket: state.config.storageBucket, key: "../escape.jpg"), file: refused, options: PutOptions())
            }
            #expect(FileManager.default.fileExists(atPath: refused.path))
        }
    }

    @Test(
        "a checked file in tmp/: the check sees the bytes then taken, with their MD5 and CRC-32; a refusal stores nothing, leaves the file and passes on unchanged"
    )
    func checkedPutFile() async throws {
        struct Refused: Error {}
        try await withTemporaryState { state in
            // Through the port, as `pam serve` calls it.
            let store: any ObjectStore = try state.store()
            let ref = ObjectRef(bucket: state.config.storageBucket, key: "checked.jpg")
            let body = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ $0 >> 7) })
            let spooled = state.state.temporary.appendingPathComponent("upload-3.part")
            try body.write(to: spooled)
            await #expect(throws: Refused.self) {
                _ = try await store.put(ref, file: spooled, options: PutOptions()) { seen -> Bool in
                    #expect(seen == body)
                    throw Refused()
                }
            }
            #expect(FileManager.default.fileExists(atPath: spooled.path), "left to its owner")
            await expectCode(.notFound) { _ = try await store.head(ref) }

            let (info, checked) = try await store.put(ref, file: spooled, options: PutOptions(contentType: "image/jpeg")) { $0 == body }
            #expect(checked)
            #expect(!FileManager.default.fileExists(atPath: spooled.path), "renamed into place, not copied")
            #expect(info.etag == Data(Insecure.MD5.hash(data: body)).hexString && info.crc32 == CRC32.checksum(body))
            #expect(try await store.head(ref) == info)
            #expect(try await store.get(ref).collect() == body)
        }
    }
}
