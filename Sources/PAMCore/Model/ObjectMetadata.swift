/// What S3 keeps beside an object's bytes and replays on GET and HEAD, apart from its content
/// type: the user metadata (`x-amz-meta-*`, names lower-cased as S3 stores them) and the content
/// headers `Cache-Control`, `Content-Disposition`, `Content-Encoding`, `Content-Language`, `Expires`.
public struct ObjectMetadata: Sendable, Hashable, Codable {
    /// User metadata: name (without `x-amz-meta-`, lower case) → value.
    public var user: [String: String]
    public var cacheControl: String?
    public var contentDisposition: String?
    public var contentEncoding: String?
    public var contentLanguage: String?
    /// The `Expires` header as the client sent it (S3 keeps the text).
    public var expires: String?

    /// S3's limit on user metadata: the UTF-8 bytes of every name and value, at most 2 KB.
    public static let maximumUserBytes = 2048

    public init(
        user: [String: String] = [:], cacheControl: String? = nil, contentDisposition: String? = nil, contentEncoding: String? = nil,
        contentLanguage: String? = nil, expires: String? = nil
    ) {
        self.user = Dictionary(user.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.cacheControl = cacheControl
        self.contentDisposition = contentDisposition
        self.contentEncoding = contentEncoding
        self.contentLanguage = contentLanguage
        self.expires = expires
    }

    public var isEmpty: Bool { self == ObjectMetadata() }

    /// The size S3 measures against ``maximumUserBytes``: the UTF-8 bytes of names and values.
    public var userBytes: Int { user.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count } }

    /// The content headers, by their HTTP names, in a fixed order; absent ones left out.
    public var contentHeaders: [(name: String, value: String)] {
        [
            ("Cache-Control", cacheControl), ("Content-Disposition", contentDisposition), ("Content-Encoding", contentEncoding),
            ("Content-Language", contentLanguage), ("Expires", expires),
        ]
        .compactMap { name, value in value.map { (name: name, value: $0) } }
    }

    private enum CodingKeys: String, CodingKey {
        case user, cacheControl, contentDisposition, contentEncoding, contentLanguage, expires
    }

    /// Absent fields are empty, so `{}` (what rows written before metadata hold) is no metadata.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            user: try container.decodeIfPresent([String: String].self, forKey: .user) ?? [:],
            cacheControl: try container.decodeIfPresent(String.self, forKey: .cacheControl),
            contentDisposition: try container.decodeIfPresent(String.self, forKey: .contentDisposition),
            contentEncoding: try container.decodeIfPresent(String.self, forKey: .contentEncoding),
            contentLanguage: try container.decodeIfPresent(String.self, forKey: .contentLanguage),
            expires: try container.decodeIfPresent(String.self, forKey: .expires))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !user.isEmpty { try container.encode(user, forKey: .user) }
        try container.encodeIfPresent(cacheControl, forKey: .cacheControl)
        try container.encodeIfPresent(contentDisposition, forKey: .contentDisposition)
        try container.encodeIfPresent(contentEncoding, forKey: .contentEncoding)
        try container.encodeIfPresent(contentLanguage, forKey: .contentLanguage)
        try container.encodeIfPresent(expires, forKey: .expires)
    }
}
