import Hummingbird
import Logging

/// Turns whatever a route throws into a `ServerError` and lets it render itself: S3-style XML
/// under a local bucket's path, the API's JSON elsewhere. A 500 is logged (by path and error,
/// never the request's query or headers); other failures are the client's and only answered.
struct ErrorResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    let objectBuckets: Set<String>
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var failure = ServerError.from(error)
            failure.format = RouteArea(path: request.uri.path, objectBuckets: objectBuckets) == .object ? .s3 : .json
            if failure.status == .internalServerError {
                logger.error("request failed", metadata: ["path": "\(LoggedPath(request, context: context))", "error": "\(error)"])
            }
            return try failure.response(from: request, context: context)
        }
    }
}
