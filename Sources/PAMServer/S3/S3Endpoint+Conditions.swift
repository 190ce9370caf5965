import Foundation
import HTTPTypes
import Hummingbird
import PAMCore

/// What a GetObject or HeadObject asks of its answer beyond the object: conditions on its ETag
/// and date (304, 412), `response-*` overrides of the answer's headers, and its checksum.
extension S3Endpoint {
    /// The query parameters that override a header of a GetObject's answer, as S3 names them.
    /// S3 honours them only on signed requests, which every request here is.
    static let responseOverrides: [(parameter: String, header: HTTPField.Name)] = [
        ("response-content-type", .contentType), ("response-content-language", .contentLanguage),
        ("response-expires", .expires), ("response-cache-control", .cacheControl),
        ("response-content-disposition", .contentDisposition), ("response-content-encoding", .contentEncoding),
    ]

    /// nil when the request's conditions let the object be answered; 304 (no body, its ETag and
    /// Last-Modified) when it is not modified; throws 412 `PreconditionFailed` naming the header
    /// that failed.
    func conditionalAnswer(_ call: Call, info: ObjectInfo) throws -> Response? {
        let conditions = S3Preconditions { call.header($0) }
        guard !conditions.isEmpty else { return nil }
        switch conditions.evaluate(etag: info.etag, lastModified: info.created) {
        case .proceed:
            return nil
        case .notModified:
            return Response(status: .notModified, headers: [.eTag: "\"\(info.etag)\"", .lastModified: DateText.http(info.created)])
        case .failed(let condition):
            throw S3Error.preconditionFailed(condition)
        }
    }

    /// With `x-amz-checksum-mode: ENABLED` (boto3 and the aws CLI send it by default), a whole
    /// object's answer carries its CRC-32 (`x-amz-checksum-crc32`, type `FULL_OBJECT`) when one was
    /// kept, which the client then checks against the body; as in S3, a range answer carries none.
    static func checksumHeaders(_ call: Call, info: ObjectInfo, whole: Bool) -> HTTPFields {
        guard whole, call.header("x-amz-checksum-mode")?.uppercased() == "ENABLED", let crc = info.crc32 else { return [:] }
        return [HTTPField.Name("x-amz-checksum-crc32")!: CRC32.base64(crc), HTTPField.Name("x-amz-checksum-type")!: "FULL_OBJECT"]
    }

    /// The headers the `response-*` query parameters set; 400 `InvalidArgument` for a value no
    /// header can carry (control characters).
    static func overriddenHeaders(_ query: [String: String]) throws -> HTTPFields {
        var fields: HTTPFields = [:]
        for (parameter, header) in responseOverrides {
            guard let value = query[parameter] else { continue }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw S3Error.invalidArgument("Header value contains a control character", name: parameter, value: "")
            }
            fields[header] = value
        }
        return fields
    }
}
