import Hummingbird

/// The methods each registered route answers, so that a known path asked with another method
/// gets 405 and an `Allow` header rather than 404.
struct RouteMethods: Sendable {
    private let routes: [(path: RouterPath, methods: Set<HTTPRequest.Method>)]

    /// From the router's `(path, method)` pairs. Every GET route also answers HEAD (the router
    /// generates it) and every path answers OPTIONS (the CORS preflight, at the edge).
    init(_ pairs: [(path: RouterPath, method: HTTPRequest.Method)]) {
        var routes: [(path: RouterPath, methods: Set<HTTPRequest.Method>)] = []
        for pair in pairs {
            if let index = routes.firstIndex(where: { $0.path == pair.path }) {
                routes[index].methods.insert(pair.method)
            } else {
                routes.append((pair.path, [pair.method]))
            }
        }
        self.routes = routes.map { route in
            var methods = route.methods
            if methods.contains(.get) { methods.insert(.head) }
            methods.insert(.options)
            return (route.path, methods)
        }
    }

    /// The methods some route at `path` answers; empty when no route has this path.
    func allowed(for path: String) -> Set<HTTPRequest.Method> {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods = Set<HTTPRequest.Method>()
        for route in routes where Self.matches(route.path, segments) { methods.formUnion(route.methods) }
        return methods
    }

    /// The `Allow` header's value for these methods, in a stable order.
    static func allowHeader(_ methods: Set<HTTPRequest.Method>) -> String {
        methods.map(\.rawValue).sorted().joined(separator: ", ")
    }

    /// Whether the path's segments fit the pattern (`**` takes one segment or more).
    static func matches(_ pattern: RouterPath, _ segments: [Substring]) -> Bool {
        var index = 0
        for element in pattern.components {
            if element == .recursiveWildcard { return index < segments.count }
            guard index < segments.count, element ~= segments[index] else { return false }
            index += 1
        }
        return index == segments.count
    }
}

/// Answers 405 with `Allow` when the path is a route's but the method is not.
///
/// Added to the router after every route: Hummingbird applies a middleware only to the routes
/// registered after it, and to the not-found path, so this runs exactly when no route matched.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = routes.allowed(for: request.uri.path)
        guard allowed.isEmpty || allowed.contains(request.method) else {
            throw ServerError(
                status: .methodNotAllowed, message: "\(request.method) is not allowed here", s3Code: "MethodNotAllowed",
                headers: [.allow: RouteMethods.allowHeader(allowed)])
        }
        return try await next(request, context)
    }
}
