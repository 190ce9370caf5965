/// One rule of a bucket's CORS configuration, as S3 stores it (`CORSRule`).
public struct CORSRule: Sendable, Hashable, Codable {
    public var id: String?
    public var allowedMethods: [String]
    public var allowedOrigins: [String]
    public var allowedHeaders: [String]
    public var exposeHeaders: [String]
    public var maxAgeSeconds: Int?

    public init(
        id: String? = nil, allowedMethods: [String], allowedOrigins: [String], allowedHeaders: [String] = [],
        exposeHeaders: [String] = [], maxAgeSeconds: Int? = nil
    ) {
        self.id = id
        self.allowedMethods = allowedMethods
        self.allowedOrigins = allowedOrigins
        self.allowedHeaders = allowedHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAgeSeconds = maxAgeSeconds
    }
}
