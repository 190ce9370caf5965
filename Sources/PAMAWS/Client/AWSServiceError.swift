import Foundation
import PAMCore

/// An error answer from an AWS service: its code and message, as the service sent them.
public struct AWSServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var service: AWSService
    /// The API action, e.g. `PutObject`.
    public var operation: String
    public var status: Int
    /// The service's error code, e.g. `NoSuchKey`, `ConditionalCheckFailedException`.
    public var code: String
    public var message: String
    public var requestID: String?

    public init(service: AWSService, operation: String, status: Int, code: String, message: String, requestID: String? = nil) {
        self.service = service
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    public var description: String {
        "\(service.rawValue) \(operation) failed with HTTP \(status) \(code): \(message)" + (requestID.map { " (request \($0))" } ?? "")
    }

    /// Codes that mean "slow down", whatever the status.
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
        "LimitExceededException",
    ]
    /// Codes of transient failures.
    static let transientCodes: Set<String> = ["RequestTimeout", "RequestTimeoutException", "InternalError", "ServiceUnavailable"]

    /// Whether trying again later may succeed: throttling, 5xx and transient codes.
    public var isRetryable: Bool {
        status >= 500 || status == 429 || Self.throttlingCodes.contains(code) || Self.transientCodes.contains(code)
    }

    /// Reads the code and message out of an error answer: AWS JSON (`__type`/`message`), S3 XML
    /// (`<Error><Code>`), query-protocol XML (`<ErrorResponse><Error><Code>`), or, with no body, the
    /// status alone.
    static func parse(service: AWSService, operation: String, status: Int, headers: [(String, String)], body: Data) -> AWSServiceError {
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
        let requestID = header("x-amzn-requestid") ?? header("x-amz-request-id")
        var code: String?
        var message: String?
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            code = (object["__type"] as? String) ?? (object["code"] as? String) ?? (object["Code"] as? String)
            message = (object["message"] as? String) ?? (object["Message"] as? String)
        } else if let root = XMLTree.parse(body) {
            let error = root.name == "Error" ? root : root.child("Error")
            code = error?.value("Code")
            message = error?.value("Message")
        }
        code = code ?? header("x-amzn-errortype")
        // `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`, `ValidationException:http://…`
        if let full = code {
            var short = Substring(full)
            if let hash = short.lastIndex(of: "#") { short = short[short.index(after: hash)...] }
            if let colon = short.firstIndex(of: ":") { short = short[..<colon] }
            code = String(short)
        }
        return AWSServiceError(
            service: service, operation: operation, status: status,
            code: code ?? Self.statusCode(status), message: message ?? "HTTP \(status)", requestID: requestID)
    }

    private static func statusCode(_ status: Int) -> String {
        switch status {
        case 301: "PermanentRedirect"
        case 304: "NotModified"
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 412: "PreconditionFailed"
        case 429: "TooManyRequests"
        case 500..<600: "ServerError"
        default: "HTTP\(status)"
        }
    }
}
