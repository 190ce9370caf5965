/// Why a multipart upload operation was refused, with S3's own reasons (`NoSuchUpload`,
/// `InvalidPart`, `InvalidPartOrder`, `EntityTooSmall`) and the context to act on it.
public struct MultipartUploadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The upload does not exist: never created, completed, or aborted.
        case noSuchUpload = "NoSuchUpload"
        /// A listed part was not uploaded, or its ETag is not the stored part's.
        case invalidPart = "InvalidPart"
        /// The listed parts are not in strictly ascending order.
        case invalidPartOrder = "InvalidPartOrder"
        /// A part other than the last is smaller than the minimum part size.
        case entityTooSmall = "EntityTooSmall"
    }

    public let code: Code
    public let message: String
    public var ref: ObjectRef
    public var uploadID: String
    /// The part concerned, when there is one.
    public var partNumber: Int?
    /// The ETag the client listed for it, when there is one.
    public var etag: String?

    public init(_ code: Code, _ message: String, ref: ObjectRef, uploadID: String, partNumber: Int? = nil, etag: String? = nil) {
        self.code = code
        self.message = message
        self.ref = ref
        self.uploadID = uploadID
        self.partNumber = partNumber
        self.etag = etag
    }

    public var description: String {
        "\(code.rawValue): \(message) [\(ref), upload \(uploadID)\(partNumber.map { ", part \($0)" } ?? "")]"
    }
}
