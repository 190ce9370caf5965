import Crypto
import Foundation
import PAMCore

/// An `ObjectStore` in memory, for testing the services without files or a network: S3's
/// semantics (keys compared byte for byte, listing in UTF-8 byte order, a put replacing body and
/// tags, S3's ETags at `partSize`), presigned URLs it can answer itself (``fetch(_:)``), and an
/// injectable clock. Passes `ObjectStoreConformance`.
public actor InMemoryObjectStore: ObjectStore {
    struct Object {
        var body: Data
        var info: ObjectInfo
        var tags: [String: String]
    }

    /// Objects by bucket, then by the key's UTF-8 bytes (Swift's String equality would merge NFC
    /// and NFD spellings of one name, which S3 keeps apart).
    private var buckets: [String: [Data: Object]]
    private let etagRule: MultipartETag
    private let clock: any WallClock
    /// The host of presigned URLs: nothing answers there but ``fetch(_:)``.
    public static let host = "in-memory.invalid"

    /// A store with the `buckets`, empty; ETags as S3 gives them for uploads in `partSize` parts.
    public init(buckets: [String], partSize: Int = 8 << 20, clock: any WallClock = SystemClock()) {
        self.buckets = Dictionary(uniqueKeysWithValues: buckets.map { ($0, [:]) })
        self.etagRule = MultipartETag(partSize: partSize) { Data(Insecure.MD5.hash(data: $0)) }
        self.clock = clock
    }

    // MARK: ObjectStore

    @discardableResult
    public func put(_ ref: ObjectRef, body: ByteStream, options: PutOptions) async throws -> ObjectInfo {
        try requireBucket(ref)
        var data = Data()
        for try await chunk in body { data.append(chunk) }
        if let declared = body.count, declared != Int64(data.count) {
            throw PAMError(.storage, "the body has \(data.count) bytes but declared \(declared)", ref: ref)
        }
        let tags = try ObjectTags.validated(options.tags, ref: ref)
        let now = clock.now()
        let info = ObjectInfo(
            ref: ref, size: Int64(data.count), etag: etagRule.etag(of: data),
            crc32: options.computeCRC32 ? CRC32.checksum(data) : nil, contentType: options.contentType,
            storageClass: options.storageClass, created: now, lastAccess: now, metadata: options.metadata)
        buckets[ref.bucket, default: [:]][Data(ref.key.utf8)] = Object(body: data, info: info, tags: tags)
        return info
    }

    public nonisolated func etag(of body: Data) -> String { etagRule.etag(of: body) }

    public func get(_ ref: ObjectRef) async throws -> ByteStream { .data(try object(ref).body) }

    public func head(_ ref: ObjectRef) async throws -> ObjectInfo { try object(ref).info }

    public func list(bucket: String, prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectPage {
        guard let objects = buckets[bucket] else { throw PAMError(.notFound, "no such bucket '\(bucket)'") }
        guard (1...1000).contains(maxKeys) else { throw PAMError(.invalidArgument, "maxKeys must be 1 to 1000, got \(maxKeys)") }
        let after = continuationToken.map { Data($0.utf8) }
        let keys = objects.keys
            .filter { key in key.starts(with: Data(prefix.utf8)) && after.map { Self.precedes($0, key) } ?? true }
            .sorted(by: Self.precedes)
        let page = keys.prefix(maxKeys).compactMap { objects[$0]?.info }
        return ObjectPage(objects: page, continuationToken: keys.count > maxKeys ? page.last?.ref.key : nil)
    }

    public func delete(_ ref: ObjectRef) async throws {
        try requireBucket(ref)
        buckets[ref.bucket]?[Data(ref.key.utf8)] = nil
    }

    public func tags(_ ref: ObjectRef) async throws -> [String: String] { try object(ref).tags }

    public func setTags(_ ref: ObjectRef, _ tags: [String: String]) async throws {
        var object = try object(ref)
        object.tags = try ObjectTags.validated(tags, ref: ref)
        buckets[ref.bucket]?[Data(ref.key.utf8)] = object
    }

    public func setStorageClass(_ ref: ObjectRef, _ storageClass: StorageClass) async throws {
        var object = try object(ref)
        object.info.storageClass = storageClass
        buckets[ref.bucket]?[Data(ref.key.utf8)] = object
    }

    /// `http://in-memory.invalid/<bucket>/<key>?method=…&expires=<seconds since 1970>`: unsigned,
    /// since only ``fetch(_:)`` answers it.
    public func presignedURL(_ method: PresignMethod, _ ref: ObjectRef, expiresIn: TimeInterval, contentType: String?) async throws -> URL {
        try requireBucket(ref)
        guard expiresIn >= 1, expiresIn <= 7 * 24 * 3600 else {
            throw PAMError(.invalidArgument, "a presigned URL lives 1 second to 7 days, not \(Int(expiresIn)) seconds", ref: ref)
        }
        var components = URLComponents()
        components.scheme = "http"
        components.host = Self.host
        components.path = "/\(ref.bucket)/\(ref.key)"
        components.queryItems = [
            URLQueryItem(name: "method", value: method.rawValue),
            URLQueryItem(name: "expires", value: String(Int((clock.now() + expiresIn).timeIntervalSince1970))),
        ]
        guard let url = components.url else { throw PAMError(.invalidKey, "the key does not fit in a URL", ref: ref) }
        return url
    }

    // MARK: Test helpers

    /// Answers a GET of a URL from ``presignedURL(_:_:expiresIn:contentType:)`` as an S3 front
    /// would: 200 with the body, 403 once expired or for another method, 404 when absent.
    public func fetch(_ url: URL) -> (status: Int, body: Data) {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false), components.host == Self.host,
            let items = components.queryItems, items.first(where: { $0.name == "method" })?.value == PresignMethod.get.rawValue,
            let expires = items.first(where: { $0.name == "expires" })?.value.flatMap(Double.init),
            clock.now().timeIntervalSince1970 < expires
        else { return (403, Data()) }
        let path = components.path.dropFirst()
        guard let slash = path.firstIndex(of: "/") else { return (404, Data()) }
        let ref = ObjectRef(bucket: String(path[..<slash]), key: String(path[path.index(after: slash)...]))
        guard let object = buckets[ref.bucket]?[Data(ref.key.utf8)] else { return (404, Data()) }
        return (200, object.body)
    }

    /// Every key in `bucket`, in S3's order.
    public func keys(in bucket: String) -> [String] {
        (buckets[bucket]?.keys.sorted(by: Self.precedes) ?? []).map { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: Rules

    private func object(_ ref: ObjectRef) throws -> Object {
        try requireBucket(ref)
        guard let object = buckets[ref.bucket]?[Data(ref.key.utf8)] else { throw PAMError(.notFound, "no such object", ref: ref) }
        return object
    }

    private func requireBucket(_ ref: ObjectRef) throws {
        guard buckets[ref.bucket] != nil else { throw PAMError(.notFound, "no such bucket '\(ref.bucket)'", ref: ref) }
        guard !ref.key.isEmpty, ref.key.utf8.count <= 1024 else {
            throw PAMError(.invalidKey, "a key is 1 to 1024 bytes of UTF-8", ref: ref)
        }
    }

    private static func precedes(_ first: Data, _ second: Data) -> Bool { first.lexicographicallyPrecedes(second) }
}
