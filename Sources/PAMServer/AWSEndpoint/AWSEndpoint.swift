import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PAMSigV4

/// The AWS endpoint's front door: one port for every emulated service, as LocalStack's edge port.
/// A request whose SigV4 credential scope names a service in `services` (DynamoDB, Rekognition,
/// SNS) has its body read (at most `maxBodyBytes`), its signature verified over that body, and is
/// answered by that service in its own protocol; everything else — S3, unsigned and anonymous
/// requests, services PAM does not emulate — goes to `s3`, which answers as S3 does.
struct AWSEndpoint: HTTPResponder {
    typealias Context = BasicRequestContext

    /// DynamoDB's limit for a whole request; Rekognition's 5 MB of image bytes fit in it as base64.
    static let defaultMaxBodyBytes = 16 << 20

    let s3: S3Endpoint
    let services: [String: any AWSServiceEndpoint]
    let verifier: SigV4Verifier
    var maxBodyBytes = Self.defaultMaxBodyBytes
    let logger: Logger

    init(s3: S3Endpoint, services: [any AWSServiceEndpoint], verifier: SigV4Verifier, logger: Logger) {
        self.s3 = s3
        self.services = Dictionary(services.map { ($0.service, $0) }, uniquingKeysWith: { first, _ in first })
        self.verifier = verifier
        self.logger = logger
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let received = Self.received(request)
        guard let name = SigV4Verifier.claimedService(received) ?? unsignedService(received), let service = services[name] else {
            return try await s3.respond(to: request, received: received, requestID: context.id)
        }
        let start = ContinuousClock.now
        let requestID = context.id
        var operation: String?
        var response: Response
        var refusal: String?
        do {
            let call = try await verifiedCall(request, received: received, requestID: requestID)
            operation = service.operation(of: call)
            response = try await service.respond(to: call)
            response.headers[AWSWireProtocol.requestIDHeader] = requestID
        } catch {
            let fault: AWSServiceFault
            switch error {
            case let error as AWSServiceFault: fault = error
            case let error as SigV4Error: fault = AWSServiceFault.from(error, query: service.wire.isQuery)
            default:
                logger.error("AWS endpoint request failed", metadata: ["service": "\(name)", "error": "\(error)"])
                fault = .internalFailure
            }
            response = service.wire.error(fault, requestID: requestID)
            refusal = fault.code
        }
        let path = "aws \(name) \(operation ?? "-")"
        logger.info(
            RequestLogMiddleware<Context>.line(request.method, path: path, status: response.status.code, detail: refusal, since: start))
        return response
    }

    /// The service a request without a readable SigV4 scope is meant for, so that it is refused in
    /// that service's protocol rather than S3's: the one whose `X-Amz-Target` prefix it names, or,
    /// for a form-encoded POST (which S3 never takes), the query-protocol service.
    func unsignedService(_ received: SigV4ReceivedRequest) -> String? {
        if let target = received.header("X-Amz-Target") {
            let prefix = target.prefix { $0 != "." }
            return services.values.first { $0.targetPrefix == String(prefix) }?.service
        }
        guard received.method == "POST",
            received.header("Content-Type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
        else { return nil }
        return services.values.first { $0.wire.isQuery }?.service
    }

    /// The request as the verifier reads it: method, target, headers, with `host` from the authority.
    static func received(_ request: Request) -> SigV4ReceivedRequest {
        var headers = request.headers.map { SigV4Request.Field($0.name.rawName, $0.value) }
        if let authority = request.head.authority { headers.insert(SigV4Request.Field("host", authority), at: 0) }
        return SigV4ReceivedRequest(method: request.method.rawValue, target: request.head.path ?? "/", headers: headers)
    }

    /// Reads the body (413 past `maxBodyBytes`) and verifies the signature over it.
    private func verifiedCall(_ request: Request, received: SigV4ReceivedRequest, requestID: String) async throws -> AWSServiceCall {
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: maxBodyBytes) } catch {
            throw AWSServiceFault("RequestEntityTooLarge", "Request must be smaller than \(maxBodyBytes) bytes", status: 413)
        }
        var received = received
        received.bodySHA256 = SigV4Request.Payload.data(Data(buffer: body)).hash
        let authentication = try verifier.verify(received)
        return AWSServiceCall(head: request.head, received: received, authentication: authentication, body: body, requestID: requestID)
    }
}
