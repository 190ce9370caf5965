import Foundation
import PAMCore

/// A DetectLabels request as Rekognition reads it: the image (an S3 object or base64 bytes) and
/// the query (MaxLabels ≥ 0, MinConfidence 0–100, default 55). What PAM's labeler does not do
/// (image properties, label filters, object versions) is 501; malformed input is refused as
/// Rekognition refuses it (`SerializationException`, `ValidationException`, `InvalidParameterException`).
struct DetectLabelsRequest: Sendable, Hashable {
    enum Image: Sendable, Hashable {
        case object(ObjectRef)
        case bytes(Data)
    }

    var image: Image
    var query: LabelQuery

    /// Rekognition's limit for `Image.Bytes`.
    static let maxImageBytes = 5 * 1024 * 1024

    /// The members PAM reads; `Settings` only for its presence.
    private struct Wire: Decodable {
        struct Image: Decodable {
            var Bytes: String?
            var S3Object: S3Object?
        }
        struct S3Object: Decodable {
            var Bucket: String?
            var Name: String?
            var Version: String?
        }
        /// Any JSON value, for members whose presence is all that matters.
        struct Present: Decodable { init(from decoder: any Decoder) throws {} }

        var Image: Image?
        var MaxLabels: Int?
        var MinConfidence: Double?
        var Features: [String]?
        var Settings: Present?
    }

    static func decode(_ body: Data) throws -> DetectLabelsRequest {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: body.isEmpty ? Data("{}".utf8) : body)
        } catch {
            throw AWSServiceFault("SerializationException", "The request body is not a valid DetectLabels request")
        }
        if let features = wire.Features, let other = features.first(where: { $0 != "GENERAL_LABELS" }) {
            if other == "IMAGE_PROPERTIES" { throw AWSServiceFault.notImplemented("DetectLabels feature IMAGE_PROPERTIES") }
            throw validation("features", "Member must satisfy enum value set: [GENERAL_LABELS, IMAGE_PROPERTIES]")
        }
        if wire.Settings != nil { throw AWSServiceFault.notImplemented("DetectLabels Settings (label inclusion and exclusion filters)") }
        if let maxLabels = wire.MaxLabels, maxLabels < 0 {
            throw validation("maxLabels", "Member must have value greater than or equal to 0", value: "\(maxLabels)")
        }
        let minConfidence = wire.MinConfidence ?? LabelQuery.default.minConfidence
        if minConfidence < 0 {
            throw validation("minConfidence", "Member must have value greater than or equal to 0", value: "\(minConfidence)")
        }
        if minConfidence > 100 {
            throw validation("minConfidence", "Member must have value less than or equal to 100", value: "\(minConfidence)")
        }
        let query = LabelQuery(maxLabels: wire.MaxLabels, minConfidence: minConfidence)
        guard let image = wire.Image else { throw validation("image", "Member must not be null", value: nil) }
        switch (image.Bytes, image.S3Object) {
        case (let text?, nil):
            guard let data = Data(base64Encoded: text) else {
                throw AWSServiceFault("SerializationException", "Image.Bytes is not valid base64")
            }
            guard !data.isEmpty else { throw validation("image.bytes", "Member must have length greater than or equal to 1", value: nil) }
            guard data.count <= maxImageBytes else { throw AWSServiceFault("ImageTooLargeException", "Image size is too large.") }
            return DetectLabelsRequest(image: .bytes(data), query: query)
        case (nil, let object?):
            guard let bucket = object.Bucket, (3...255).contains(bucket.utf8.count),
                bucket.unicodeScalars.allSatisfy({
                    $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-_".unicodeScalars.contains($0))
                })
            else {
                throw validation(
                    "image.s3Object.bucket", "Member must have length between 3 and 255 and match [0-9A-Za-z\\.\\-_]*", value: object.Bucket
                )
            }
            guard let name = object.Name, (1...1024).contains(name.utf8.count) else {
                throw validation("image.s3Object.name", "Member must have length between 1 and 1024", value: nil)
            }
            if object.Version != nil { throw AWSServiceFault.notImplemented("DetectLabels on an object version (Image.S3Object.Version)") }
            return DetectLabelsRequest(image: .object(ObjectRef(bucket: bucket, key: name)), query: query)
        default:
            // Both or neither: Rekognition's own refusal.
            throw AWSServiceFault("InvalidParameterException", "Request has invalid parameters")
        }
    }

    /// `ValidationException` worded as AWS words constraint failures.
    static func validation(_ member: String, _ constraint: String, value: String? = nil) -> AWSServiceFault {
        AWSServiceFault(
            "ValidationException",
            "1 validation error detected: Value \(value.map { "'\($0)'" } ?? "null") at '\(member)' failed to satisfy constraint: \(constraint)"
        )
    }
}
