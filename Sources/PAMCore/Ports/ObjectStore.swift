import Foundation

/// Buckets of objects, shaped like the slice of S3 that PAM uses.
public protocol ObjectStore: Sendable {
    /// Stores `body` under `ref`, replacing any object there. Readers never see a partial object.
    @discardableResult
    func put(_ ref: ObjectRef, body: ByteStream, options: PutOptions) async throws -> ObjectInfo

    /// Stores each body under its ref as `put(_:body:options:)` does, one after another, and answers
    /// each object's outcome in order: a failure is its object's alone. A store may hash the bodies
    /// together (the local store computes their MD5s side by side in SIMD lanes).
    func putEach(_ objects: [(ref: ObjectRef, body: Data)], options: PutOptions) async -> [Result<ObjectInfo, any Error>]

    /// Stores the complete file at `file` under `ref`, as `put(_:body:options:)` stores its bytes.
    /// A store may take the file itself (a rename on its own file system) rather than copy it, so
    /// the caller does not use the file afterwards, and removes it only if it is still there.
    @discardableResult
    func put(_ ref: ObjectRef, file: URL, options: PutOptions) async throws -> ObjectInfo

    /// Stores the complete file at `file` under `ref` as `put(_:file:options:)` does, once `check`
    /// has accepted its bytes: `check` gets them whole (memory-mapped) and refuses them by
    /// throwing, which stores nothing and passes its error on unchanged. A store that takes the file
    /// itself hashes the very mapping `check` read, so an upload is mapped once; the ETag is
    /// still the store's own, computed from the bytes it stores.
    func put<Checked: Sendable>(
        _ ref: ObjectRef, file: URL, options: PutOptions, checking check: (Data) async throws -> Checked
    ) async throws -> (info: ObjectInfo, checked: Checked)

    /// The ETag `put` records for an object of exactly these bytes, computed the way this store
    /// computes it (its multipart part size included), so content can be compared with stored
    /// objects before it is uploaded.
    func etag(of body: Data) -> String

    /// `etag(of:)` of each body, in order; a store may compute them together (the local store
    /// hashes them side by side in SIMD lanes).
    func etags(of bodies: [Data]) -> [String]

    /// The object's body as a stream. Throws `.notFound` when absent.
    func get(_ ref: ObjectRef) async throws -> ByteStream

    /// The object's metadata. Throws `.notFound` when absent.
    func head(_ ref: ObjectRef) async throws -> ObjectInfo

    /// The object's metadata and body, of one and the same version even while it is being
    /// overwritten (a `head` then a `get` may each see another). Throws `.notFound` when absent.
    func fetch(_ ref: ObjectRef) async throws -> (info: ObjectInfo, body: ByteStream)

    /// One page of the bucket's objects whose keys start with `prefix`, after `continuationToken`.
    func list(bucket: String, prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectPage

    /// Deletes the object; deleting an absent object succeeds, as on S3.
    func delete(_ ref: ObjectRef) async throws

    /// The object's tags. Throws `.notFound` when the object is absent.
    func tags(_ ref: ObjectRef) async throws -> [String: String]

    /// Replaces the object's tags; tags over `ObjectTags`' limits are `.invalidArgument`.
    func setTags(_ ref: ObjectRef, _ tags: [String: String]) async throws

    /// Adds the tag `tag` to each of `objects` whose ETag is still `etag`, keeping its other tags,
    /// and answers per object whether it was tagged. An object that is gone, or whose ETag differs
    /// after tagging (it was overwritten), answers false; tags over `ObjectTags`' limits throw.
    func addTag(_ tag: (key: String, value: String), toUnchanged objects: [(ref: ObjectRef, etag: String)]) async throws -> [Bool]

    /// Moves the object to another storage class, keeping its body and tags.
    func setStorageClass(_ ref: ObjectRef, _ storageClass: StorageClass) async throws

    /// A URL that grants `method` on `ref` until `expiresIn` seconds from now; for PUT it is bound
    /// to `contentType`.
    func presignedURL(_ method: PresignMethod, _ ref: ObjectRef, expiresIn: TimeInterval, contentType: String?) async throws -> URL

    /// The deletions in `bucket` still on record (``DeletionMark``), in key order.
    func deletionMarks(in bucket: String) async throws -> [DeletionMark]

    /// The deletion of `ref` still on record, if any.
    func deletionMark(_ ref: ObjectRef) async throws -> DeletionMark?

    /// Takes `mark` off the record, unless the key was deleted again since (another id).
    func clearDeletionMark(_ mark: DeletionMark) async throws
}

extension ObjectStore {
    /// A store that keeps no deletions on record has none: on S3 the durable record of a
    /// deletion is its event notification, which S3 delivers at least once.
    public func deletionMarks(in bucket: String) async throws -> [DeletionMark] { [] }
    public func deletionMark(_ ref: ObjectRef) async throws -> DeletionMark? { nil }
    public func clearDeletionMark(_ mark: DeletionMark) async throws {}

    /// Each body through `etag(of:)`.
    public func etags(of bodies: [Data]) -> [String] { bodies.map(etag(of:)) }

    /// Each object through `put(_:body:options:)`.
    public func putEach(_ objects: [(ref: ObjectRef, body: Data)], options: PutOptions) async -> [Result<ObjectInfo, any Error>] {
        var outcomes: [Result<ObjectInfo, any Error>] = []
        outcomes.reserveCapacity(objects.count)
        for object in objects { outcomes.append(await Result { try await put(object.ref, body: .data(object.body), options: options) }) }
        return outcomes
    }

    /// Streams the file's bytes to `put(_:body:options:)`: the file stays where it is.
    @discardableResult
    public func put(_ ref: ObjectRef, file: URL, options: PutOptions) async throws -> ObjectInfo {
        try await put(ref, body: try ByteStream.file(file, chunkSize: 1 << 20), options: options)
    }

    /// Maps the file for `check`, then stores it with `put(_:file:options:)`.
    public func put<Checked: Sendable>(
        _ ref: ObjectRef, file: URL, options: PutOptions, checking check: (Data) async throws -> Checked
    ) async throws -> (info: ObjectInfo, checked: Checked) {
        let checked = try await check(try Self.mappedContents(of: file, ref: ref))
        return (try await put(ref, file: file, options: options), checked)
    }

    /// The file's bytes, memory-mapped (not read), for `put(_:file:options:checking:)`.
    public static func mappedContents(of file: URL, ref: ObjectRef) throws -> Data {
        do {
            return try Data(contentsOf: file, options: .alwaysMapped)
        } catch {
            throw PAMError(.io, "cannot read the file to store", ref: ref, path: file.path, underlying: error)
        }
    }

    /// Each object in turn: its tags read, the tag added, then its ETag compared (S3 has no
    /// conditional tagging, so an object overwritten meanwhile may keep the tag; it answers false).
    public func addTag(_ tag: (key: String, value: String), toUnchanged objects: [(ref: ObjectRef, etag: String)]) async throws -> [Bool] {
        var answers: [Bool] = []
        answers.reserveCapacity(objects.count)
        for object in objects {
            var tags: [String: String]
            do { tags = try await self.tags(object.ref) } catch let error as PAMError where error.code == .notFound {
                answers.append(false)
                continue
            }
            tags[tag.key] = tag.value
            do {
                try await setTags(object.ref, tags)
                answers.append(try await head(object.ref).etag == object.etag)
            } catch let error as PAMError where error.code == .notFound {
                answers.append(false) // deleted meanwhile
            }
        }
        return answers
    }

    /// `head`, then `get`: for a store that cannot answer both from one version (each is one
    /// request to S3; an overwrite between them is not detected).
    public func fetch(_ ref: ObjectRef) async throws -> (info: ObjectInfo, body: ByteStream) {
        (try await head(ref), try await get(ref))
    }

    /// Every object in the bucket under `prefix`, page by page.
    public func listAll(bucket: String, prefix: String = "", pageSize: Int = 1000) -> AsyncThrowingStream<ObjectInfo, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var token: String?
                    repeat {
                        let page = try await list(bucket: bucket, prefix: prefix, continuationToken: token, maxKeys: pageSize)
                        for object in page.objects { continuation.yield(object) }
                        token = page.continuationToken
                    } while token != nil
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
