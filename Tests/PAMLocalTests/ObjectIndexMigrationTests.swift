import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

@Suite("ObjectIndex migrations")
struct ObjectIndexMigrationTests {
    @Test(
        "an object index written before metadata (schema v1 only) opens, its rows read with no metadata, and takes metadata from then on; bodies at their keys' paths are read, replaced by version files and deleted"
    )
    func metadataMigration() async throws {
        try await withTemporaryState { state in
            try state.state.create()
            // The v1 schema and row as an older PAM wrote them (GRDB records applied migrations by name).
            let made = try await ExternalProcess.python(
                """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                db.executescript('''
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1');
                    CREATE TABLE object (bucket TEXT NOT NULL, key TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
                        crc32 INTEGER, content_type TEXT NOT NULL, storage_class TEXT NOT NULL, created REAL NOT NULL,
                        last_access REAL NOT NULL, tags TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (bucket, key)) WITHOUT ROWID;
                    INSERT INTO object VALUES ('\(state.config.storageBucket)', 'old.jpg', 3, 'etag', NULL, 'image/jpeg', 'STANDARD',
                        1800000000, 1800000000, '{"a":"1"}');
                    INSERT INTO object VALUES ('\(state.config.storageBucket)', 'trip/day 1/nested.jpg', 6, 'etag2', NULL, 'image/jpeg',
                        'STANDARD', 1800000000, 1800000000, '{}');
                ''')
                db.commit()
                """, [state.state.objectIndex.path])
            #expect(made.status == 0, "\(made.errors)")
            let folder = state.state.legacyBuckets.appendingPathComponent(state.config.storageBucket)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("old".utf8).write(to: folder.appendingPathComponent("old.jpg"))
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("trip/day 1"), withIntermediateDirectories: true)
            try Data("nested".utf8).write(to: folder.appendingPathComponent("trip/day 1/nested.jpg"))
            // A body no row names (an older PAM killed between a delete's commit and the file's removal).
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("gone"), withIntermediateDirectories: true)
            try Data("gone".utf8).write(to: folder.appendingPathComponent("gone/stray.jpg"))

            let store = try state.store()
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("gone").path), "removed at opening")
            let old = ObjectRef(bucket: state.config.storageBucket, key: "old.jpg")
            let head = try await store.head(old)
            #expect(head.metadata == ObjectMetadata() && head.contentType == "image/jpeg" && head.size == 3)
            #expect(try await store.tags(old) == ["a": "1"])
            // Its body is read where an older PAM put it (at the key's path), until it is replaced.
            #expect(try await store.get(old).collect() == Data("old".utf8))
            let metadata = ObjectMetadata(user: ["new": "yes"], contentLanguage: "en")
            try await store.put(old, body: .data(Data("new".utf8)), options: PutOptions(metadata: metadata))
            #expect(try await state.store().head(old).metadata == metadata)
            #expect(try await store.get(old).collect() == Data("new".utf8))
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("old.jpg").path))
            #expect(try store.localFile(old)?.deletingLastPathComponent() == state.state.objects.appendingPathComponent(old.bucket))
            // Deleting one removes its file and the folders its key's prefix left empty.
            let nested = ObjectRef(bucket: state.config.storageBucket, key: "trip/day 1/nested.jpg")
            #expect(try await store.get(nested).collect() == Data("nested".utf8))
            try await store.delete(nested)
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("trip").path))
            #expect(FileManager.default.fileExists(atPath: folder.path))
            // With its last body replaced or deleted, the old layout's folder goes at the next opening.
            _ = try state.store()
            #expect(!FileManager.default.fileExists(atPath: state.state.legacyBuckets.path))
            // The multipart tables came with the migration too.
            let uploads = try LocalMultipartUploads(store: store)
            #expect(try await uploads.uploads(bucket: old.bucket, prefix: "", keyMarker: nil, idMarker: nil, limit: 10).isEmpty)
        }
    }
}
