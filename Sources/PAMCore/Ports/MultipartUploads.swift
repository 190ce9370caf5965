import Foundation

/// An upload in progress: the object it will become and the options it will be stored with.
public struct MultipartUpload: Sendable, Hashable {
    /// The upload id clients pass back (URL-safe).
    public var id: String
    public var ref: ObjectRef
    public var options: PutOptions
    public var initiated: Date

    public init(id: String, ref: ObjectRef, options: PutOptions, initiated: Date) {
        self.id = id
        self.ref = ref
        self.options = options
        self.initiated = initiated
    }
}

/// A part stored for an upload.
public struct UploadedPart: Sendable, Hashable {
    /// 1 to 10,000.
    public var number: Int
    /// The hex MD5 of the part's bytes (its ETag, without quotes).
    public var etag: String
    public var size: Int64
    public var lastModified: Date

    public init(number: Int, etag: String, size: Int64, lastModified: Date) {
        self.number = number
        self.etag = etag
        self.size = size
        self.lastModified = lastModified
    }
}

/// Objects built from parts, S3's multipart uploads: parts are stored as they come, any number
/// of times each, and the object appears only when the upload completes, whole, as if it had been
/// put. Uploads and their parts outlive the process until completed or aborted.
public protocol MultipartUploads: Sendable {
    /// Starts an upload of `ref`, to be stored with `options`.
    func create(_ ref: ObjectRef, options: PutOptions) async throws -> MultipartUpload

    /// The upload `id` of `ref`; `MultipartUploadError` `.noSuchUpload` when there is none.
    func upload(_ id: String, of ref: ObjectRef) async throws -> MultipartUpload

    /// Stores part `number` (1 to `MultipartRules.maximumPartNumber`), replacing an earlier one of that number.
    func putPart(_ number: Int, upload id: String, of ref: ObjectRef, body: ByteStream) async throws -> UploadedPart

    /// Up to `limit` parts of the upload numbered above `after`, in ascending order.
    func parts(upload id: String, of ref: ObjectRef, after: Int, limit: Int) async throws -> [UploadedPart]

    /// Installs the object from `parts` (number and ETag of each, as the client lists them), checked
    /// by `MultipartRules.check`, and forgets the upload; the object's ETag is S3's `-N` form.
    func complete(_ id: String, of ref: ObjectRef, parts: [(number: Int, etag: String)]) async throws -> ObjectInfo

    /// Forgets the upload and its parts; `.noSuchUpload` when there is none.
    func abort(_ id: String, of ref: ObjectRef) async throws

    /// Up to `limit` uploads in `bucket` with keys starting with `prefix`, ordered by key then id,
    /// after (`keyMarker`, `idMarker`): keys after `keyMarker`, or equal to it with ids after `idMarker`.
    func uploads(bucket: String, prefix: String, keyMarker: String?, idMarker: String?, limit: Int) async throws -> [MultipartUpload]
}
