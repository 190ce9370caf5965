import Foundation
import Hummingbird
import PAMCore

/// DeleteObjects (`POST /bucket?delete`): up to 1,000 keys in one request, each deleted on its
/// own; a key that is not there counts as deleted, as on S3. The answer lists every key deleted
/// (only the failures in quiet mode) and a per-key `Error` for each failure.
extension S3Endpoint {
    /// S3's limit of keys per request.
    static let maximumDeleteKeys = 1000
    /// 1,000 keys of 1,024 bytes, escaped, and the document around them.
    static let maximumDeleteBytes = 8 << 20

    func deleteObjects(_ call: Call, bucket: String) async throws -> Response {
        try Self.requireIntegrityHeader(call)
        let request = try S3XML.parseDelete(try await body(call).collect(limit: Self.maximumDeleteBytes))
        var deleted: [String] = []
        var failed: [(key: String, error: S3Error)] = []
        for key in request.keys {
            do {
                try await store.delete(ObjectRef(bucket: bucket, key: key))
                await photoChanged(ObjectRef(bucket: bucket, key: key))
                deleted.append(key)
            } catch {
                failed.append((key, Self.unwrap(error)))
            }
        }
        return Self.xml(S3XML.deleteResult(deleted: request.quiet ? [] : deleted, failed: failed))
    }
}

extension S3XML {
    /// What a DeleteObjects body asks.
    package struct DeleteRequest {
        package var keys: [String]
        package var quiet: Bool
    }

    /// A `Delete` document: `Quiet` and 1 to 1,000 `Object`s with a `Key` each (400 `MalformedXML`
    /// otherwise, as S3 answers); versions and conditional deletes are 501.
    package static func parseDelete(_ data: Data) throws -> DeleteRequest {
        guard let root = XMLTree.parse(data), root.name == "Delete", root.children.allSatisfy({ ["Object", "Quiet"].contains($0.name) })
        else { throw S3Error.malformedXML() }
        let objects = root.children("Object")
        guard (1...S3Endpoint.maximumDeleteKeys).contains(objects.count), root.children("Quiet").count <= 1 else {
            throw S3Error.malformedXML()
        }
        let keys = try objects.map { object in
            for child in object.children where child.name != "Key" {
                guard ["VersionId", "ETag", "LastModifiedTime", "Size"].contains(child.name) else { throw S3Error.malformedXML() }
                throw S3Error.notImplemented("DeleteObjects with \(child.name)")
            }
            guard object.children("Key").count == 1, let key = object.value("Key") else { throw S3Error.malformedXML() }
            return key
        }
        let quiet = root.value("Quiet").map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        guard quiet == nil || quiet == "true" || quiet == "false" else { throw S3Error.malformedXML() }
        return DeleteRequest(keys: keys, quiet: quiet == "true")
    }

    static func deleteResult(deleted: [String], failed: [(key: String, error: S3Error)]) -> String {
        var xml = declaration + "<DeleteResult xmlns=\"\(namespace)\">"
        for key in deleted { xml += "<Deleted>" + element("Key", key) + "</Deleted>" }
        for (key, error) in failed {
            xml += "<Error>" + element("Key", key) + element("Code", error.code) + element("Message", error.message) + "</Error>"
        }
        return xml + "</DeleteResult>"
    }
}
