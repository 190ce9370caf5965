import Foundation
import HTTPTypes
import Hummingbird
import PAMSigV4

/// One non-S3 service on the AWS endpoint (DynamoDB, Rekognition, SNS), reached when a request's
/// credential scope names `service`. The router has read the body (bounded), verified the signature
/// over it, and hands over the call; the service answers or throws an `AWSServiceFault` (anything
/// else answers 500 `InternalFailure`).
protocol AWSServiceEndpoint: Sendable {
    /// The SigV4 service name the credential scope carries: `dynamodb`, `rekognition`, `sns`.
    var service: String { get }
    var wire: AWSWireProtocol { get }
    /// The `X-Amz-Target` prefix of its operations (`RekognitionService`), by which the router
    /// knows an unsigned JSON request is meant for it; nil: none (the default).
    var targetPrefix: String? { get }
    /// The operation `call` asks for, for the request log (`PutItem`); nil when it names none.
    func operation(of call: AWSServiceCall) -> String?
    func respond(to call: AWSServiceCall) async throws -> Response
}

extension AWSServiceEndpoint {
    var targetPrefix: String? { nil }
}

/// A verified request to a non-S3 service.
struct AWSServiceCall: Sendable {
    var head: HTTPRequest
    var received: SigV4ReceivedRequest
    var authentication: SigV4Authentication
    /// The whole body (the router bounds it).
    var body: ByteBuffer
    var requestID: String

    func header(_ name: String) -> String? { received.header(name) }

    /// The JSON protocol's operation: `DynamoDB_20120810.PutItem` → `PutItem`.
    var targetOperation: String? {
        guard let target = header("X-Amz-Target"), let dot = target.lastIndex(of: ".") else { return nil }
        return String(target[target.index(after: dot)...])
    }
}
