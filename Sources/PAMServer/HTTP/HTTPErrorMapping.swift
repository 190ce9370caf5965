import Hummingbird
import PAMCore

/// Where PAM's errors become HTTP: the one table of the status and the S3 error code each
/// `PAMError` code answers with. The switch has no `default:`, so a new code is a compile error
/// here until it is given its answer (rather than silently becoming a 500).
enum HTTPErrorMapping {
    /// The status, and S3's code for the object endpoint's XML body (`NoSuchKey`, `AccessDenied` …).
    static func answer(for code: PAMError.Code) -> (status: HTTPResponse.Status, s3Code: String) {
        switch code.base {
        case .notFound: (.notFound, "NoSuchKey")
        case .invalidKey, .invalidBucket, .invalidImage, .invalidArgument: (.badRequest, "InvalidArgument")
        case .imageTooLarge: (.contentTooLarge, "EntityTooLarge")
        case .invalidSignature: (.forbidden, "SignatureDoesNotMatch")
        case .foreignIssuer: (.forbidden, "AccessDenied")
        case .expired: (.forbidden, "AccessDenied")
        case .conflict: (.conflict, "OperationAborted")
        case .limitExceeded: (.badRequest, "InvalidRequest")
        case .io, .storage, .table, .notification: (.internalServerError, "InternalError")
        }
    }
}
