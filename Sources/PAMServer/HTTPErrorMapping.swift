import Hummingbird
import PAMCore

/// Where PAM's errors become HTTP: the status each `PAMError` code answers with.
enum HTTPErrorMapping {
    static func status(for code: PAMError.Code) -> HTTPResponse.Status {
        switch code {
        case .notFound: .notFound
        case .invalidKey, .invalidBucket, .invalidImage, .invalidArgument: .badRequest
        case .imageTooLarge: .contentTooLarge
        case .invalidSignature, .expired: .forbidden
        case .conflict: .conflict
        default: .internalServerError
        }
    }
}
