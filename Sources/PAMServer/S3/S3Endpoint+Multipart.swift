import Foundation
import HTTPTypes
import Hummingbird
import PAMCore
import PAMSigV4

/// The multipart operations: CreateMultipartUpload, UploadPart, UploadPartCopy,
/// CompleteMultipartUpload, AbortMultipartUpload, ListParts and ListMultipartUploads, on the
/// injected `MultipartUploads` port.
extension S3Endpoint {
    /// S3's largest part: 5 GiB.
    static let maximumPartSize: Int64 = 5 << 30
    /// The largest CompleteMultipartUpload document read (10,000 parts fit).
    static let maximumCompletionBytes = 2 << 20

    static let createMultipartHeaders = putObjectHeaders.union(["x-amz-checksum-algorithm", "x-amz-checksum-type"])
    static let uploadPartHeaders = putObjectHeaders.subtracting(["x-amz-storage-class", "x-amz-tagging"])
    static let uploadPartCopyHeaders = copySourceHeaders.union(["x-amz-copy-source-range"]).union(uploadPartHeaders)

    private func multipart(_ operation: String) throws -> any MultipartUploads {
        guard let uploads else { throw S3Error.notImplemented(operation) }
        return uploads
    }

    /// CreateMultipartUpload: records the content type, metadata, tags and storage class the
    /// object will get.
    func createMultipartUpload(_ call: Call, ref: ObjectRef) async throws -> Response {
        let uploads = try multipart("CreateMultipartUpload")
        try Self.refuseUnemulatedHeaders(call, operation: "CreateMultipartUpload", allowed: Self.createMultipartHeaders, metadata: true)
        if let type = call.header("x-amz-checksum-type"), type.uppercased() != "COMPOSITE" {
            throw S3Error.notImplemented("CreateMultipartUpload with a full-object checksum (x-amz-checksum-type: \(type))")
        }
        var options = PutOptions(
            contentType: call.header("Content-Type") ?? "binary/octet-stream",
            storageClass: try Self.storageClass(call, operation: "CreateMultipartUpload") ?? .standard, metadata: try Self.metadata(call))
        if let tagging = call.header("x-amz-tagging") { options.tags = try Self.tags(formEncoded: tagging, ref: ref) }
        let upload = try await uploads.create(ref, options: options)
        var xml = S3XML.declaration + "<InitiateMultipartUploadResult xmlns=\"\(S3XML.namespace)\">"
        xml += S3XML.element("Bucket", ref.bucket) + S3XML.element("Key", ref.key) + S3XML.element("UploadId", upload.id)
        var response = Self.xml(xml + "</InitiateMultipartUploadResult>")
        if let algorithm = call.header("x-amz-checksum-algorithm") {
            response.headers[HTTPField.Name("x-amz-checksum-algorithm")!] = algorithm
        }
        return response
    }

    /// UploadPart: the body through the same checks as PutObject's (aws-chunked, `Content-MD5`,
    /// `x-amz-checksum-*`), stored whole or not at all; the part's checksum header is echoed.
    func uploadPart(_ call: Call, ref: ObjectRef) async throws -> Response {
        let uploads = try multipart("UploadPart")
        try Self.refuseUnemulatedHeaders(call, operation: "UploadPart", allowed: Self.uploadPartHeaders, metadata: false)
        let (id, number) = try Self.partAddress(call)
        try Self.refuseBodyLargerThan(Self.maximumPartSize, call)
        let part = try await uploads.putPart(number, upload: id, of: ref, body: try body(call))
        var response = Response(status: .ok, headers: [.eTag: "\"\(part.etag)\""])
        response.headers.append(contentsOf: Self.echoedChecksums(call, crc32: nil))
        return response
    }

    /// UploadPartCopy: a part from an object, whole or the `x-amz-copy-source-range` of it.
    func uploadPartCopy(_ call: Call, ref: ObjectRef) async throws -> Response {
        let uploads = try multipart("UploadPartCopy")
        try Self.refuseUnemulatedHeaders(call, operation: "UploadPartCopy", allowed: Self.uploadPartCopyHeaders, metadata: false)
        let (id, number) = try Self.partAddress(call)
        let source = try await copySource(call)
        _ = try await uploads.upload(id, of: ref)
        let (info, body) = try await store.fetch(source)
        try Self.checkCopyPreconditions(call, info)
        var range: Range<Int64> = 0..<info.size
        if let text = call.header("x-amz-copy-source-range") {
            // S3 wants both ends: bytes=first-last, within the object.
            let ends = text.hasPrefix("bytes=") ? text.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false) : []
            guard ends.count == 2, let first = Int64(ends[0]), let last = Int64(ends[1]), first >= 0, first <= last, last < info.size
            else {
                throw S3Error.invalidArgument(
                    "Range specified is not valid for source object of size: \(info.size)", name: "x-amz-copy-source-range", value: text)
            }
            range = first..<(last + 1)
        }
        guard Int64(range.count) <= Self.maximumPartSize else {
            throw S3Error.invalidArgument(
                "The specified copy range is larger than the maximum allowable size for a part: \(Self.maximumPartSize)",
                name: "x-amz-copy-source-range", value: call.header("x-amz-copy-source-range") ?? "")
        }
        let part = try await uploads.putPart(number, upload: id, of: ref, body: Self.slice(body, range))
        return Self.xml(S3XML.copyResult("CopyPartResult", etag: part.etag, lastModified: part.lastModified))
    }

    /// CompleteMultipartUpload: the listed parts become the object (S3's checks, then the `-N`
    /// ETag); a photo completed in the storage bucket is queued for analysis.
    func completeMultipartUpload(_ call: Call, ref: ObjectRef) async throws -> Response {
        let uploads = try multipart("CompleteMultipartUpload")
        let id = call.query["uploadId"] ?? ""
        try Self.refuseConditionalWrite(call, operation: "CompleteMultipartUpload")
        // A checksum header here is the whole object's (a full-object checksum), which PAM does not check.
        for name in AWSChecksumAlgorithm.allCases.map(\.headerName) + ["x-amz-checksum-crc64nvme"] where call.header(name) != nil {
            throw S3Error.notImplemented("CompleteMultipartUpload with a full-object checksum (\(name))")
        }
        let document = try await body(call).collect(limit: Self.maximumCompletionBytes)
        let listed = try S3XML.parseCompletion(document)
        let info = try await uploads.complete(id, of: ref, parts: listed)
        await photoChanged(ref)
        let location =
            "http://\(call.request.head.authority ?? "localhost")/\(ref.bucket)/"
            + AWSPercentEncoding.encode(ref.key, keepSlash: true)
        var xml = S3XML.declaration + "<CompleteMultipartUploadResult xmlns=\"\(S3XML.namespace)\">"
        xml += S3XML.element("Location", location) + S3XML.element("Bucket", ref.bucket) + S3XML.element("Key", ref.key)
        xml += S3XML.element("ETag", "\"\(info.etag)\"")
        return Self.xml(xml + "</CompleteMultipartUploadResult>")
    }

    /// AbortMultipartUpload: 204; the parts are gone.
    func abortMultipartUpload(_ call: Call, ref: ObjectRef) async throws -> Response {
        try await multipart("AbortMultipartUpload").abort(call.query["uploadId"] ?? "", of: ref)
        return Response(status: .noContent)
    }

    /// ListParts: `max-parts` (default and at most 1,000) after `part-number-marker`.
    func listParts(_ call: Call, ref: ObjectRef) async throws -> Response {
        let uploads = try multipart("ListParts")
        let id = call.query["uploadId"] ?? ""
        let maxParts = try Self.count(call, "max-parts")
        let marker = try Self.count(call, "part-number-marker", default: 0, range: 0...Int.max)
        let upload = try await uploads.upload(id, of: ref)
        let parts = try await uploads.parts(upload: id, of: ref, after: marker, limit: maxParts + 1)
        let page = parts.prefix(maxParts)
        return Self.xml(
            S3XML.listParts(upload, parts: Array(page), marker: marker, maxParts: maxParts, truncated: parts.count > maxParts))
    }

    /// ListMultipartUploads: `prefix`, `max-uploads` (default and at most 1,000), `key-marker` and
    /// `upload-id-marker`, `encoding-type=url`; a `delimiter` is 501.
    func listMultipartUploads(_ call: Call, bucket: String) async throws -> Response {
        let uploads = try multipart("ListMultipartUploads")
        if call.query["delimiter"] != nil { throw S3Error.notImplemented("ListMultipartUploads with a delimiter") }
        let request = S3XML.UploadListing(
            bucket: bucket, prefix: call.query["prefix"] ?? "", keyMarker: call.query["key-marker"].flatMap { $0.isEmpty ? nil : $0 },
            idMarker: call.query["upload-id-marker"].flatMap { $0.isEmpty ? nil : $0 }, maxUploads: try Self.count(call, "max-uploads"),
            urlEncoded: try S3ListRequest.urlEncoded(call.query))
        let found = try await uploads.uploads(
            bucket: bucket, prefix: request.prefix, keyMarker: request.keyMarker,
            idMarker: request.keyMarker == nil ? nil : request.idMarker,
            limit: request.maxUploads + 1)
        return Self.xml(
            S3XML.listMultipartUploads(request, Array(found.prefix(request.maxUploads)), truncated: found.count > request.maxUploads))
    }

    // MARK: Arguments

    /// The upload id and part number of an UploadPart; 400 `InvalidArgument` for a part number
    /// outside 1 to 10,000.
    static func partAddress(_ call: Call) throws -> (id: String, number: Int) {
        let text = call.query["partNumber"] ?? ""
        guard let number = Int(text), (1...MultipartRules.maximumPartNumber).contains(number) else {
            throw S3Error.invalidArgument(
                "Part number must be an integer between 1 and \(MultipartRules.maximumPartNumber), inclusive", name: "partNumber",
                value: text)
        }
        return (call.query["uploadId"] ?? "", number)
    }

    /// A count argument (`max-parts`, `max-uploads` …): `default` when absent, at most 1,000 as S3
    /// caps it; 400 `InvalidArgument` when not a number in `range`.
    static func count(_ call: Call, _ name: String, default value: Int = 1000, range: ClosedRange<Int> = 0...Int.max) throws -> Int {
        guard let text = call.query[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw S3Error.invalidArgument("Provided \(name) not an integer or within integer range", name: name, value: text)
        }
        return min(number, 1000)
    }

    /// The bytes of `range` out of `stream`, as a stream of that length.
    static func slice(_ stream: ByteStream, _ range: Range<Int64>) -> ByteStream {
        let source = SliceSource(stream.makeAsyncIterator(), range: range)
        return ByteStream(count: Int64(range.count)) { try await source.next() }
    }

    private final class SliceSource: @unchecked Sendable {
        // Unchecked: a ByteStream is pulled by one consumer at a time, so the iterator is never shared.
        private var iterator: ByteStream.AsyncIterator
        private let range: Range<Int64>
        private var offset: Int64 = 0

        init(_ iterator: ByteStream.AsyncIterator, range: Range<Int64>) {
            self.iterator = iterator
            self.range = range
        }

        func next() async throws -> Data? {
            while offset < range.upperBound, let chunk = try await iterator.next() {
                let start = offset
                offset += Int64(chunk.count)
                let lower = max(start, range.lowerBound)
                let upper = min(offset, range.upperBound)
                if lower < upper { return chunk.subdata(in: chunk.startIndex + Int(lower - start)..<chunk.startIndex + Int(upper - start)) }
            }
            return nil
        }
    }
}
