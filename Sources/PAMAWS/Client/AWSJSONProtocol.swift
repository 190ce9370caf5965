import Foundation
import PAMSigV4

/// The AWS JSON protocol (DynamoDB 1.0, Rekognition 1.1, Cognito 1.1): a POST to `/` naming the
/// action in `X-Amz-Target`, JSON in and out.
extension AWSClient {
    /// Calls `operation` with `input` and decodes the answer as `Output`.
    func callJSON<Input: Encodable, Output: Decodable>(
        _ service: AWSService, target: String, operation: String, version: String, input: Input, as output: Output.Type
    ) async throws -> Output {
        let body = try JSONEncoder().encode(input)
        let request = Request(
            service: service, operation: operation, method: "POST",
            headers: [
                SigV4Request.Field("Content-Type", "application/x-amz-json-\(version)"),
                SigV4Request.Field("X-Amz-Target", "\(target).\(operation)"),
            ], body: body)
        let response = try await send(request)
        do {
            return try JSONDecoder().decode(Output.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body)
        } catch {
            throw AWSServiceError(
                service: service, operation: operation, status: response.status, code: "UnreadableResponse",
                message: "the answer is not the expected JSON (\(error))")
        }
    }
}

/// An empty JSON answer or input.
struct AWSEmpty: Codable, Sendable {}
