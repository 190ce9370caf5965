import Foundation
import PAMCore
import PAMSigV4

/// A refusal of a non-S3 service on the AWS endpoint (DynamoDB, Rekognition, SNS): the error code
/// as the service names it (`ValidationException`, `InvalidParameter`), its message and HTTP status.
/// `AWSWireProtocol` renders it as that service does.
struct AWSServiceFault: Error, Sendable, Hashable, CustomStringConvertible {
    var code: String
    var message: String
    var status: Int
    /// The query protocol's `<Type>`: the caller's mistake (`Sender`) or the service's (`Receiver`).
    var isSenderFault: Bool

    init(_ code: String, _ message: String, status: Int = 400) {
        self.code = code
        self.message = message
        self.status = status
        self.isSenderFault = status < 500
    }

    var description: String { "\(code) (\(status)): \(message)" }

    /// 501 for an operation the emulator does not implement, naming it.
    static func notImplemented(_ what: String) -> AWSServiceFault {
        AWSServiceFault("NotImplemented", "\(what) is not implemented by PAM's AWS endpoint", status: 501)
    }

    /// 500 for a failure of the emulator itself (its store, its labeler), without its details.
    static let internalFailure = AWSServiceFault(
        "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", status: 500)

    /// The verifier's refusal as the JSON and query services answer it (they do not use S3's codes):
    /// unknown key → `UnrecognizedClientException` (JSON) / `InvalidClientTokenId` (query); wrong
    /// signature or expired signing time → `InvalidSignatureException` / `SignatureDoesNotMatch`;
    /// no signature → `MissingAuthenticationToken…`; anything else about the signature →
    /// `IncompleteSignature…`.
    static func from(_ error: SigV4Error, query: Bool) -> AWSServiceFault {
        let status = query ? 403 : 400
        switch error.code {
        case .invalidAccessKeyId:
            return AWSServiceFault(
                query ? "InvalidClientTokenId" : "UnrecognizedClientException", "The security token included in the request is invalid.",
                status: status)
        case .signatureDoesNotMatch:
            return AWSServiceFault(
                query ? "SignatureDoesNotMatch" : "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key "
                    + "and signing method. Consult the service documentation for details.",
                status: status)
        case .requestTimeTooSkewed:
            return AWSServiceFault(query ? "SignatureDoesNotMatch" : "InvalidSignatureException", skewed(error), status: status)
        case .accessDenied where error.message.hasPrefix("Request"):
            return AWSServiceFault(
                query ? "SignatureDoesNotMatch" : "InvalidSignatureException", "Signature expired: \(error.message)", status: status)
        case .accessDenied:
            return AWSServiceFault(
                query ? "MissingAuthenticationToken" : "MissingAuthenticationTokenException", "Request is missing Authentication Token",
                status: query ? 403 : 400)
        case .invalidToken, .missingSecurityHeader:
            return AWSServiceFault(
                query ? "InvalidClientTokenId" : "UnrecognizedClientException", "The security token included in the request is invalid.",
                status: status)
        case .notImplemented:
            return AWSServiceFault("NotImplemented", error.message, status: 501)
        default:
            return AWSServiceFault(query ? "IncompleteSignature" : "IncompleteSignatureException", error.message, status: 400)
        }
    }

    /// AWS's words for a signing time more than 15 minutes off: `Signature expired: <time> is now
    /// earlier than <server time - 15 min> (<server time> - 15 min.)`, or `Signature not yet
    /// current: … is still later than …` for a time ahead.
    static func skewed(_ error: SigV4Error) -> String {
        guard let text = error.detail("RequestTime"), let request = DateText.parseCompact(text) ?? DateText.parseHTTP(text),
            let server = error.detail("ServerTime").flatMap(DateText.parseISO8601)
        else { return "Signature expired: \(error.message)" }
        let skew = SigV4Verifier.maximumSkew
        let minutes = Int(skew / 60)
        if request < server {
            return "Signature expired: \(DateText.compact(request)) is now earlier than \(DateText.compact(server - skew)) "
                + "(\(DateText.compact(server)) - \(minutes) min.)"
        }
        return "Signature not yet current: \(DateText.compact(request)) is still later than \(DateText.compact(server + skew)) "
            + "(\(DateText.compact(server)) + \(minutes) min.)"
    }
}
