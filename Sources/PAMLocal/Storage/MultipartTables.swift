import Foundation
import GRDB
import PAMCore

/// The rows of multipart uploads in progress, in the object index's database: one per upload
/// (its object and the options it will be stored with) and one per stored part.
enum MultipartTables {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-multipart") { db in
            try db.execute(
                sql: """
                    CREATE TABLE multipart_upload (
                        id TEXT NOT NULL PRIMARY KEY,
                        bucket TEXT NOT NULL,
                        key TEXT NOT NULL,
                        options TEXT NOT NULL,
                        initiated REAL NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX multipart_upload_by_key ON multipart_upload (bucket, key, id);
                    CREATE TABLE multipart_part (
                        upload_id TEXT NOT NULL,
                        number INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        md5 BLOB NOT NULL,
                        last_modified REAL NOT NULL,
                        PRIMARY KEY (upload_id, number)
                    ) WITHOUT ROWID;
                    """)
        }
    }

    static let uploadColumns = "id, bucket, key, options, initiated"

    static func upload(from row: Row) -> MultipartUpload? {
        guard let options = try? JSONDecoder().decode(PutOptions.self, from: Data((row["options"] as String).utf8)) else { return nil }
        return MultipartUpload(
            id: row["id"], ref: ObjectRef(bucket: row["bucket"], key: row["key"]), options: options,
            initiated: Date(timeIntervalSince1970: row["initiated"]))
    }

    /// A part's row: the part, its MD5, and where its bytes are (`file`; NULL for a part stored
    /// before version files, at its number's name).
    static func part(from row: Row) -> (part: UploadedPart, md5: Data, body: BodyFile) {
        let md5: Data = row["md5"]
        let part = UploadedPart(
            number: row["number"], etag: md5.hexString, size: row["size"], lastModified: Date(timeIntervalSince1970: row["last_modified"]))
        return (part, md5, BodyFile(column: row["file"]))
    }

    static func encode(_ options: PutOptions) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(options), as: UTF8.self)
    }
}
