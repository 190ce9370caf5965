import Foundation

/// An HTTP request as the endpoint received it, before its signature is checked: a plain value,
/// independent of the HTTP server, so verification is tested without one.
///
/// Unlike `SigV4Request` (what a client is about to sign), the path and query items are *raw*, as
/// they appear on the request line, still percent-encoded; the verifier decodes and re-encodes them
/// the way the signer does, so both sides share one canonicalisation. A `+` in the query is a plus,
/// not a space: SigV4 clients encode a space as `%20`.
public struct SigV4ReceivedRequest: Sendable, Hashable {
    public var method: String
    /// The raw path, starting with `/`, without the query.
    public var path: String
    /// The raw query items, in order (`name=value`; a bare `name` has an empty value).
    public var query: [SigV4Request.Field]
    /// The headers, in order; names in any case, repeated names allowed.
    public var headers: [SigV4Request.Field]
    /// The hex SHA-256 of the body, when the caller has read it. Needed only for services that sign
    /// the body's hash without sending `x-amz-content-sha256` (the JSON and Query protocols).
    public var bodySHA256: String?

    public init(method: String, path: String, query: [SigV4Request.Field] = [], headers: [SigV4Request.Field], bodySHA256: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.bodySHA256 = bodySHA256
    }

    /// A request from its raw request target, `/bucket/key?list-type=2&prefix=a%2Fb`.
    public init(method: String, target: String, headers: [SigV4Request.Field], bodySHA256: String? = nil) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query = parts.count > 1 ? Self.parseQuery(parts[1]) : []
        self.init(method: method, path: String(parts[0]), query: query, headers: headers, bodySHA256: bodySHA256)
    }

    /// `a=1&b&c=` as raw items; empty items (`&&`) are skipped.
    public static func parseQuery(_ text: Substring) -> [SigV4Request.Field] {
        text.split(separator: "&").map { item in
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return SigV4Request.Field(String(pair[0]), pair.count > 1 ? String(pair[1]) : "")
        }
    }

    /// The values of header `name` (any case), in order.
    public func headerValues(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return headers.filter { $0.name.lowercased() == lowered }.map(\.value)
    }

    /// The first value of header `name` (any case), trimmed.
    public func header(_ name: String) -> String? {
        headerValues(name).first.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The decoded value of the first query item named exactly `name`.
    public func queryValue(_ name: String) -> String? {
        query.first { AWSPercentEncoding.decode($0.name) == name }.map { AWSPercentEncoding.decode($0.value) }
    }
}
