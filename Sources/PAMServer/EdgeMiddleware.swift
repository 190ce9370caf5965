import Foundation
import Hummingbird
import Logging

/// The server's edge: turns errors into answers (JSON for the API, S3 XML for objects), adds the
/// reference's CORS headers to every API answer (401s included), answers preflights, and logs one
/// line per request — method, path without query, status, time; never tokens, addresses or message ids.
/// A 413 closes the connection (`Connection: close`, `CloseAfterResponseHandler`), so a client
/// still sending a body it was refused is cut off rather than drained; answers to HEAD carry no body.
struct EdgeMiddleware<Context: RequestContext>: RouterMiddleware {
    let objectBuckets: Set<String>
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let path = request.uri.path
        let isObject = objectBuckets.contains(String(path.dropFirst().prefix { $0 != "/" }))
        // A message's id is not logged, though without a token it is no key to the message.
        let logged = path.hasPrefix("/outbox/") ? "/outbox/{id}" : path
        var response: Response
        if request.method == .options {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, PUT, POST, HEAD, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type"
            response.headers[.accessControlMaxAge] = "600"
        } else {
            do {
                response = try await next(request, context)
            } catch {
                let failure = ServerError.from(error)
                response = isObject ? failure.xmlResponse(requestID: context.id) : failure.jsonResponse()
                if failure.status == .internalServerError {
                    logger.error("request failed", metadata: ["path": "\(logged)", "error": "\(error)"])
                }
            }
        }
        if response.status == .contentTooLarge {
            response.headers[.connection] = "close"
        }
        if request.method == .head {
            response = response.createHeadResponse()
        }
        if path.hasPrefix("/api/") || isObject || request.method == .options {
            response.headers[.accessControlAllowOrigin] = "*"
        }
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        logger.info("\(request.method) \(logged) \(response.status.code) \(String(format: "%.1f", milliseconds))ms")
        return response
    }
}
