import Foundation

/// A bucket as ListBuckets names it.
public struct BucketInfo: Sendable, Hashable {
    public var name: String
    public var created: Date
    /// One of the buckets the app itself uses (`pam-storage`, `pam-working`): it cannot be deleted.
    public var pinned: Bool

    public init(name: String, created: Date, pinned: Bool = false) {
        self.name = name
        self.created = created
        self.pinned = pinned
    }
}

/// The buckets of an object store and their configurations: what S3's bucket operations read and
/// change. Errors: `.invalidBucket` for a name S3 would refuse, `.notFound` for a missing bucket,
/// `.conflict` for one that exists already (create) or still holds objects (delete).
public protocol BucketCatalog: Sendable {
    /// Every bucket, by name.
    func buckets() async throws -> [BucketInfo]

    /// The bucket, or nil when there is none of that name.
    func bucket(named name: String) async throws -> BucketInfo?

    /// Creates an empty bucket without lifecycle or CORS configuration.
    @discardableResult
    func createBucket(_ name: String) async throws -> BucketInfo

    /// Deletes an empty bucket and its configurations; `.conflict` for a pinned one.
    func deleteBucket(_ name: String) async throws

    /// The bucket's lifecycle rules; nil when it has no lifecycle configuration.
    func lifecycle(of bucket: String) async throws -> [LifecycleRule]?

    /// Replaces (nil: deletes) the bucket's lifecycle configuration.
    func setLifecycle(_ rules: [LifecycleRule]?, of bucket: String) async throws

    /// The bucket's CORS rules; nil when it has no CORS configuration.
    func cors(of bucket: String) async throws -> [CORSRule]?

    /// Replaces (nil: deletes) the bucket's CORS configuration.
    func setCORS(_ rules: [CORSRule]?, of bucket: String) async throws
}

extension BucketCatalog {
    /// Every bucket's lifecycle rules, for `LifecycleService`.
    public func lifecycles() async throws -> [BucketLifecycle] {
        var lifecycles: [BucketLifecycle] = []
        for bucket in try await buckets() {
            if let rules = try await lifecycle(of: bucket.name) { lifecycles.append(BucketLifecycle(bucket: bucket.name, rules: rules)) }
        }
        return lifecycles
    }
}
