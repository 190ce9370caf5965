import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path (`LoggedPath`: no query, no message id), status and
/// time. Never the headers (tokens), the query (signatures) or a body (addresses, passwords).
///
/// Hummingbird's `LogRequestsMiddleware` logs the whole URI, query included, so it is not used.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status, since: start)
            return response
        } catch {
            log(request, context: context, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, since: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        logger.info(Self.line(request.method, path: "\(LoggedPath(request, context: context))", status: status.code, since: start))
    }

    /// The line: `GET /api/labels 200 1.2ms`, with `detail` (an S3 error code) before the time.
    static func line(
        _ method: HTTPRequest.Method, path: String, status: Int, detail: String? = nil, since start: ContinuousClock.Instant
    ) -> Logger.Message {
        "\(method) \(path) \(status)\(detail.map { " " + $0 } ?? "") \(milliseconds(ContinuousClock.now - start))ms"
    }

    /// `elapsed` in milliseconds with one decimal, rounded half up (`12.3`), in integer arithmetic:
    /// `String(format:)` went through Foundation's CFString formatting for every request.
    static func milliseconds(_ elapsed: Duration) -> String {
        // A monotonic clock gives no negative span; clamped so that a caller's mistake prints 0.0.
        let (seconds, attoseconds) = max(elapsed, .zero).components
        // A tenth of a millisecond is 10^14 attoseconds.
        let tenths = seconds * 10_000 + (attoseconds + 50_000_000_000_000) / 100_000_000_000_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
