import Hummingbird

/// CORS as the reference's API Gateway answers it: `Access-Control-Allow-Origin: *` on every
/// answer of the API and the object endpoint (401s and other errors included), and any
/// `OPTIONS` preflight answered 204 here, before routing.
///
/// Hummingbird's `CORSMiddleware` adds its headers only when the request has an `Origin` and on
/// every path; the reference adds them whatever the request, on its API only, so this is its own.
struct CrossOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    let objectBuckets: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if request.method == .options {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, PUT, POST, HEAD, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type"
            response.headers[.accessControlMaxAge] = "600"
        } else {
            response = try await next(request, context)
        }
        if request.method == .options || RouteArea(path: request.uri.path, objectBuckets: objectBuckets) != .other {
            response.headers[.accessControlAllowOrigin] = "*"
        }
        return response
    }
}
