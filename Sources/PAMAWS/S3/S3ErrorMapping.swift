import Foundation
import PAMCore

/// S3's error codes as the `ObjectStore` port's errors.
enum S3ErrorMapping {
    static let notFoundCodes: Set<String> = ["NoSuchKey", "NoSuchBucket", "NotFound", "NoSuchUpload"]
    static let invalidArgumentCodes: Set<String> = [
        "InvalidTag", "InvalidArgument", "BadRequest", "MalformedXML", "EntityTooSmall", "InvalidPart",
    ]

    /// A `PAMError` for `error`, keeping the AWS error as `underlying`.
    static func map(_ error: any Error, operation: String, ref: ObjectRef?) -> any Error {
        switch error {
        case let error as AWSServiceError:
            let code: PAMError.Code
            if notFoundCodes.contains(error.code) {
                code = .notFound
            } else if error.code == "InvalidBucketName" {
                code = .invalidBucket
            } else if error.code == "KeyTooLongError" {
                code = .invalidKey
            } else if invalidArgumentCodes.contains(error.code) {
                code = .invalidArgument
            } else {
                code = .storage
            }
            return PAMError(
                code, "S3 \(operation) failed: \(error.code): \(error.message)", ref: ref?.key.isEmpty == false ? ref : nil,
                path: ref?.key.isEmpty == true ? ref?.bucket : nil, underlying: error)
        case let error as AWSTransportError:
            return PAMError(.storage, "S3 \(operation) failed: the service could not be reached", ref: ref, underlying: error)
        default:
            return error
        }
    }
}
