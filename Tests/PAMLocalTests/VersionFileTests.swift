import Crypto
import Foundation
import PAMCore
import PAMTestSupport
import Testing

@testable import PAMLocal

/// Each stored version in a file of its own, named in its row: what keeps a row and its bytes
/// together through crashes and concurrent overwrites.
@Suite("Version files")
struct VersionFileTests {
    struct Killed: Error {}

    /// The files in the bucket's folder of version files.
    static func versionFiles(_ state: TemporaryState, _ bucket: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: state.state.objects.appendingPathComponent(bucket).path)) ?? []).sorted()
    }

    @Test(
        "a kill between an overwrite's move and its commit leaves the old version whole (row and bytes); the next opening removes the new file"
    )
    func killBeforeCommit() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let ref = ObjectRef(bucket: state.config.storageBucket, key: "photos/lake.jpg")
            let old = Data(repeating: 1, count: 5_000)
            let stored = try await store.put(ref, body: .data(old), options: PutOptions(contentType: "image/jpeg", tags: ["a": "1"]))

            // The new version is moved into place, then the process dies before the commit: SQLite
            // rolls the transaction back, the file system keeps the move.
            let new = Data(repeating: 2, count: 7_000)
            let temporary = state.state.temporary.appendingPathComponent("killed.part")
            try new.write(to: temporary)
            let now = state.clock.now()
            let replacement = ObjectInfo(
                ref: ref, size: Int64(new.count), etag: Data(Insecure.MD5.hash(data: new)).hexString, crc32: CRC32.checksum(new),
                contentType: "image/jpeg", created: now, lastAccess: now)
            #expect(throws: PAMError.self) { try store.install(temporary, as: replacement, tags: [:], placed: { throw Killed() }) }
            #expect(Self.versionFiles(state, ref.bucket).count == 2, "the moved file is there, named by no row")

            let reopened = try state.store()
            #expect(try await reopened.head(ref) == stored)
            #expect(try await reopened.get(ref).collect() == old)
            #expect(try await reopened.tags(ref) == ["a": "1"])
            #expect(Self.versionFiles(state, ref.bucket) == [try #require(try reopened.localFile(ref)).lastPathComponent])
        }
    }

    @Test(
        "an overwrite removes the version it replaced only after its commit; a file a crash left there, named by no row, goes at the next opening"
    )
    func replacedVersionRemoved() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let bucket = state.config.storageBucket
            let ref = ObjectRef(bucket: bucket, key: "a.jpg")
            try await store.put(ref, body: .data(Data("one".utf8)), options: PutOptions())
            let first = try #require(try store.localFile(ref))
            try await store.put(ref, body: .data(Data("two".utf8)), options: PutOptions())
            let second = try #require(try store.localFile(ref))
            #expect(first != second && !FileManager.default.fileExists(atPath: first.path))
            #expect(Self.versionFiles(state, bucket) == [second.lastPathComponent])
            // As a kill after the commit, before the old file's removal, leaves it; and a folder of
            // a bucket deleted by a crashed process.
            try Data("one".utf8).write(to: first)
            let stray = state.state.objects.appendingPathComponent("no-such-bucket")
            try FileManager.default.createDirectory(at: stray, withIntermediateDirectories: true)
            try Data().write(to: stray.appendingPathComponent("x.jpg"))
            let reopened = try state.store()
            #expect(Self.versionFiles(state, bucket) == [second.lastPathComponent])
            #expect(!FileManager.default.fileExists(atPath: stray.path))
            #expect(try await reopened.get(ref).collect() == Data("two".utf8))
            try await reopened.delete(ref)
            #expect(Self.versionFiles(state, bucket).isEmpty)
        }
    }

    @Test("a GET racing overwrites always gets the bytes of the version whose row (size, ETag) it got")
    func fetchRacingOverwrites() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let ref = ObjectRef(bucket: state.config.storageBucket, key: "busy.jpg")
            let bodies = (0..<4).map { Data(repeating: UInt8($0), count: 10_000 + 1_000 * $0) }
            try await store.put(ref, body: .data(bodies[0]), options: PutOptions())
            let rounds = 300
            let writer = Task {
                for round in 1...rounds { try await store.put(ref, body: .data(bodies[round % bodies.count]), options: PutOptions()) }
            }
            var mismatches = 0
            for _ in 0..<rounds {
                let (info, body) = try await store.fetch(ref)
                let bytes = try await body.collect()
                if Int64(bytes.count) != info.size || Data(Insecure.MD5.hash(data: bytes)).hexString != info.etag { mismatches += 1 }
            }
            try await writer.value
            #expect(mismatches == 0)
            #expect(Self.versionFiles(state, ref.bucket).count == 1)
        }
    }

    @Test("a key that is another key's prefix is an object of its own, at any depth, as on S3")
    func prefixKeys() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let bucket = state.config.storageBucket
            let keys = ["a", "a/b", "a/x/y.jpg", "c/d", "c", "e/f/g/h.jpg", "e/f", "e/f/g/h.jpg/i"]
            for key in keys { try await store.put(ObjectRef(bucket: bucket, key: key), body: .data(Data(key.utf8)), options: PutOptions()) }
            for key in keys { #expect(try await store.get(ObjectRef(bucket: bucket, key: key)).collect() == Data(key.utf8)) }
            let listed = try await store.list(bucket: bucket, prefix: "", continuationToken: nil, maxKeys: 100).objects.map(\.ref.key)
            #expect(listed == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            try await store.delete(ObjectRef(bucket: bucket, key: "a"))
            #expect(try await store.get(ObjectRef(bucket: bucket, key: "a/b")).collect() == Data("a/b".utf8))
            #expect(try FileManager.default.contentsOfDirectory(atPath: state.state.temporary.path).isEmpty)
        }
    }

    @Test("a part uploaded again gets a file of its own and the one it replaced goes; part files no row names go at the next opening")
    func multipartPartFiles() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let uploads = try LocalMultipartUploads(store: store)
            let ref = ObjectRef(bucket: state.config.workingBucket, key: "big.bin")
            let upload = try await uploads.create(ref, options: PutOptions())
            let folder = state.state.multipart.appendingPathComponent(upload.id)
            func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }
            let part = Data(repeating: 5, count: 5 << 20)
            _ = try await uploads.putPart(1, upload: upload.id, of: ref, body: .data(Data(repeating: 4, count: 5 << 20)))
            let before = try files()
            let second = try await uploads.putPart(1, upload: upload.id, of: ref, body: .data(part))
            let after = try files()
            #expect(before.count == 1 && after.count == 1 && before != after)
            #expect(after.first?.hasPrefix("00001-") == true)
            // A file a crash left (moved, never committed; or replaced, never removed) goes at the next opening.
            try Data("stray".utf8).write(to: folder.appendingPathComponent("00002-0123456789abcdef"))
            try Data("stray".utf8).write(to: folder.appendingPathComponent("00001"))
            _ = try LocalMultipartUploads(store: try state.store())
            #expect(try files() == after)
            let info = try await uploads.complete(upload.id, of: ref, parts: [(1, second.etag)])
            #expect(try await store.get(info.ref).collect() == part)
            #expect(!FileManager.default.fileExists(atPath: folder.path))
        }
    }
}
