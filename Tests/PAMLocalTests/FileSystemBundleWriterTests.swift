import Crypto
import Foundation
import PAMCore
import PAMLocal
import Testing

@Suite("FileSystemBundleWriter")
struct FileSystemBundleWriterTests {
    /// Stores photo-like objects under keys that clash once extracted, and an empty one.
    static func storeObjects(_ store: FileSystemObjectStore, bucket: String) async throws -> [ObjectInfo] {
        let bodies: [(String, Data)] = [
            ("a/lake.jpg", Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })),
            ("a/Lake.jpg", Data("another lake".utf8)),
            ("café.jpg", Data(repeating: 7, count: 70_000)),
            ("cafe\u{301}.jpg", Data("decomposed".utf8)),
            ("empty.jpg", Data()),
        ]
        var infos: [ObjectInfo] = []
        for (key, body) in bodies {
            infos.append(try await store.put(ObjectRef(bucket: bucket, key: key), body: .data(body), options: PutOptions()))
        }
        return infos
    }

    @Test("the same bytes as the streamed zip; the ETag is the directory's MD5 with the entry count; the zip verifies")
    func sameBytesAsStreamed() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let objects = try await Self.storeObjects(store, bucket: state.config.storageBucket)
            let local = ObjectRef(bucket: state.config.workingBucket, key: "local.zip")
            let streamed = ObjectRef(bucket: state.config.workingBucket, key: "streamed.zip")
            let info = try await FileSystemBundleWriter(store: store).writeZip(of: objects, to: local)
            _ = try await StreamingBundleWriter(store: store).writeZip(of: objects, to: streamed)
            let bytes = try await store.get(local).collect()
            #expect(bytes == (try await store.get(streamed).collect()))
            #expect(try await store.head(local) == info)
            #expect(info.size == Int64(bytes.count) && info.contentType == "application/zip")
            let entries = try await ZipVerifier.verify(.data(bytes))
            #expect(entries.map(\.name) == ["a/lake.jpg", "a/Lake (2).jpg", "café.jpg", "cafe\u{301} (2).jpg", "empty.jpg"])
            // The central directory and end records: everything after the last entry's bytes.
            let entryBytes = objects.reduce(0) { $0 + Int($1.size) }
            let tail = bytes.suffix(from: entryBytes + Self.localHeadersSize(objects, names: entries.map(\.name)))
            #expect(info.etag == Data(Insecure.MD5.hash(data: tail)).hexString + "-5")
            #expect(!state.files().contains { $0.hasPrefix("tmp/") }, "\(state.files())")
        }
    }

    static func localHeadersSize(_ objects: [ObjectInfo], names: [String]) -> Int {
        zip(objects, names).reduce(0) { sum, pair in
            sum
                + ZipHeaders.localHeader(
                    ZipHeaders.Entry(name: pair.1, size: UInt64(pair.0.size), crc32: pair.0.crc32!, modified: pair.0.created, offset: 0)
                ).count
        }
    }

    @Test(
        "an object changed on disk since it was stored (same size, other bytes; or another size) fails the bundle: nothing stored, no file left"
    )
    func changedObjectRefused() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let objects = try await Self.storeObjects(store, bucket: state.config.storageBucket)
            let file = try #require(try store.localFile(ObjectRef(bucket: state.config.storageBucket, key: "café.jpg")))
            let writer = FileSystemBundleWriter(store: store)
            for altered in [Data(repeating: 8, count: 70_000), Data(repeating: 7, count: 69_999)] {
                try altered.write(to: file)
                let ref = ObjectRef(bucket: state.config.workingBucket, key: "bad.zip")
                await #expect(throws: PAMError.self) { _ = try await writer.writeZip(of: objects, to: ref) }
                await #expect(throws: PAMError.self) { _ = try await store.head(ref) }
                #expect(!state.files().contains { $0.hasPrefix("tmp/") || $0.hasSuffix("bad.zip") }, "\(state.files())")
            }
        }
    }
}
