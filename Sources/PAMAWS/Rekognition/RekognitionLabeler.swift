import Foundation
import Logging
import PAMCore

/// `Labeler` on Amazon Rekognition: DetectLabels on the S3 object itself, so the image bytes never
/// pass through PAM (or, for `detectLabels(inImage:)`, on bytes sent in the request).
public struct RekognitionLabeler: ImageLabeler {
    public let client: AWSClient
    let logger: Logger

    public init(client: AWSClient, logger: Logger = Logger(label: "pam.rekognition")) {
        self.client = client
        self.logger = logger
    }

    struct DetectLabelsInput: Encodable, Equatable {
        struct Image: Encodable, Equatable {
            struct S3Object: Encodable, Equatable {
                let Bucket: String
                let Name: String
            }
            /// One of the two: the object, or the image itself (base64 in the JSON).
            var S3Object: S3Object?
            var Bytes: Data?
        }
        let Image: Image
        let MaxLabels: Int?
        let MinConfidence: Double
    }

    struct DetectLabelsOutput: Decodable {
        struct Label: Decodable {
            struct Named: Decodable { let Name: String? }
            let Name: String?
            let Confidence: Double?
            let Parents: [Named]?
            let Categories: [Named]?
        }
        let Labels: [Label]?
    }

    public func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel] {
        try await detectLabels(Self.input(ref, query: query), query: query, ref: ref)
    }

    /// DetectLabels with `Image.Bytes` (Rekognition takes at most 5 MB this way).
    public func detectLabels(inImage data: Data, query: LabelQuery) async throws -> [DetectedLabel] {
        let input = DetectLabelsInput(Image: .init(Bytes: data), MaxLabels: query.maxLabels, MinConfidence: query.minConfidence)
        return try await detectLabels(input, query: query, ref: nil)
    }

    private func detectLabels(_ input: DetectLabelsInput, query: LabelQuery, ref: ObjectRef?) async throws -> [DetectedLabel] {
        guard (0...100).contains(query.minConfidence) else { throw PAMError(.invalidArgument, "MinConfidence must be 0 to 100", ref: ref) }
        if let maxLabels = query.maxLabels, maxLabels < 0 { throw PAMError(.invalidArgument, "MaxLabels must not be negative", ref: ref) }
        let output: DetectLabelsOutput
        do {
            output = try await client.callJSON(
                .rekognition, target: "RekognitionService", operation: "DetectLabels", version: "1.1",
                input: input, as: DetectLabelsOutput.self)
        } catch {
            throw Self.map(error, ref: ref)
        }
        // The service applies the query; applying it again keeps the port's ordering contract.
        return query.apply(to: Self.labels(output))
    }

    static func input(_ ref: ObjectRef, query: LabelQuery) -> DetectLabelsInput {
        DetectLabelsInput(
            Image: .init(S3Object: .init(Bucket: ref.bucket, Name: ref.key)), MaxLabels: query.maxLabels,
            MinConfidence: query.minConfidence)
    }

    static func labels(_ output: DetectLabelsOutput) -> [DetectedLabel] {
        (output.Labels ?? []).compactMap { label in
            guard let name = label.Name, let confidence = label.Confidence else { return nil }
            return DetectedLabel(
                name: name, confidence: confidence, parents: (label.Parents ?? []).compactMap(\.Name),
                categories: (label.Categories ?? []).compactMap(\.Name))
        }
    }

    static func map(_ error: any Error, ref: ObjectRef?) -> any Error {
        switch error {
        case let error as AWSServiceError:
            let code: PAMError.Code =
                switch error.code {
                case "InvalidImageFormatException": .invalidImage
                case "ImageTooLargeException": .imageTooLarge
                case "InvalidS3ObjectException": .notFound
                case "InvalidParameterException": .invalidArgument
                default: .storage
                }
            return PAMError(code, "Rekognition DetectLabels failed: \(error.code): \(error.message)", ref: ref, underlying: error)
        case let error as AWSTransportError:
            return PAMError(.storage, "Rekognition DetectLabels failed: the service could not be reached", ref: ref, underlying: error)
        default:
            return error
        }
    }
}
