import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

@Suite("ObjectIndex migrations")
struct ObjectIndexMigrationTests {
    @Test("an object index written before metadata (schema v1 only) opens, its rows read with no metadata, and takes metadata from then on")
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
                ''')
                db.commit()
                """, [state.state.objectIndex.path])
            #expect(made.status == 0, "\(made.errors)")
            let folder = state.state.buckets.appendingPathComponent(state.config.storageBucket)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("old".utf8).write(to: folder.appendingPathComponent("old.jpg"))

            let store = try state.store()
            let old = ObjectRef(bucket: state.config.storageBucket, key: "old.jpg")
            let head = try await store.head(old)
            #expect(head.metadata == ObjectMetadata() && head.contentType == "image/jpeg" && head.size == 3)
            #expect(try await store.tags(old) == ["a": "1"])
            let metadata = ObjectMetadata(user: ["new": "yes"], contentLanguage: "en")
            try await store.put(old, body: .data(Data("new".utf8)), options: PutOptions(metadata: metadata))
            #expect(try await state.store().head(old).metadata == metadata)
            // The multipart tables came with the migration too.
            let uploads = try LocalMultipartUploads(store: store)
            #expect(try await uploads.uploads(bucket: old.bucket, prefix: "", keyMarker: nil, idMarker: nil, limit: 10).isEmpty)
        }
    }
}
