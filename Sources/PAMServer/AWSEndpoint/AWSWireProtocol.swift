import Foundation
import HTTPTypes
import Hummingbird
import PAMCore

/// How a non-S3 service's answers and errors look on the wire.
enum AWSWireProtocol: Sendable {
    /// AWS JSON 1.0 / 1.1 (DynamoDB, Rekognition): `X-Amz-Target` names the operation, the body is
    /// JSON of `contentType`; errors are `{"__type": typePrefix + code, "message": …}` with
    /// `x-amzn-ErrorType`.
    case json(contentType: String, typePrefix: String)
    /// AWS query (SNS): a form-encoded `Action=…` body, XML answers in `namespace`; errors are
    /// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
    case query(namespace: String)

    static let requestIDHeader = HTTPField.Name("x-amzn-RequestId")!
    static let errorTypeHeader = HTTPField.Name("x-amzn-ErrorType")!

    var isQuery: Bool {
        if case .query = self { return true }
        return false
    }

    /// A successful JSON answer.
    func json(_ body: ByteBuffer) -> Response {
        guard case .json(let contentType, _) = self else { return xml(String(buffer: body)) }
        return Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: body))
    }

    /// A successful query-protocol answer: `<{action}Response xmlns=…><{action}Result>{result}</…>
    /// <ResponseMetadata><RequestId/></ResponseMetadata></…>`.
    func queryResult(action: String, result: String, requestID: String) -> Response {
        guard case .query(let namespace) = self else { return xml(result) }
        let text =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(action)Response xmlns=\"\(namespace)\">"
            + (result.isEmpty ? "" : "<\(action)Result>\(result)</\(action)Result>")
            + "<ResponseMetadata><RequestId>\(Markup.escape(requestID))</RequestId></ResponseMetadata></\(action)Response>"
        return xml(text)
    }

    private func xml(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `fault` as this protocol's error answer.
    func error(_ fault: AWSServiceFault, requestID: String) -> Response {
        let status = HTTPResponse.Status(code: fault.status)
        switch self {
        case .json(let contentType, let typePrefix):
            let object: [String: String] = ["__type": typePrefix + fault.code, "message": fault.message]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return Response(
                status: status,
                headers: [.contentType: contentType, Self.errorTypeHeader: fault.code, Self.requestIDHeader: requestID],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        case .query(let namespace):
            let text =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"\(namespace)\"><Error><Type>"
                + (fault.isSenderFault ? "Sender" : "Receiver") + "</Type><Code>\(Markup.escape(fault.code))</Code><Message>"
                + Markup.escape(fault.message) + "</Message></Error><RequestId>\(Markup.escape(requestID))</RequestId></ErrorResponse>"
            return Response(
                status: status, headers: [.contentType: "text/xml", Self.requestIDHeader: requestID],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
