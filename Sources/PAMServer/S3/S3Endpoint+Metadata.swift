import Foundation
import HTTPTypes
import Hummingbird
import PAMCore

/// User metadata (`x-amz-meta-*`) and the content headers S3 keeps with an object: read from a
/// write (PutObject, CopyObject with REPLACE, CreateMultipartUpload), replayed on GET and HEAD.
extension S3Endpoint {
    static let userMetadataPrefix = "x-amz-meta-"

    /// The metadata a write request carries: `x-amz-meta-*` names lower-cased (repeated ones joined
    /// with commas, as S3 does), the content headers, `Content-Encoding` without `aws-chunked`;
    /// 400 `MetadataTooLarge` over S3's 2 KB of user metadata.
    static func metadata(_ call: Call) throws -> ObjectMetadata {
        var user: [String: String] = [:]
        for field in call.received.headers {
            let name = field.name.lowercased()
            guard name.hasPrefix(userMetadataPrefix), name.count > userMetadataPrefix.count else { continue }
            let short = String(name.dropFirst(userMetadataPrefix.count))
            let value = field.value.trimmingCharacters(in: .whitespaces)
            user[short] = user[short].map { $0 + "," + value } ?? value
        }
        let encodings = (call.header("Content-Encoding") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0.lowercased() != "aws-chunked" }
        let metadata = ObjectMetadata(
            user: user, cacheControl: call.header("Cache-Control"), contentDisposition: call.header("Content-Disposition"),
            contentEncoding: encodings.isEmpty ? nil : encodings.joined(separator: ","), contentLanguage: call.header("Content-Language"),
            expires: call.header("Expires"))
        guard metadata.userBytes <= ObjectMetadata.maximumUserBytes else {
            throw S3Error(
                code: "MetadataTooLarge", status: 400, message: "Your metadata headers exceed the maximum allowed metadata size.",
                details: [.init("Size", String(metadata.userBytes)), .init("MaxSizeAllowed", String(ObjectMetadata.maximumUserBytes))])
        }
        return metadata
    }

    /// The headers GET and HEAD answer `metadata` with.
    static func metadataHeaders(_ metadata: ObjectMetadata) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in metadata.contentHeaders {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        for (name, value) in metadata.user.sorted(by: { $0.key < $1.key }) {
            if let name = HTTPField.Name(userMetadataPrefix + name) { fields[name] = value }
        }
        return fields
    }

    /// 501 for an `x-amz-*` header that asks for what `operation` does not emulate (encryption,
    /// object lock, checksums of a kind PAM does not keep …) and for a conditional write;
    /// `allowed` are the honoured ones, and user metadata when `metadata` says so.
    static func refuseUnemulatedHeaders(_ call: Call, operation: String, allowed: Set<String>, metadata: Bool) throws {
        try refuseConditionalWrite(call, operation: operation)
        for field in call.received.headers {
            let name = field.name.lowercased()
            guard name.hasPrefix("x-amz-"), !allowed.contains(name) else { continue }
            if metadata, name.hasPrefix(userMetadataPrefix) { continue }
            throw S3Error.notImplemented("\(operation) with \(name)")
        }
    }

    /// The storage class a write asks for (`x-amz-storage-class`), nil when it names none; 501
    /// for S3's classes PAM does not keep (the archive classes, see ``StorageClass``), 400
    /// `InvalidStorageClass` for a name S3 does not know.
    static func storageClass(_ call: Call, operation: String) throws -> StorageClass? {
        guard let text = call.header("x-amz-storage-class") else { return nil }
        if let known = StorageClass(rawValue: text) { return known }
        guard unkeptStorageClasses.contains(text) else {
            throw S3Error(code: "InvalidStorageClass", status: 400, message: "The storage class you specified is not valid")
        }
        throw S3Error.notImplemented("\(operation) with storage class \(text)")
    }

    /// S3's storage classes that PAM does not keep.
    static let unkeptStorageClasses: Set = ["GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "EXPRESS_ONEZONE", "SNOW", "FSX_OPENZFS", "FSX_ONTAP"]

    /// 501 for a write that asks to happen only if the object it replaces or deletes is (or is not)
    /// there or unchanged — `If-Match`, `If-None-Match`, `x-amz-if-match-*`: PAM does not emulate
    /// conditional writes, and doing the write regardless could lose the object the caller protected.
    static func refuseConditionalWrite(_ call: Call, operation: String) throws {
        for name in conditionalWriteHeaders where call.header(name) != nil {
            throw S3Error.notImplemented("conditional \(operation) (\(name.lowercased()))")
        }
    }

    static let conditionalWriteHeaders = [
        "If-Match", "If-None-Match", "x-amz-if-match-last-modified-time", "x-amz-if-match-size", "x-amz-if-match-initiated-time",
    ]
}
