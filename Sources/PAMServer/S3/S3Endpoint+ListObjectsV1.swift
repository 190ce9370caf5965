import Foundation
import Hummingbird
import PAMCore

/// ListObjects (version 1) on the same lister as version 2: `marker` is where the listing starts
/// after, and the next page's marker is the last key (or common prefix) answered, which S3 names
/// as `NextMarker` only when the request has a delimiter.
extension S3Endpoint {
    func listObjectsV1(_ call: Call, bucket: BucketInfo) async throws -> Response {
        var query = call.query
        query["continuation-token"] = nil
        query["start-after"] = query["marker"]
        let request = try S3ListRequest(bucket: bucket.name, query: query)
        let page = try await S3Lister(store: store).page(request)
        return Self.xml(S3XML.listObjectsV1(request, marker: call.query["marker"] ?? "", page))
    }
}

extension S3XML {
    /// ListObjects' `ListBucketResult`: objects with their owner, `Marker` as asked, `NextMarker`
    /// with a delimiter when truncated; with `encoding-type=url` keys, prefixes and markers percent-encoded.
    static func listObjectsV1(_ request: S3ListRequest, marker: String, _ page: S3ListPage) -> String {
        let encode: (String) -> String = request.urlEncoded ? { S3ListRequest.urlEncode($0) } : { $0 }
        let truncated = page.nextContinuationToken != nil
        var xml = declaration + "<ListBucketResult xmlns=\"\(namespace)\">" + element("Name", request.bucket)
        xml += element("Prefix", encode(request.prefix)) + element("Marker", encode(marker))
        if truncated, request.delimiter != nil, let last = lastEntry(page) { xml += element("NextMarker", encode(last)) }
        xml += element("MaxKeys", String(request.maxKeys))
        if let delimiter = request.delimiter { xml += element("Delimiter", encode(delimiter)) }
        xml += element("IsTruncated", truncated ? "true" : "false")
        if request.urlEncoded { xml += element("EncodingType", "url") }
        for object in page.objects {
            xml += "<Contents>" + element("Key", encode(object.ref.key))
            xml += element("LastModified", DateText.iso8601(object.created, milliseconds: true))
            xml += element("ETag", "\"\(object.etag)\"") + element("Size", String(object.size))
            xml += "<Owner>\(owner)</Owner>"
            xml += element("StorageClass", object.storageClass.rawValue) + "</Contents>"
        }
        for prefix in page.commonPrefixes { xml += "<CommonPrefixes>" + element("Prefix", encode(prefix)) + "</CommonPrefixes>" }
        return xml + "</ListBucketResult>"
    }

    /// The page's last entry in S3's (UTF-8 byte) order, key or common prefix.
    private static func lastEntry(_ page: S3ListPage) -> String? {
        let key = page.objects.last?.ref.key
        let prefix = page.commonPrefixes.last
        guard let key, let prefix else { return key ?? prefix }
        return key.utf8.lexicographicallyPrecedes(prefix.utf8) ? prefix : key
    }
}
