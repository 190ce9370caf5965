import Foundation

/// The S3 storage classes PAM keeps: those whose objects S3 serves at once. An object's class is
/// recorded and reported (HEAD, GET, listings); its bytes are served as a STANDARD object's, as S3
/// does for these classes (their differences are in price, minimum duration and redundancy). The
/// archive classes (GLACIER, DEEP_ARCHIVE), whose objects need a RestoreObject before a GET, are
/// not kept.
public enum StorageClass: String, Sendable, Codable, CaseIterable {
    case standard = "STANDARD"
    case intelligentTiering = "INTELLIGENT_TIERING"
    case standardInfrequentAccess = "STANDARD_IA"
    case oneZoneInfrequentAccess = "ONEZONE_IA"
    case glacierInstantRetrieval = "GLACIER_IR"
    case reducedRedundancy = "REDUCED_REDUNDANCY"
}

extension ObjectInfo {
    /// S3's default smallest object a lifecycle transition moves (`all_storage_classes_128K`).
    public static let smallestTransitioned: Int64 = 128 * 1024

    /// Whether a lifecycle transition moves this object to `target`, as S3 decides: its waterfall
    /// for the one transition PAM emulates (to INTELLIGENT_TIERING, from STANDARD and STANDARD_IA),
    /// and its default minimum size (objects under 128 KB stay where they are).
    public func transitions(to target: StorageClass) -> Bool {
        size >= Self.smallestTransitioned && target == .intelligentTiering
            && [.standard, .standardInfrequentAccess].contains(storageClass)
    }
}

/// What `head` and `list` report about an object.
public struct ObjectInfo: Sendable, Hashable, Codable {
    public var ref: ObjectRef
    public var size: Int64
    /// S3's ETag (without quotes): the hex MD5 of the body for single-part uploads.
    public var etag: String
    /// CRC-32 of the body when the store knows it (S3's `ChecksumCRC32`), so a zip needs no second read.
    public var crc32: UInt32?
    public var contentType: String
    public var storageClass: StorageClass
    public var created: Date
    public var lastAccess: Date
    /// User metadata and content headers, replayed on GET and HEAD.
    public var metadata: ObjectMetadata

    public init(
        ref: ObjectRef, size: Int64, etag: String, crc32: UInt32? = nil, contentType: String,
        storageClass: StorageClass = .standard, created: Date, lastAccess: Date, metadata: ObjectMetadata = ObjectMetadata()
    ) {
        self.ref = ref
        self.size = size
        self.etag = etag
        self.crc32 = crc32
        self.contentType = contentType
        self.storageClass = storageClass
        self.created = created
        self.lastAccess = lastAccess
        self.metadata = metadata
    }
}

/// Options for `put`.
public struct PutOptions: Sendable, Hashable, Codable {
    public var contentType: String
    public var storageClass: StorageClass
    public var tags: [String: String]
    /// Whether to keep the body's CRC-32 (S3's `x-amz-checksum-algorithm: CRC32`), which lets a
    /// zip include the object without reading it twice. Photos want it; bundles do not.
    public var computeCRC32: Bool
    /// User metadata and content headers kept with the object.
    public var metadata: ObjectMetadata

    public init(
        contentType: String = "application/octet-stream", storageClass: StorageClass = .standard,
        tags: [String: String] = [:], computeCRC32: Bool = true, metadata: ObjectMetadata = ObjectMetadata()
    ) {
        self.contentType = contentType
        self.storageClass = storageClass
        self.tags = tags
        self.computeCRC32 = computeCRC32
        self.metadata = metadata
    }
}

/// One page of a listing, in S3's order (UTF-8 byte order of keys).
public struct ObjectPage: Sendable {
    public var objects: [ObjectInfo]
    /// Pass back as `after` to get the next page; `nil` on the last page.
    public var continuationToken: String?

    public init(objects: [ObjectInfo], continuationToken: String?) {
        self.objects = objects
        self.continuationToken = continuationToken
    }
}

/// HTTP methods a presigned URL can grant.
public enum PresignMethod: String, Sendable {
    case get = "GET"
    case put = "PUT"
}
