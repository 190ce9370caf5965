import Foundation
import HTTPTypes
import Hummingbird
import PAMCore
import PAMSigV4

/// A refusal of the AWS endpoint, as S3 words it: the code, the HTTP status, the message and the
/// extra elements of S3's XML error document, rendered as
/// `<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>`.
struct S3Error: Error, Sendable, Hashable, CustomStringConvertible {
    var code: String
    var status: Int
    var message: String
    /// Extra elements, in order (`<Key>`, `<BucketName>`, `<StringToSign>` …).
    var details: [SigV4Error.Detail] = []
    /// Headers the answer carries (`Content-Range` on a 416).
    var headers: HTTPFields = [:]

    var description: String { "\(code) (\(status)): \(message)" }

    static func noSuchBucket(_ bucket: String) -> S3Error {
        S3Error(code: "NoSuchBucket", status: 404, message: "The specified bucket does not exist", details: [.init("BucketName", bucket)])
    }

    static func noSuchKey(_ key: String) -> S3Error {
        S3Error(code: "NoSuchKey", status: 404, message: "The specified key does not exist.", details: [.init("Key", key)])
    }

    /// 501 for an operation this endpoint does not emulate, naming it.
    static func notImplemented(_ operation: String) -> S3Error {
        S3Error(
            code: "NotImplemented", status: 501,
            message: "A header or query you provided implies functionality that is not implemented: PAM does not emulate \(operation) yet")
    }

    static func invalidArgument(_ message: String, name: String, value: String) -> S3Error {
        S3Error(
            code: "InvalidArgument", status: 400, message: message,
            details: [.init("ArgumentName", name), .init("ArgumentValue", value)])
    }

    /// 412: the conditional header `condition` (as S3 names it) did not hold.
    static func preconditionFailed(_ condition: String) -> S3Error {
        S3Error(
            code: "PreconditionFailed", status: 412, message: "At least one of the pre-conditions you specified did not hold",
            details: [.init("Condition", condition)])
    }

    static func invalidRequest(_ message: String) -> S3Error {
        S3Error(code: "InvalidRequest", status: 400, message: message)
    }

    static func malformedXML() -> S3Error {
        S3Error(
            code: "MalformedXML", status: 400,
            message: "The XML you provided was not well-formed or did not validate against our published schema")
    }

    /// Any error a handler throws, as S3 answers it: the verifier's and body checks' own codes,
    /// PAM's codes through `HTTPErrorMapping` (naming the key), anything else a 500 that says no more.
    static func from(_ error: any Error) -> S3Error {
        switch error {
        case let error as S3Error:
            return error
        case let error as SigV4Error:
            return S3Error(code: error.code.name, status: error.code.status, message: error.message, details: error.details)
        case let error as MultipartUploadError:
            var details: [SigV4Error.Detail] = [.init("UploadId", error.uploadID)]
            if let number = error.partNumber { details.append(.init("PartNumber", String(number))) }
            if let etag = error.etag { details.append(.init("ETag", etag)) }
            return S3Error(
                code: error.code.rawValue, status: error.code == .noSuchUpload ? 404 : 400, message: error.message, details: details)
        case let error as PAMError:
            if error.code == .notFound, let key = error.ref?.key { return noSuchKey(key) }
            let answer = HTTPErrorMapping.answer(for: error.code)
            return S3Error(
                code: answer.s3Code, status: Int(answer.status.code), message: error.message,
                details: error.ref.map { [.init("Key", $0.key)] } ?? [])
        default:
            return S3Error(code: "InternalError", status: 500, message: "We encountered an internal error. Please try again.")
        }
    }

    /// The XML error document; no body for HEAD, as S3 answers.
    func response(requestID: String, head: Bool) -> Response {
        var fields = headers
        fields[.contentType] = "application/xml"
        fields[HTTPField.Name("x-amz-request-id")!] = requestID
        let status = HTTPResponse.Status(code: status)
        if head { return Response(status: status, headers: fields) }
        var xml = S3XML.declaration + "<Error><Code>\(Markup.escape(code))</Code><Message>\(Markup.escape(message))</Message>"
        for detail in details { xml += S3XML.element(detail.name, detail.value) }
        xml += "<RequestId>\(requestID)</RequestId></Error>"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }
}
