import Hummingbird
import PAMCore

/// The server's request context: Hummingbird's core context plus the signed-in user, set by
/// `BearerAuthenticationMiddleware` on the routes that need one.
struct PAMRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The user the request's bearer token speaks for; nil before (or without) authentication.
    var identity: UserIdentity?

    init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// The signed-in user, or 401: a route that reads it without the middleware in front of it
    /// refuses every request rather than serving anyone.
    func requireIdentity() throws -> UserIdentity {
        guard let identity else { throw ServerError.unauthorized }
        return identity
    }
}
