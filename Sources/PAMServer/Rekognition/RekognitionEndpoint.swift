import Foundation
import Hummingbird
import PAMCore

/// The AWS endpoint's Rekognition (JSON 1.1, `X-Amz-Target: RekognitionService.<Operation>`):
/// `DetectLabels` answered by PAM's own labeler, on an object of the emulated S3 (`Image.S3Object`,
/// read from the same store the S3 endpoint serves) or on the image in the request (`Image.Bytes`,
/// at most 5 MB). Every other operation answers 501 `NotImplemented`, naming it.
struct RekognitionEndpoint: AWSServiceEndpoint {
    let service = "rekognition"
    let wire = AWSWireProtocol.json(contentType: "application/x-amz-json-1.1", typePrefix: "")
    /// `X-Amz-Target: RekognitionService.<Operation>`.
    static let target = "RekognitionService"
    var targetPrefix: String? { Self.target }
    let labeler: any ImageLabeler

    /// The label model version DetectLabels reports (Rekognition's current one).
    static let labelModelVersion = "3.0"

    func operation(of call: AWSServiceCall) -> String? { call.targetOperation }

    func respond(to call: AWSServiceCall) async throws -> Response {
        guard let target = call.header("X-Amz-Target"), target.hasPrefix(Self.target + "."), let operation = call.targetOperation
        else { throw AWSServiceFault("UnknownOperationException", "The X-Amz-Target header does not name a Rekognition operation") }
        guard operation == "DetectLabels" else { throw AWSServiceFault.notImplemented("Rekognition \(operation)") }
        let request = try DetectLabelsRequest.decode(Data(buffer: call.body))
        let labels: [DetectedLabel]
        do {
            switch request.image {
            case .bytes(let data): labels = try await labeler.detectLabels(inImage: data, query: request.query)
            case .object(let ref): labels = try await labeler.detectLabels(in: ref, query: request.query)
            }
        } catch let error as PAMError {
            throw Self.fault(error)
        }
        return wire.json(ByteBuffer(bytes: try Self.answer(labels)))
    }

    /// The labeler's refusal as Rekognition words it.
    static func fault(_ error: PAMError) -> AWSServiceFault {
        switch error.code {
        case .invalidImage: AWSServiceFault("InvalidImageFormatException", "Request has invalid image format")
        case .imageTooLarge: AWSServiceFault("ImageTooLargeException", "Image size is too large.")
        case .notFound, .invalidKey, .invalidBucket: invalidS3Object
        case .invalidArgument: AWSServiceFault("InvalidParameterException", "Request has invalid parameters")
        default: .internalFailure
        }
    }

    static let invalidS3Object = AWSServiceFault(
        "InvalidS3ObjectException", "Unable to get object metadata from S3. Check object key, region and/or access permissions.")

    /// `{"Labels": [...], "LabelModelVersion": "3.0"}` with Rekognition's label shape.
    static func answer(_ labels: [DetectedLabel]) throws -> Data {
        struct Named: Encodable { var Name: String }
        struct Label: Encodable {
            var Name: String
            var Confidence: Double
            var Instances: [Named] = []
            var Parents: [Named]
            var Aliases: [Named] = []
            var Categories: [Named]
        }
        struct Answer: Encodable {
            var Labels: [Label]
            var LabelModelVersion: String
        }
        let answer = Answer(
            Labels: labels.map {
                Label(
                    Name: $0.name, Confidence: $0.confidence, Parents: $0.parents.map(Named.init), Categories: $0.categories.map(Named.init)
                )
            }, LabelModelVersion: labelModelVersion)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(answer)
    }
}
