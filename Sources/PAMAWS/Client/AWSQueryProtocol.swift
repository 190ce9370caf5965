import Foundation
import PAMCore
import PAMSigV4

/// The AWS query protocol (SNS): a form-encoded POST naming `Action` and `Version`, XML back.
extension AWSClient {
    func callQuery(_ service: AWSService, action: String, version: String, parameters: [(String, String)]) async throws -> XMLTree {
        let fields = [("Action", action), ("Version", version)] + parameters
        let body = fields.map { AWSPercentEncoding.formEncode($0.0) + "=" + AWSPercentEncoding.formEncode($0.1) }.joined(separator: "&")
        let request = Request(
            service: service, operation: action, method: "POST",
            headers: [
                SigV4Request.Field("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            ], body: Data(body.utf8))
        let response = try await send(request)
        guard let root = XMLTree.parse(response.body) else {
            throw AWSServiceError(
                service: service, operation: action, status: response.status, code: "UnreadableResponse",
                message: "the answer is not XML")
        }
        return root.child("\(action)Result") ?? root
    }
}
