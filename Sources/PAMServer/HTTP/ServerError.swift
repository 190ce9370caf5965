import Foundation
import Hummingbird
import PAMCore

/// An error answered at the HTTP edge. It renders itself (`HTTPResponseError`): as the API's JSON
/// body `{"message": "…"}`, or as the object endpoint's S3-style XML error document.
struct ServerError: HTTPResponseError {
    /// The body's style: the API Gateway JSON of the reference, or S3's XML.
    enum Format: Sendable {
        case json
        case s3
    }

    var status: HTTPResponse.Status
    var message: String
    /// S3's error code (`AccessDenied`, `NoSuchKey` …), for object-endpoint answers.
    var s3Code: String?
    var resource: String?
    /// Headers the answer carries whatever its style (`Content-Range` on a 416, `Allow` on a 405).
    var headers: HTTPFields = [:]
    var format: Format = .json

    static func badRequest(_ message: String) -> ServerError { ServerError(status: .badRequest, message: message) }
    static let unauthorized = ServerError(status: .unauthorized, message: "Unauthorized")

    /// The answer to any error thrown by a handler: PAM's codes through `HTTPErrorMapping`,
    /// Hummingbird's HTTP errors by their status, anything else a 500 that says nothing more.
    static func from(_ error: any Error) -> ServerError {
        switch error {
        case let error as ServerError:
            return error
        case let error as PAMError:
            let answer = HTTPErrorMapping.answer(for: error.code)
            return ServerError(status: answer.status, message: error.message, s3Code: answer.s3Code, resource: error.ref?.key)
        case let error as any HTTPResponseError:
            let message = error.status == .contentTooLarge ? "the request body is too large" : error.status.reasonPhrase
            return ServerError(
                status: error.status, message: message,
                s3Code: error.status == .contentTooLarge ? "EntityTooLarge" : nil)
        default:
            return ServerError(status: .internalServerError, message: "internal error")
        }
    }

    /// The answer in this error's format. A 413 closes the connection (`Connection: close`,
    /// `CloseAfterResponseHandler`), so a client still sending a body it was refused is cut off
    /// rather than drained; an answer to HEAD carries no body.
    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response =
            switch format {
            case .json: jsonResponse()
            case .s3: xmlResponse(requestID: context.id)
            }
        if status == .contentTooLarge {
            response.headers[.connection] = "close"
        }
        return request.method == .head ? response.createHeadResponse() : response
    }

    /// `{"message": "…"}`, the API Gateway style of the reference.
    private func jsonResponse() -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["message": message])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: fields(contentType: "application/json"),
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// S3's XML error document.
    private func xmlResponse(requestID: String) -> Response {
        let code = s3Code ?? (status == .notFound ? "NoSuchKey" : "InternalError")
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(Markup.escape(message))</Message>"
        if let resource { xml += "<Key>\(Markup.escape(resource))</Key>" }
        xml += "<RequestId>\(requestID)</RequestId></Error>"
        return Response(
            status: status, headers: fields(contentType: "application/xml"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }

    private func fields(contentType: String) -> HTTPFields {
        var fields = headers
        fields[.contentType] = contentType
        return fields
    }
}
