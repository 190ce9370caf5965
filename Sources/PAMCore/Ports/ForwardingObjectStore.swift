import Foundation

/// A store that hands every call to `base` except those it implements itself: the one way to
/// wrap a store (fault hooks, test doubles that change one answer), so a wrapper written before
/// a requirement was added forwards it rather than missing it. `addTag(_:toUnchanged:)` is the
/// exception: it is not forwarded but done through the wrapper's own `tags`, `setTags` and `head`
/// (`ObjectStore`'s default), so a wrapper that watches or changes tagging sees every tag added.
/// The file puts (`put(_:file:options:)`, `put(_:file:options:checking:)`) and `putEach` are not
/// forwarded either: they go through the wrapper's own `put(_:body:options:)` (a copy, not the
/// base's rename; one put per object, not the base's hashing together).
public protocol ForwardingObjectStore: ObjectStore {
    /// The store that answers whatever this one does not implement itself.
    var base: any ObjectStore { get }
}

extension ForwardingObjectStore {
    @discardableResult
    public func put(_ ref: ObjectRef, body: ByteStream, options: PutOptions) async throws -> ObjectInfo {
        try await base.put(ref, body: body, options: options)
    }

    public func etag(of body: Data) -> String { base.etag(of: body) }
    public func etags(of bodies: [Data]) -> [String] { base.etags(of: bodies) }
    public func get(_ ref: ObjectRef) async throws -> ByteStream { try await base.get(ref) }
    public func head(_ ref: ObjectRef) async throws -> ObjectInfo { try await base.head(ref) }
    public func fetch(_ ref: ObjectRef) async throws -> (info: ObjectInfo, body: ByteStream) { try await base.fetch(ref) }

    public func list(bucket: String, prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectPage {
        try await base.list(bucket: bucket, prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
    }

    public func delete(_ ref: ObjectRef) async throws { try await base.delete(ref) }
    public func tags(_ ref: ObjectRef) async throws -> [String: String] { try await base.tags(ref) }
    public func setTags(_ ref: ObjectRef, _ tags: [String: String]) async throws { try await base.setTags(ref, tags) }

    public func setStorageClass(_ ref: ObjectRef, _ storageClass: StorageClass) async throws {
        try await base.setStorageClass(ref, storageClass)
    }

    public func presignedURL(_ method: PresignMethod, _ ref: ObjectRef, expiresIn: TimeInterval, contentType: String?) async throws -> URL {
        try await base.presignedURL(method, ref, expiresIn: expiresIn, contentType: contentType)
    }

    public func deletionMarks(in bucket: String) async throws -> [DeletionMark] { try await base.deletionMarks(in: bucket) }
    public func deletionMark(_ ref: ObjectRef) async throws -> DeletionMark? { try await base.deletionMark(ref) }
    public func clearDeletionMark(_ mark: DeletionMark) async throws { try await base.clearDeletionMark(mark) }
}
