import Hummingbird

/// A request's path as the log shows it: without the query (signatures, tokens, `state` live
/// there), and with a message's id replaced by `{id}` — a route's parameters are logged as the
/// route's pattern (`/outbox/{id}`), and any other path under `/outbox` (another method's 405,
/// say) is redacted the same way, however many slashes it starts with.
struct LoggedPath: CustomStringConvertible, Sendable {
    let description: String

    init(_ request: Request, context: some RequestContext) {
        self.init(path: request.uri.path, endpoint: context.endpointPath)
    }

    /// `endpoint` is the pattern of the route that matched (Hummingbird's `endpointPath`), if any.
    init(path: String, endpoint: String?) {
        if let endpoint, endpoint.contains("{") {
            description = endpoint
        } else if Self.isUnderOutbox(path) {
            description = "/outbox/{id}"
        } else {
            description = path
        }
    }

    /// Whether the path's first segment is `outbox` and another follows (empty segments skipped),
    /// read from its UTF-8 without splitting it: this runs for every request.
    static func isUnderOutbox(_ path: String) -> Bool {
        var rest = path.utf8.drop { $0 == UInt8(ascii: "/") }
        guard rest.starts(with: "outbox".utf8) else { return false }
        rest = rest.dropFirst(6)
        guard rest.first == UInt8(ascii: "/") else { return false }
        return rest.contains { $0 != UInt8(ascii: "/") }
    }
}
