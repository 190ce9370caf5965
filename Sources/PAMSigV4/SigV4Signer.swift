import Crypto
import Foundation
import PAMCore

/// AWS Signature Version 4, as a pure value: the same inputs and date always give the same
/// signature, and each stage (canonical request, string to sign, signing key, signature) can be
/// checked on its own against AWS's test suite.
public struct SigV4Signer: Sendable {
    /// Service-specific signing rules.
    public struct Rules: Sendable, Hashable {
        /// Remove `.`/`..` segments and repeated slashes from the path before signing (every
        /// service but S3).
        public var normalizePath: Bool
        /// Add and sign `x-amz-content-sha256` in header signing (S3 requires it).
        public var signContentHash: Bool
        /// Add the session token after signing instead of signing it (a few services want that).
        public var omitSessionToken: Bool

        public init(normalizePath: Bool = true, signContentHash: Bool = false, omitSessionToken: Bool = false) {
            self.normalizePath = normalizePath
            self.signContentHash = signContentHash
            self.omitSessionToken = omitSessionToken
        }

        /// DynamoDB, SNS, Rekognition …
        public static let standard = Rules()
        /// S3: no path normalisation, single URI encoding, `x-amz-content-sha256` on every request.
        public static let s3 = Rules(normalizePath: false, signContentHash: true)
    }

    /// The result of header signing: the headers to add to the request, in order.
    public struct SignedHeaders: Sendable, Hashable {
        public var headers: [SigV4Request.Field]
        public var signature: String
        /// The stages that led to the signature, for tests and debugging.
        public var canonicalRequest: String
        public var stringToSign: String
    }

    /// The result of presigning: the query items to append, in the order AWS's suite writes them,
    /// and the query string as botocore writes it in URLs.
    public struct Presigned: Sendable, Hashable {
        public var parameters: [SigV4Request.Field]
        public var signature: String
        public var canonicalRequest: String
        public var stringToSign: String
        /// The request's items (sorted, encoded), the `X-Amz-*` items in botocore's order, then
        /// `X-Amz-Signature`: character for character what botocore puts in a presigned URL.
        public var encodedQuery: String
    }

    public static let algorithm = "AWS4-HMAC-SHA256"

    public var credentials: AWSCredentials
    public var region: String
    public var service: String
    public var rules: Rules

    public init(credentials: AWSCredentials, region: String, service: String, rules: Rules = .standard) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.rules = rules
    }

    // MARK: Signing

    /// Signs `request` in the `Authorization` header at `date`.
    public func sign(_ request: SigV4Request, date: Date) -> SignedHeaders {
        let timestamp = AWSTimestamp(date)
        let added = headersAdded(to: request, timestamp: timestamp)
        var signed = request
        signed.headers += added.filter { !($0.name == "X-Amz-Security-Token" && rules.omitSessionToken) }
        let canonical = canonicalRequest(signed, timestamp: timestamp)
        let toSign = stringToSign(canonicalRequest: canonical, timestamp: timestamp)
        let signature = self.signature(stringToSign: toSign, timestamp: timestamp)
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope(timestamp)), "
            + "SignedHeaders=\(signedHeaderNames(signed.headers)), Signature=\(signature)"
        return SignedHeaders(
            headers: added + [SigV4Request.Field("Authorization", authorization)], signature: signature,
            canonicalRequest: canonical, stringToSign: toSign)
    }

    /// Presigns `request` for `expires` seconds from `date`: the signature goes into the query.
    public func presign(_ request: SigV4Request, date: Date, expires: Int) -> Presigned {
        let timestamp = AWSTimestamp(date)
        let authQuery = authorizationQuery(request, timestamp: timestamp, expires: expires)
        var signed = request
        signed.query += authQuery.filter { !($0.name == "X-Amz-Security-Token" && rules.omitSessionToken) }
        let canonical = canonicalRequest(signed, timestamp: timestamp)
        let toSign = stringToSign(canonicalRequest: canonical, timestamp: timestamp)
        let signature = self.signature(stringToSign: toSign, timestamp: timestamp)
        // The URL's query as botocore writes it: the request's own items, then the X-Amz-* items in
        // botocore's order, then the signature.
        let botocoreOrder = [
            "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Security-Token",
        ]
        let auth = botocoreOrder.compactMap { name in authQuery.first { $0.name == name } }
            .map { "\($0.name)=\(AWSPercentEncoding.encode($0.value))" }
        let encodedQuery = ([Self.canonicalQuery(request.query)].filter { !$0.isEmpty } + auth + ["X-Amz-Signature=\(signature)"])
            .joined(separator: "&")
        return Presigned(
            parameters: authQuery + [SigV4Request.Field("X-Amz-Signature", signature)],
            signature: signature, canonicalRequest: canonical, stringToSign: toSign, encodedQuery: encodedQuery)
    }

    // MARK: Stages

    /// Stage 1: the canonical request. For header signing, `request.headers` must already hold the
    /// headers `sign` adds; for presigning, `request.query` the `X-Amz-*` items.
    public func canonicalRequest(_ request: SigV4Request, timestamp: AWSTimestamp) -> String {
        [
            request.method,
            canonicalPath(request.path),
            Self.canonicalQuery(request.query),
            canonicalHeaders(request.headers) + "\n",
            signedHeaderNames(request.headers),
            request.payload.hash,
        ].joined(separator: "\n")
    }

    /// Stage 2: the string to sign.
    public func stringToSign(canonicalRequest: String, timestamp: AWSTimestamp) -> String {
        [Self.algorithm, timestamp.dateTime, scope(timestamp), SHA256.hash(data: Data(canonicalRequest.utf8)).hexString]
            .joined(separator: "\n")
    }

    /// Stage 3: the signing key, derived from the secret for one day, region and service.
    public func signingKey(timestamp: AWSTimestamp) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [timestamp.date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// Stage 4: the hex signature of `stringToSign`.
    public func signature(stringToSign: String, timestamp: AWSTimestamp) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(timestamp: timestamp))).hexString
    }

    /// `20150830/us-east-1/service/aws4_request`
    public func scope(_ timestamp: AWSTimestamp) -> String {
        "\(timestamp.date)/\(region)/\(service)/aws4_request"
    }

    // MARK: Pieces

    /// The headers `sign` adds before signing: session token, date and (S3) content hash.
    private func headersAdded(to request: SigV4Request, timestamp: AWSTimestamp) -> [SigV4Request.Field] {
        var added: [SigV4Request.Field] = []
        if let token = credentials.sessionToken { added.append(SigV4Request.Field("X-Amz-Security-Token", token)) }
        added.append(SigV4Request.Field("X-Amz-Date", timestamp.dateTime))
        if rules.signContentHash { added.append(SigV4Request.Field("x-amz-content-sha256", request.payload.hash)) }
        return added
    }

    /// The `X-Amz-*` query items of a presigned request, in AWS's suite order.
    private func authorizationQuery(_ request: SigV4Request, timestamp: AWSTimestamp, expires: Int) -> [SigV4Request.Field] {
        var items = [
            SigV4Request.Field("X-Amz-Algorithm", Self.algorithm),
            SigV4Request.Field("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(timestamp))"),
            SigV4Request.Field("X-Amz-Date", timestamp.dateTime),
            SigV4Request.Field("X-Amz-SignedHeaders", signedHeaderNames(request.headers)),
            SigV4Request.Field("X-Amz-Expires", String(expires)),
        ]
        if let token = credentials.sessionToken { items.append(SigV4Request.Field("X-Amz-Security-Token", token)) }
        return items
    }

    func canonicalPath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : "/" + path
        guard rules.normalizePath else { return AWSPercentEncoding.encode(absolute, keepSlash: true) }
        var segments: [Substring] = []
        for segment in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        guard !segments.isEmpty else { return "/" }
        let trailing = absolute.hasSuffix("/") ? "/" : ""
        return "/" + segments.map { AWSPercentEncoding.encode($0) }.joined(separator: "/") + trailing
    }

    /// Items encoded, then sorted by name and value.
    public static func canonicalQuery(_ query: [SigV4Request.Field]) -> String {
        query.map { (AWSPercentEncoding.encode($0.name), AWSPercentEncoding.encode($0.value)) }
            .sorted { $0.0 != $1.0 ? $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) : $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// `name:value` lines sorted by lower-case name; repeated names joined with commas in order;
    /// values trimmed with inner runs of white space collapsed.
    private func canonicalHeaders(_ headers: [SigV4Request.Field]) -> String {
        groupedHeaders(headers).map { "\($0.name):\($0.value)" }.joined(separator: "\n")
    }

    func signedHeaderNames(_ headers: [SigV4Request.Field]) -> String {
        groupedHeaders(headers).map(\.name).joined(separator: ";")
    }

    private func groupedHeaders(_ headers: [SigV4Request.Field]) -> [SigV4Request.Field] {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased()
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(Self.collapseWhitespace(header.value))
        }
        return order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { SigV4Request.Field($0, values[$0, default: []].joined(separator: ",")) }
    }

    static func collapseWhitespace(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            .joined(separator: " ")
    }
}

/// A signing time in SigV4's two formats.
public struct AWSTimestamp: Sendable, Hashable {
    /// `20150830T123600Z`
    public let dateTime: String
    /// `20150830`
    public let date: String

    public init(_ date: Date) {
        self.date = DateText.day(date)
        self.dateTime = DateText.compact(date)
    }

    /// The timestamp written `20150830T123600Z`, as `X-Amz-Date` carries it; nil for anything else.
    public init?(dateTime: String) {
        guard let moment = DateText.parseCompact(dateTime) else { return nil }
        self.init(moment)
    }
}
