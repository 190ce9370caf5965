import Foundation
import HTTPTypes
import Hummingbird
import PAMCore
import PAMSigV4

/// CopyObject, and the copy source both it and UploadPartCopy read: `x-amz-copy-source` and its
/// `x-amz-copy-source-if-*` preconditions.
extension S3Endpoint {
    /// S3's largest copy source for CopyObject (a larger object is copied with UploadPartCopy).
    static let maximumCopySize: Int64 = 5 << 30

    static let copySourceHeaders: Set<String> = [
        "x-amz-copy-source", "x-amz-copy-source-if-match", "x-amz-copy-source-if-none-match", "x-amz-copy-source-if-modified-since",
        "x-amz-copy-source-if-unmodified-since",
    ]
    static let copyObjectHeaders = putObjectHeaders.union(copySourceHeaders).union(["x-amz-metadata-directive", "x-amz-tagging-directive"])

    enum Directive: String {
        case copy = "COPY"
        case replace = "REPLACE"
    }

    /// CopyObject: the source's body into `ref`, with the source's content type and metadata
    /// (`x-amz-metadata-directive: COPY`, the default) or the request's (`REPLACE`), its tags or
    /// the request's (`x-amz-tagging-directive`), and the request's storage class (STANDARD by
    /// default, as S3). A copy onto itself must change something. A photo copied into the storage
    /// bucket is queued for analysis, as after PutObject, and does not take its source's analysed
    /// tag (no labels were recorded under its key: `aws s3 mv` within the bucket keeps the counts).
    func copyObject(_ call: Call, ref: ObjectRef) async throws -> Response {
        try Self.refuseUnemulatedHeaders(call, operation: "CopyObject", allowed: Self.copyObjectHeaders, metadata: true)
        let source = try await copySource(call)
        let metadataDirective = try Self.directive(call, "x-amz-metadata-directive")
        let taggingDirective = try Self.directive(call, "x-amz-tagging-directive")
        let storageClass = try Self.storageClass(call, operation: "CopyObject")
        let (info, body, sourceTags) = try await fetchCopySource(source, tags: taggingDirective == .copy)
        try Self.checkCopyPreconditions(call, info)
        if source == ref, metadataDirective == .copy, storageClass == nil || storageClass == info.storageClass {
            throw S3Error(
                code: "InvalidRequest", status: 400,
                message:
                    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."
            )
        }
        guard info.size <= Self.maximumCopySize else {
            throw S3Error(
                code: "InvalidRequest", status: 400,
                message: "The specified copy source is larger than the maximum allowable size for a copy source: \(Self.maximumCopySize)")
        }
        var options = PutOptions(contentType: info.contentType, storageClass: storageClass ?? .standard, metadata: info.metadata)
        if metadataDirective == .replace {
            options.contentType = call.header("Content-Type") ?? "binary/octet-stream"
            options.metadata = try Self.metadata(call)
        }
        switch taggingDirective {
        case .copy:
            options.tags = sourceTags
            if ref.bucket == storageBucket { options.tags[analyzedTagKey] = nil }
        case .replace: options.tags = try call.header("x-amz-tagging").map { try Self.tags(formEncoded: $0, ref: ref) } ?? [:]
        }
        let stored = try await store.put(ref, body: body, options: options)
        await photoChanged(ref)
        return Self.xml(S3XML.copyResult("CopyObjectResult", etag: stored.etag, lastModified: stored.created))
    }

    /// The source's metadata, bytes and (with `tags`) tags, all of one version, even while it is
    /// being overwritten: `fetch` reads the row and the file it names together; the tags, read
    /// apart, are kept only if the row still names the same version afterwards, else the source is
    /// read again. A source that keeps changing is 503 `SlowDown`, for the client to retry.
    func fetchCopySource(_ source: ObjectRef, tags: Bool) async throws -> (ObjectInfo, ByteStream, [String: String]) {
        for _ in 0..<Self.copySourceReads {
            let (info, body) = try await store.fetch(source)
            guard tags else { return (info, body, [:]) }
            let sourceTags = try await store.tags(source)
            let current = try await store.head(source)
            if current.etag == info.etag, current.created == info.created { return (info, body, sourceTags) }
        }
        throw S3Error(code: "SlowDown", status: 503, message: "The copy source kept changing while it was read; please try again.")
    }

    /// Reads of a changing copy source before CopyObject gives up.
    static let copySourceReads = 8

    /// The object `x-amz-copy-source` names (`bucket/key` or `/bucket/key`, percent-encoded), in
    /// a bucket this endpoint serves; a version (`?versionId=`) is 501.
    func copySource(_ call: Call) async throws -> ObjectRef {
        var text = Substring(call.header("x-amz-copy-source") ?? "")
        if let question = text.firstIndex(of: "?") {
            if text[question...].contains("versionId=") { throw S3Error.notImplemented("copying an object version (versionId)") }
            text = text[..<question]
        }
        var decoded = Substring(AWSPercentEncoding.decode(text))
        if decoded.hasPrefix("/") { decoded = decoded.dropFirst() }
        let parts = decoded.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw S3Error.invalidArgument(
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey", name: "x-amz-copy-source",
                value: call.header("x-amz-copy-source") ?? "")
        }
        let source = ObjectRef(bucket: String(parts[0]), key: String(parts[1]))
        guard try await buckets.bucket(named: source.bucket) != nil else { throw S3Error.noSuchBucket(source.bucket) }
        return source
    }

    /// S3's copy preconditions (`x-amz-copy-source-if-match`, `-if-none-match`, `-if-modified-since`,
    /// `-if-unmodified-since`), evaluated as a GET's conditions on the source, except that a
    /// "not modified" source is 412 `PreconditionFailed` too, as S3 answers a copy.
    static func checkCopyPreconditions(_ call: Call, _ info: ObjectInfo) throws {
        let prefix = "x-amz-copy-source-"
        let conditions = S3Preconditions { call.header(prefix + $0) }
        switch conditions.evaluate(etag: info.etag, lastModified: info.created) {
        case .proceed: return
        case .failed(let condition): throw S3Error.preconditionFailed(prefix + condition)
        case .notModified:
            throw S3Error.preconditionFailed(prefix + (conditions.ifNoneMatch != nil ? "If-None-Match" : "If-Modified-Since"))
        }
    }

    /// A `COPY`/`REPLACE` directive header (COPY when absent); 400 `InvalidArgument` otherwise.
    static func directive(_ call: Call, _ name: String) throws -> Directive {
        guard let text = call.header(name) else { return .copy }
        guard let directive = Directive(rawValue: text.uppercased()) else {
            throw S3Error.invalidArgument("Unknown \(name)", name: name, value: text)
        }
        return directive
    }
}
