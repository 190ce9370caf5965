import Foundation

/// Every error PAM's ports and services throw: a stable code plus the context needed to act on it.
///
/// Codes are compared with `==` (`error.code == .notFound`); the message and context are for people.
public struct PAMError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, independent of where.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The codes as an enum, for the package's own tables (the HTTP status and S3 code of each):
        /// they switch over it without `default:`, so a new code does not compile until it is mapped.
        /// Package-only: clients compare codes with `==`, and a new code does not break them.
        package enum Base: String, Sendable, Hashable {
            case notFound, invalidKey, invalidBucket, invalidImage, imageTooLarge
            case invalidArgument, invalidSignature, foreignIssuer, expired, conflict, limitExceeded, io, storage, table, notification
        }
        package let base: Base
        private init(_ base: Base) { self.base = base }

        /// The bucket or object does not exist.
        public static let notFound = Code(.notFound)
        /// The object key is not acceptable (traversal, absolute path, NUL, too long …).
        public static let invalidKey = Code(.invalidKey)
        /// The bucket name is not acceptable.
        public static let invalidBucket = Code(.invalidBucket)
        /// The data is not a decodable JPEG.
        public static let invalidImage = Code(.invalidImage)
        /// The image's dimensions or byte size exceed the limit.
        public static let imageTooLarge = Code(.imageTooLarge)
        /// An argument is out of range or malformed.
        public static let invalidArgument = Code(.invalidArgument)
        /// A presigned URL's signature does not match.
        public static let invalidSignature = Code(.invalidSignature)
        /// A token is genuinely signed but for another issuer (minted for another user pool, port
        /// or base URL): its holder is told why, since the signature already proved the key.
        public static let foreignIssuer = Code(.foreignIssuer)
        /// A presigned URL or token has expired.
        public static let expired = Code(.expired)
        /// The request conflicts with existing state (a key that is also a prefix, say).
        public static let conflict = Code(.conflict)
        /// As many of something as may exist exist already (buckets).
        public static let limitExceeded = Code(.limitExceeded)
        /// A file-system operation failed.
        public static let io = Code(.io)
        /// The object store failed in another way.
        public static let storage = Code(.storage)
        /// The label table failed.
        public static let table = Code(.table)
        /// A notification could not be delivered.
        public static let notification = Code(.notification)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// A sentence for people, without PII.
    public let message: String
    /// The object concerned, when there is one.
    public var ref: ObjectRef?
    /// A path on disk concerned, when there is one.
    public var path: String?
    /// The lower-level error, when there is one.
    public var underlying: (any Error & Sendable)?

    public init(
        _ code: Code, _ message: String, ref: ObjectRef? = nil, path: String? = nil,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.ref = ref
        self.path = path
        self.underlying = underlying
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let ref { text += " [\(ref)]" }
        if let path { text += " [\(path)]" }
        if let underlying { text += " (\(underlying))" }
        return text
    }
}

extension PAMError: LocalizedError {
    public var errorDescription: String? { description }
}
