import Foundation
import PAMCore
import PAMSigV4

/// ListObjectsV2's answer (requested with `encoding-type=url`, so any key survives XML).
enum S3ListResult {
    static func parse(_ body: Data, bucket: String) throws -> ObjectPage {
        guard let root = XMLTree.parse(body), root.name == "ListBucketResult" else {
            throw PAMError(.storage, "ListObjectsV2 answered with something that is not a ListBucketResult", path: bucket)
        }
        let urlEncoded = root.value("EncodingType") == "url"
        let objects = root.children("Contents").map { item -> ObjectInfo in
            let rawKey = item.value("Key") ?? ""
            let key = urlEncoded ? AWSPercentEncoding.decode(rawKey, plusIsSpace: true) : rawKey
            let modified = item.value("LastModified").flatMap(DateText.parseISO8601) ?? Date(timeIntervalSince1970: 0)
            // Listings carry no content type; HEAD has it.
            return ObjectInfo(
                ref: ObjectRef(bucket: bucket, key: key), size: Int64(item.value("Size") ?? "") ?? 0,
                etag: S3ObjectStore.unquote(item.value("ETag") ?? ""), contentType: "application/octet-stream",
                storageClass: StorageClass(rawValue: item.value("StorageClass") ?? "STANDARD") ?? .standard,
                created: modified, lastAccess: modified)
        }
        let truncated = root.value("IsTruncated") == "true"
        return ObjectPage(objects: objects, continuationToken: truncated ? root.value("NextContinuationToken") : nil)
    }
}

/// Object tags on the wire: the `x-amz-tagging` header and the `Tagging` document (their limits:
/// `ObjectTags`).
enum S3Tagging {
    static func headerValue(_ tags: [String: String]) -> String {
        tags.sorted { $0.key < $1.key }
            .map { AWSPercentEncoding.encode($0.key) + "=" + AWSPercentEncoding.encode($0.value) }
            .joined(separator: "&")
    }

    static func xml(_ tags: [String: String]) -> Data {
        let items = tags.sorted { $0.key < $1.key }
            .map { "<Tag><Key>\(Markup.escape($0.key))</Key><Value>\(Markup.escape($0.value))</Value></Tag>" }
        return Data("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>\(items.joined())</TagSet></Tagging>".utf8)
    }

    static func parse(_ body: Data) throws -> [String: String] {
        guard let root = XMLTree.parse(body), root.name == "Tagging" else {
            throw PAMError(.storage, "GetObjectTagging answered with something that is not a Tagging document")
        }
        var tags: [String: String] = [:]
        for tag in root.child("TagSet")?.children("Tag") ?? [] {
            tags[tag.value("Key") ?? ""] = tag.value("Value") ?? ""
        }
        return tags
    }
}
