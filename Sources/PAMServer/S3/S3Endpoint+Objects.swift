import Foundation
import HTTPTypes
import Hummingbird
import PAMCore
import PAMSigV4

/// The object operations: PutObject, GetObject, HeadObject, DeleteObject and object tagging.
extension S3Endpoint {
    /// S3's largest single PUT: 5 GiB.
    static let maximumObjectSize: Int64 = 5 << 30
    /// The largest tagging document read.
    static let maximumTaggingBytes = 64 << 10

    /// The `x-amz-*` headers PutObject honours, besides user metadata (`x-amz-meta-*`); any other
    /// one asks for something PAM does not emulate (encryption, object lock, conditional writes …)
    /// and is refused with 501.
    static let putObjectHeaders: Set<String> = [
        "x-amz-content-sha256", "x-amz-date", "x-amz-security-token", "x-amz-decoded-content-length", "x-amz-trailer",
        "x-amz-sdk-checksum-algorithm", "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-sha1",
        "x-amz-checksum-sha256", "x-amz-checksum-crc64nvme", "x-amz-storage-class", "x-amz-tagging", "x-amz-user-agent",
        "x-amz-expected-bucket-owner",
    ]

    /// PutObject: the body (aws-chunked decoded, digests checked as it streams) replaces the
    /// object only once it has arrived whole and verified; a photo in the storage bucket is then
    /// queued for analysis.
    func putObject(_ call: Call, ref: ObjectRef) async throws -> Response {
        try Self.refuseUnemulatedHeaders(call, operation: "PutObject", allowed: Self.putObjectHeaders, metadata: true)
        var options = PutOptions(
            contentType: call.header("Content-Type") ?? "binary/octet-stream",
            storageClass: try Self.storageClass(call, operation: "PutObject") ?? .standard, metadata: try Self.metadata(call))
        if let tagging = call.header("x-amz-tagging") { options.tags = try Self.tags(formEncoded: tagging, ref: ref) }
        try Self.refuseBodyLargerThan(Self.maximumObjectSize, call)
        let info = try await store.put(ref, body: try body(call), options: options)
        await photoChanged(ref)
        var response = Response(status: .ok, headers: [.eTag: "\"\(info.etag)\""])
        let checksums = Self.echoedChecksums(call, crc32: info.crc32)
        if !checksums.isEmpty {
            response.headers.append(contentsOf: checksums)
            response.headers[HTTPField.Name("x-amz-checksum-type")!] = "FULL_OBJECT"
        }
        return response
    }

    /// The checksums a write was sent with and verified against, as S3 answers them: each
    /// `x-amz-checksum-*` header, and a CRC-32 sent in an aws-chunked trailer (its value is the
    /// stored object's CRC-32, which the body was checked against).
    static func echoedChecksums(_ call: Call, crc32: UInt32?) -> HTTPFields {
        var fields: HTTPFields = [:]
        for algorithm in AWSChecksumAlgorithm.allCases {
            if let value = call.header(algorithm.headerName), let name = HTTPField.Name(algorithm.headerName) { fields[name] = value }
        }
        let trailer = call.header("x-amz-trailer")?.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let crcName = AWSChecksumAlgorithm.crc32.headerName
        if fields.isEmpty, let crc32, trailer?.contains(crcName) == true, let name = HTTPField.Name(crcName) {
            fields[name] = CRC32.base64(crc32)
        }
        return fields
    }

    /// 400 `EntityTooLarge` when the body the request declares (decoded, for aws-chunked) is over `maximum`.
    static func refuseBodyLargerThan(_ maximum: Int64, _ call: Call) throws {
        let declared = call.header("x-amz-decoded-content-length") ?? call.header("Content-Length")
        guard let size = declared.flatMap(Int64.init), size > maximum else { return }
        throw S3Error(
            code: "EntityTooLarge", status: 400, message: "Your proposed upload exceeds the maximum allowed size",
            details: [.init("ProposedSize", String(size)), .init("MaxSizeAllowed", String(maximum))])
    }

    /// The request's payload: aws-chunked decoded when it is, checked against `Content-MD5`,
    /// `x-amz-checksum-*` and a signed `x-amz-content-sha256`; the stream fails at its end otherwise.
    func body(_ call: Call) throws -> ByteStream {
        let length = call.header("Content-Length").flatMap(Int64.init)
        var body = S3RequestBody.stream(call.request.body, count: call.authentication.payload.isChunked ? nil : length)
        if let decoder = try AWSChunkedDecoder(call.authentication, request: call.received) { body = decoder.decode(body) }
        return try AWSBodyCheck(headers: call.received.headers, payload: call.authentication.payload).verify(body)
    }

    /// GetObject and HeadObject: conditions first (304, 412), then the whole object or one range
    /// (206; 416 `InvalidRange`), with the headers `response-*` overrides.
    func getObject(_ call: Call, ref: ObjectRef) async throws -> Response {
        let overrides = try Self.overriddenHeaders(call.query)
        // A GET reads the row and the bytes of one version, even while the object is being overwritten.
        let (info, body): (ObjectInfo, ByteStream?) = call.isHead ? (try await store.head(ref), nil) : try await store.fetch(ref)
        if let answer = try conditionalAnswer(call, info: info) { return answer }
        guard var answer = ObjectBody.answer(info, rangeFieldValues: call.received.headerValues("Range")) else {
            throw S3Error(
                code: "InvalidRange", status: 416, message: "The requested range is not satisfiable",
                details: [.init("RangeRequested", call.header("Range") ?? ""), .init("ActualObjectSize", String(info.size))],
                headers: [.contentRange: ObjectBody.unsatisfiedRange(size: info.size)])
        }
        if info.storageClass != .standard { answer.headers[HTTPField.Name("x-amz-storage-class")!] = info.storageClass.rawValue }
        answer.headers.append(contentsOf: Self.metadataHeaders(info.metadata))
        for field in overrides + Self.checksumHeaders(call, info: info, whole: answer.status == .ok) {
            answer.headers[field.name] = field.value
        }
        guard let body else { return Response(status: answer.status, headers: answer.headers) }
        return Response(status: answer.status, headers: answer.headers, body: ObjectBody.response(body, range: answer.range))
    }

    /// DeleteObject: 204, whether or not the object was there; 501 for a conditional delete.
    func deleteObject(_ call: Call, ref: ObjectRef) async throws -> Response {
        try Self.refuseConditionalWrite(call, operation: "DeleteObject")
        try await store.delete(ref)
        await photoChanged(ref)
        return Response(status: .noContent)
    }

    func getTagging(_ ref: ObjectRef) async throws -> Response {
        Self.xml(S3XML.tagging(try await store.tags(ref)))
    }

    func putTagging(_ call: Call, ref: ObjectRef) async throws -> Response {
        let document = try await body(call).collect(limit: Self.maximumTaggingBytes)
        let tags = try ObjectTags.validated(try S3XML.parseTagging(document), ref: ref)
        try await store.setTags(ref, tags)
        return Response(status: .ok)
    }

    func deleteTagging(_ ref: ObjectRef) async throws -> Response {
        try await store.setTags(ref, [:])
        return Response(status: .noContent)
    }

    /// The tags of `x-amz-tagging`, a form-encoded query (`a=1&b=2`).
    static func tags(formEncoded text: String, ref: ObjectRef) throws -> [String: String] {
        var tags: [String: String] = [:]
        for item in text.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = AWSPercentEncoding.decode(pair[0], plusIsSpace: true)
            guard tags.updateValue(pair.count > 1 ? AWSPercentEncoding.decode(pair[1], plusIsSpace: true) : "", forKey: key) == nil else {
                throw S3Error(code: "InvalidTag", status: 400, message: "Cannot provide multiple Tags with the same key")
            }
        }
        return try ObjectTags.validated(tags, ref: ref)
    }
}
