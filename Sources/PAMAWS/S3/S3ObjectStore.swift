import Crypto
import Foundation
import Logging
import PAMCore
import PAMSigV4

/// `ObjectStore` on Amazon S3 (or anything that speaks its REST API, such as moto).
///
/// Bodies are streamed in bounded pieces: a body up to `partSize` goes in one PutObject, a larger
/// one in a multipart upload of `partSize` parts, aborted if anything fails, so memory stays at one
/// part whatever the object's size and every request can be retried.
public struct S3ObjectStore: ObjectStore {
    public let client: AWSClient
    /// The size of multipart parts, and the largest body sent in one PutObject (S3's minimum part
    /// size is 5 MiB).
    public let partSize: Int
    /// S3's ETag rule at this store's part size: what `put` gets back for a body.
    let etagRule: MultipartETag
    let logger: Logger

    public static let minimumPartSize = 5 << 20
    /// S3's longest presigned URL lifetime: seven days.
    public static let maximumPresignLifetime: TimeInterval = 7 * 24 * 3600

    public init(client: AWSClient, partSize: Int = 8 << 20, logger: Logger = Logger(label: "pam.s3")) {
        self.client = client
        self.partSize = max(Self.minimumPartSize, partSize)
        self.etagRule = MultipartETag(partSize: self.partSize) { Data(Insecure.MD5.hash(data: $0)) }
        self.logger = logger
    }

    // MARK: ObjectStore

    @discardableResult
    public func put(_ ref: ObjectRef, body: ByteStream, options: PutOptions) async throws -> ObjectInfo {
        try Self.validate(ref)
        let started = client.clock.now()
        var reader = ChunkReader(body)
        let first = try await reader.read(upTo: partSize)
        let info: ObjectInfo
        if first.data.count < partSize || reader.isFinished {
            if let declared = body.count, declared != Int64(first.data.count) {
                throw PAMError(.storage, "the body has \(first.data.count) bytes but declared \(declared)", ref: ref)
            }
            var headers = objectHeaders(options)
            if options.computeCRC32 {
                headers.append(SigV4Request.Field("x-amz-sdk-checksum-algorithm", "CRC32"))
                headers.append(SigV4Request.Field("x-amz-checksum-crc32", CRC32.base64(first.crc.value)))
            }
            let response = try await send(ref, "PutObject", request(ref, "PutObject", method: "PUT", headers: headers, body: first.data))
            info = ObjectInfo(
                ref: ref, size: Int64(first.data.count), etag: Self.unquote(response.header("ETag") ?? ""),
                crc32: options.computeCRC32 ? first.crc.value : nil, contentType: options.contentType,
                storageClass: options.storageClass, created: started, lastAccess: started, metadata: options.metadata)
        } else {
            info = try await multipartUpload(ref, first: first, rest: reader, declared: body.count, options: options, started: started)
        }
        logger.debug("object stored", metadata: ["ref": "\(ref)", "bytes": "\(info.size)"])
        return info
    }

    /// What S3 answers for a `put` of `body` by this store: one PutObject up to `partSize`, a
    /// multipart upload of `partSize` parts above.
    public func etag(of body: Data) -> String { etagRule.etag(of: body) }

    public func get(_ ref: ObjectRef) async throws -> ByteStream {
        try Self.validate(ref)
        do {
            return try await client.stream(request(ref, "GetObject", method: "GET")).1
        } catch {
            throw S3ErrorMapping.map(error, operation: "GetObject", ref: ref)
        }
    }

    public func head(_ ref: ObjectRef) async throws -> ObjectInfo {
        try Self.validate(ref)
        let response = try await send(
            ref, "HeadObject",
            request(
                ref, "HeadObject", method: "HEAD",
                headers: [SigV4Request.Field("x-amz-checksum-mode", "ENABLED")]))
        let modified = response.header("Last-Modified").flatMap(DateText.parseHTTP) ?? client.clock.now()
        return ObjectInfo(
            ref: ref, size: Int64(response.header("Content-Length") ?? "") ?? 0, etag: Self.unquote(response.header("ETag") ?? ""),
            crc32: response.header("x-amz-checksum-crc32").flatMap { CRC32.value(base64: $0) },
            contentType: response.header("Content-Type") ?? "application/octet-stream",
            storageClass: StorageClass(rawValue: response.header("x-amz-storage-class") ?? "STANDARD") ?? .standard,
            created: modified, lastAccess: modified, metadata: Self.metadata(response.headers))
    }

    public func list(bucket: String, prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectPage {
        try Self.validate(bucket: bucket)
        guard (1...1000).contains(maxKeys) else { throw PAMError(.invalidArgument, "maxKeys must be 1 to 1000, got \(maxKeys)") }
        var query = [
            SigV4Request.Field("list-type", "2"), SigV4Request.Field("max-keys", String(maxKeys)),
            SigV4Request.Field("encoding-type", "url"), SigV4Request.Field("prefix", prefix),
        ]
        if let continuationToken { query.append(SigV4Request.Field("continuation-token", continuationToken)) }
        var listing = request(ObjectRef(bucket: bucket, key: ""), "ListObjectsV2", method: "GET")
        listing.query = query
        let response = try await send(nil, "ListObjectsV2", listing, bucket: bucket)
        return try S3ListResult.parse(response.body, bucket: bucket)
    }

    public func delete(_ ref: ObjectRef) async throws {
        try Self.validate(ref)
        _ = try await send(ref, "DeleteObject", request(ref, "DeleteObject", method: "DELETE"))
    }

    public func tags(_ ref: ObjectRef) async throws -> [String: String] {
        try Self.validate(ref)
        var tagging = request(ref, "GetObjectTagging", method: "GET")
        tagging.query = [SigV4Request.Field("tagging", "")]
        return try S3Tagging.parse(try await send(ref, "GetObjectTagging", tagging).body)
    }

    public func setTags(_ ref: ObjectRef, _ tags: [String: String]) async throws {
        try Self.validate(ref)
        _ = try ObjectTags.validated(tags, ref: ref)
        let body = S3Tagging.xml(tags)
        var tagging = request(
            ref, "PutObjectTagging", method: "PUT",
            headers: [
                SigV4Request.Field("Content-Type", "application/xml"), SigV4Request.Field("Content-MD5", Self.contentMD5(body)),
            ], body: body)
        tagging.query = [SigV4Request.Field("tagging", "")]
        _ = try await send(ref, "PutObjectTagging", tagging)
    }

    public func setStorageClass(_ ref: ObjectRef, _ storageClass: StorageClass) async throws {
        try Self.validate(ref)
        // Copying the object onto itself with a new class keeps body, metadata and tags.
        let source = "/" + AWSPercentEncoding.encode(ref.bucket) + "/" + AWSPercentEncoding.encode(ref.key, keepSlash: true)
        let copy = request(
            ref, "CopyObject", method: "PUT",
            headers: [
                SigV4Request.Field("x-amz-copy-source", source), SigV4Request.Field("x-amz-storage-class", storageClass.rawValue),
                SigV4Request.Field("x-amz-metadata-directive", "COPY"), SigV4Request.Field("x-amz-tagging-directive", "COPY"),
            ])
        let response = try await send(ref, "CopyObject", copy)
        // CopyObject can fail after answering 200: the error is then in the body.
        if let root = XMLTree.parse(response.body), root.name == "Error" {
            throw S3ErrorMapping.map(
                AWSServiceError.parse(service: .s3, operation: "CopyObject", status: 200, headers: [], body: response.body),
                operation: "CopyObject", ref: ref)
        }
    }

    public func presignedURL(_ method: PresignMethod, _ ref: ObjectRef, expiresIn: TimeInterval, contentType: String?) async throws -> URL {
        try Self.validate(ref)
        guard expiresIn >= 1, expiresIn <= Self.maximumPresignLifetime else {
            throw PAMError(.invalidArgument, "a presigned URL lives 1 second to 7 days, not \(Int(expiresIn)) seconds", ref: ref)
        }
        var headers: [SigV4Request.Field] = []
        if method == .put, let contentType { headers.append(SigV4Request.Field("content-type", contentType)) }
        return try client.presignedURL(
            request(ref, method == .get ? "GetObject" : "PutObject", method: method.rawValue, headers: headers),
            expires: Int(expiresIn))
    }

    // MARK: Requests

    /// A request on `ref` (or on its bucket when the key is empty), path-style or virtual-hosted.
    func request(_ ref: ObjectRef, _ operation: String, method: String, headers: [SigV4Request.Field] = [], body: Data = Data())
        -> AWSClient.Request
    {
        let endpointHost = client.configuration.endpoint(for: .s3).host ?? ""
        let virtualHosted = !client.configuration.s3PathStyle && !ref.bucket.contains(".")
        let path = virtualHosted ? "/" + ref.key : "/" + ref.bucket + (ref.key.isEmpty ? "" : "/" + ref.key)
        return AWSClient.Request(
            service: .s3, operation: operation, method: method, path: path, headers: headers, body: body,
            host: virtualHosted ? "\(ref.bucket).\(endpointHost)" : nil)
    }

    /// Sends `request`, mapping failures to `PAMError`s about `ref` (or `bucket`).
    func send(_ ref: ObjectRef?, _ operation: String, _ request: AWSClient.Request, bucket: String? = nil) async throws
        -> AWSClient.Response
    {
        do {
            return try await client.send(request)
        } catch {
            throw S3ErrorMapping.map(error, operation: operation, ref: ref ?? bucket.map { ObjectRef(bucket: $0, key: "") })
        }
    }

    func objectHeaders(_ options: PutOptions) -> [SigV4Request.Field] {
        var headers = [SigV4Request.Field("Content-Type", options.contentType)]
        if options.storageClass != .standard { headers.append(SigV4Request.Field("x-amz-storage-class", options.storageClass.rawValue)) }
        if !options.tags.isEmpty { headers.append(SigV4Request.Field("x-amz-tagging", S3Tagging.headerValue(options.tags))) }
        for (name, value) in options.metadata.contentHeaders { headers.append(SigV4Request.Field(name, value)) }
        for (name, value) in options.metadata.user.sorted(by: { $0.key < $1.key }) {
            headers.append(SigV4Request.Field(Self.userMetadataPrefix + name, value))
        }
        return headers
    }

    static let userMetadataPrefix = "x-amz-meta-"

    /// The user metadata and content headers of a HeadObject answer.
    static func metadata(_ headers: [(String, String)]) -> ObjectMetadata {
        var metadata = ObjectMetadata()
        for (name, value) in headers {
            let lower = name.lowercased()
            switch lower {
            case "cache-control": metadata.cacheControl = value
            case "content-disposition": metadata.contentDisposition = value
            case "content-encoding": metadata.contentEncoding = value
            case "content-language": metadata.contentLanguage = value
            case "expires": metadata.expires = value
            default:
                if lower.hasPrefix(userMetadataPrefix) { metadata.user[String(lower.dropFirst(userMetadataPrefix.count))] = value }
            }
        }
        return metadata
    }

    // MARK: Validation and encodings

    static func validate(_ ref: ObjectRef) throws {
        try validate(bucket: ref.bucket)
        guard !ref.key.isEmpty, ref.key.utf8.count <= 1024 else {
            throw PAMError(.invalidKey, "an S3 key is 1 to 1024 bytes of UTF-8", ref: ref)
        }
    }

    /// S3's bucket naming rules: 3–63 of lower-case letters, digits, dots and dashes, starting and
    /// ending with a letter or digit.
    static func validate(bucket: String) throws {
        let allowed = bucket.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }
        guard (3...63).contains(bucket.utf8.count), allowed, let first = bucket.utf8.first, let last = bucket.utf8.last,
            first != 0x2E, first != 0x2D, last != 0x2E, last != 0x2D, !bucket.contains("..")
        else { throw PAMError(.invalidBucket, "'\(bucket)' is not a valid S3 bucket name") }
    }

    static func unquote(_ etag: String) -> String {
        etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"") ? String(etag.dropFirst().dropLast()) : etag
    }

    static func contentMD5(_ body: Data) -> String {
        Data(Insecure.MD5.hash(data: body)).base64EncodedString()
    }
}
