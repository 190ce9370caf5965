import Foundation
import PAMCore

/// The XML of copies and multipart uploads, written as S3 writes it, and the completion document
/// clients send.
extension S3XML {
    /// CopyObject's `CopyObjectResult` and UploadPartCopy's `CopyPartResult`.
    static func copyResult(_ root: String, etag: String, lastModified: Date) -> String {
        declaration + "<\(root) xmlns=\"\(namespace)\">" + element("ETag", "\"\(etag)\"")
            + element("LastModified", DateText.iso8601(lastModified, milliseconds: true)) + "</\(root)>"
    }

    /// The parts of a `CompleteMultipartUpload` document, in the order listed; 400 `MalformedXML`
    /// unless every `Part` has a numeric `PartNumber` and an `ETag`, and there is at least one.
    package static func parseCompletion(_ data: Data) throws -> [(number: Int, etag: String)] {
        guard let root = XMLTree.parse(data), root.name == "CompleteMultipartUpload" else { throw S3Error.malformedXML() }
        let parts = root.children("Part")
        guard !parts.isEmpty else { throw S3Error.malformedXML() }
        return try parts.map { part in
            guard let number = part.value("PartNumber").flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
                let etag = part.value("ETag")
            else { throw S3Error.malformedXML() }
            return (number: number, etag: etag.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// ListParts' `ListPartsResult`.
    static func listParts(_ upload: MultipartUpload, parts: [UploadedPart], marker: Int, maxParts: Int, truncated: Bool) -> String {
        var xml = declaration + "<ListPartsResult xmlns=\"\(namespace)\">" + element("Bucket", upload.ref.bucket)
        xml += element("Key", upload.ref.key) + element("UploadId", upload.id)
        xml += "<Initiator>\(owner)</Initiator><Owner>\(owner)</Owner>"
        xml += element("StorageClass", upload.options.storageClass.rawValue) + element("PartNumberMarker", String(marker))
        if let last = parts.last { xml += element("NextPartNumberMarker", String(last.number)) }
        xml += element("MaxParts", String(maxParts)) + element("IsTruncated", truncated ? "true" : "false")
        for part in parts {
            xml += "<Part>" + element("PartNumber", String(part.number))
            xml += element("LastModified", DateText.iso8601(part.lastModified, milliseconds: true))
            xml += element("ETag", "\"\(part.etag)\"") + element("Size", String(part.size)) + "</Part>"
        }
        return xml + "</ListPartsResult>"
    }

    /// What a ListMultipartUploads asks for.
    struct UploadListing: Sendable {
        var bucket: String
        var prefix: String
        var keyMarker: String?
        var idMarker: String?
        var maxUploads: Int
        var urlEncoded: Bool
    }

    /// ListMultipartUploads' `ListMultipartUploadsResult`; with `encoding-type=url`, keys and the
    /// prefix percent-encoded as in ListObjectsV2.
    static func listMultipartUploads(_ request: UploadListing, _ uploads: [MultipartUpload], truncated: Bool) -> String {
        let encode: (String) -> String = request.urlEncoded ? { S3ListRequest.urlEncode($0) } : { $0 }
        var xml = declaration + "<ListMultipartUploadsResult xmlns=\"\(namespace)\">" + element("Bucket", request.bucket)
        xml += element("KeyMarker", encode(request.keyMarker ?? "")) + element("UploadIdMarker", request.idMarker ?? "")
        if truncated, let last = uploads.last {
            xml += element("NextKeyMarker", encode(last.ref.key)) + element("NextUploadIdMarker", last.id)
        }
        xml += element("Prefix", encode(request.prefix))
        if request.urlEncoded { xml += element("EncodingType", "url") }
        xml += element("MaxUploads", String(request.maxUploads)) + element("IsTruncated", truncated ? "true" : "false")
        for upload in uploads {
            xml += "<Upload>" + element("Key", encode(upload.ref.key)) + element("UploadId", upload.id)
            xml += "<Initiator>\(owner)</Initiator><Owner>\(owner)</Owner>"
            xml += element("StorageClass", upload.options.storageClass.rawValue)
            xml += element("Initiated", DateText.iso8601(upload.initiated, milliseconds: true)) + "</Upload>"
        }
        return xml + "</ListMultipartUploadsResult>"
    }
}
