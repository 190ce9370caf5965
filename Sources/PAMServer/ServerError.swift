import Foundation
import Hummingbird
import PAMCore

/// An error answered at the HTTP edge: a status and a message for the API's JSON body, or an
/// S3-style code for the object endpoint's XML body.
struct ServerError: Error {
    var status: HTTPResponse.Status
    var message: String
    /// S3's error code (`AccessDenied`, `NoSuchKey` …), for object-endpoint answers.
    var s3Code: String?
    var resource: String?
    /// Headers the answer carries whatever its style (`Content-Range` on a 416, `Allow` on a 405).
    var headers: HTTPFields = [:]

    static func badRequest(_ message: String) -> ServerError { ServerError(status: .badRequest, message: message) }
    static let unauthorized = ServerError(status: .unauthorized, message: "Unauthorized")

    /// The answer to any error thrown by a handler, in the API's or the object endpoint's style.
    static func from(_ error: any Error) -> ServerError {
        switch error {
        case let error as ServerError:
            return error
        case let error as PAMError:
            return ServerError(status: HTTPErrorMapping.status(for: error.code), message: error.message,
                               s3Code: s3Code(for: error.code), resource: error.ref?.key)
        case let error as any HTTPResponseError:
            let message = error.status == .contentTooLarge ? "the request body is too large" : error.status.reasonPhrase
            return ServerError(status: error.status, message: message,
                               s3Code: error.status == .contentTooLarge ? "EntityTooLarge" : nil)
        default:
            return ServerError(status: .internalServerError, message: "internal error")
        }
    }

    static func s3Code(for code: PAMError.Code) -> String {
        switch code {
        case .notFound: "NoSuchKey"
        case .invalidSignature: "SignatureDoesNotMatch"
        case .expired: "AccessDenied"
        case .invalidKey, .invalidBucket, .invalidArgument, .invalidImage: "InvalidArgument"
        case .imageTooLarge: "EntityTooLarge"
        case .conflict: "OperationAborted"
        default: "InternalError"
        }
    }

    /// `{"message": "…"}`, the API Gateway style of the reference.
    func jsonResponse() -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["message": message])) ?? Data("{}".utf8)
        return Response(status: status, headers: fields(contentType: "application/json"), body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// S3's XML error document.
    func xmlResponse(requestID: String) -> Response {
        let code = s3Code ?? (status == .notFound ? "NoSuchKey" : "InternalError")
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(Markup.escape(message))</Message>"
        if let resource { xml += "<Key>\(Markup.escape(resource))</Key>" }
        xml += "<RequestId>\(requestID)</RequestId></Error>"
        return Response(status: status, headers: fields(contentType: "application/xml"), body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }

    private func fields(contentType: String) -> HTTPFields {
        var fields = headers
        fields[.contentType] = contentType
        return fields
    }
}
