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
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        if let endpoint, endpoint.contains("{") {
            description = endpoint
        } else if segments.first == "outbox", segments.count > 1 {
            description = "/outbox/{id}"
        } else {
            description = path
        }
    }
}
