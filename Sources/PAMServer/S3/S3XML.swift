import Foundation
import PAMCore

/// The XML S3 answers with, written as S3 writes it (namespace, element order, ISO 8601 dates with
/// milliseconds, quoted ETags), and the tagging document clients send.
package enum S3XML {
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"
    /// The owner S3 names in listings: PAM has one account.
    static let ownerID = "pam"
    /// The owner's `ID` and `DisplayName`, the content of every `Owner` (and `Initiator`) element.
    static var owner: String { element("ID", ownerID) + element("DisplayName", ownerID) }

    static func element(_ name: String, _ value: String) -> String { "<\(name)>\(Markup.escape(value))</\(name)>" }

    /// ListObjectsV2's `ListBucketResult`; with `encoding-type=url`, keys and prefixes are
    /// percent-encoded as S3 encodes them; each object's owner only with `fetch-owner=true`.
    static func listObjectsV2(_ request: S3ListRequest, _ page: S3ListPage) -> String {
        let encode: (String) -> String = request.urlEncoded ? { S3ListRequest.urlEncode($0) } : { $0 }
        var xml = declaration + "<ListBucketResult xmlns=\"\(namespace)\">" + element("Name", request.bucket)
        xml += element("Prefix", encode(request.prefix))
        if let token = request.continuationToken { xml += element("ContinuationToken", token) }
        if let token = page.nextContinuationToken { xml += element("NextContinuationToken", token) }
        xml += element("KeyCount", String(page.objects.count + page.commonPrefixes.count))
        xml += element("MaxKeys", String(request.maxKeys))
        if let delimiter = request.delimiter { xml += element("Delimiter", encode(delimiter)) }
        if request.urlEncoded { xml += element("EncodingType", "url") }
        xml += element("IsTruncated", page.nextContinuationToken == nil ? "false" : "true")
        if let startAfter = request.startAfter { xml += element("StartAfter", encode(startAfter)) }
        for object in page.objects {
            xml += "<Contents>" + element("Key", encode(object.ref.key))
            xml += element("LastModified", DateText.iso8601(object.created, milliseconds: true))
            xml += element("ETag", "\"\(object.etag)\"") + element("Size", String(object.size))
            if request.fetchOwner { xml += "<Owner>\(owner)</Owner>" }
            xml += element("StorageClass", object.storageClass.rawValue) + "</Contents>"
        }
        for prefix in page.commonPrefixes { xml += "<CommonPrefixes>" + element("Prefix", encode(prefix)) + "</CommonPrefixes>" }
        return xml + "</ListBucketResult>"
    }

    /// GetObjectTagging's `Tagging`, tags sorted by key.
    package static func tagging(_ tags: [String: String]) -> String {
        var xml = declaration + "<Tagging xmlns=\"\(namespace)\"><TagSet>"
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
            xml += "<Tag>" + element("Key", key) + element("Value", value) + "</Tag>"
        }
        return xml + "</TagSet></Tagging>"
    }

    /// The tags of a PutObjectTagging body; 400 `MalformedXML` unless it is a `Tagging` with a
    /// `TagSet` of `Tag`s, each with one `Key` and one `Value`, keys not repeated.
    package static func parseTagging(_ data: Data) throws -> [String: String] {
        guard let root = XMLTree.parse(data), root.name == "Tagging", let set = root.child("TagSet"),
            set.children.allSatisfy({ $0.name == "Tag" })
        else { throw S3Error.malformedXML() }
        var tags: [String: String] = [:]
        for tag in set.children {
            guard tag.children("Key").count == 1, tag.children("Value").count == 1, let key = tag.value("Key"),
                let value = tag.value("Value")
            else { throw S3Error.malformedXML() }
            guard tags.updateValue(value, forKey: key) == nil else {
                throw S3Error(code: "InvalidTag", status: 400, message: "Cannot provide multiple Tags with the same key")
            }
        }
        return tags
    }
}
