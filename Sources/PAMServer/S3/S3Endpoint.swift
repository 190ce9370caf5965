import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PAMCore
import PAMSigV4

/// The AWS endpoint's S3: every request the router (`AWSEndpoint`) hands over is SigV4-verified
/// against the configured keys (another service's scope answers 501), addressed path- or
/// virtual-hosted-style, identified as an S3 operation and answered as S3 answers, on the app's
/// own store. Refusals are S3's XML errors; operations PAM does not emulate are 501 `NotImplemented`.
struct S3Endpoint: HTTPResponder {
    typealias Context = BasicRequestContext

    let settings: AWSEndpointSettings
    let verifier: SigV4Verifier
    let store: any ObjectStore
    /// Multipart uploads into `store`; nil: the multipart operations answer 501.
    let uploads: (any MultipartUploads)?
    /// The buckets served and their configurations.
    let buckets: any BucketCatalog
    /// Photos stored here are queued for analysis, as the reference stack's S3 event does.
    let storageBucket: String
    /// The tag that marks a photo analysed (`PipelineConfig.analyzedTag`): a copy into the storage
    /// bucket does not take it from its source, since no labels were recorded for the copy's key.
    let analyzedTagKey: String
    let analysisQueue: AnalysisQueue
    let logger: Logger

    /// One verified request: what the handlers need of it.
    struct Call {
        var request: Request
        var received: SigV4ReceivedRequest
        var authentication: SigV4Authentication
        var address: S3Address
        /// Decoded query parameters (the first value of each name).
        var query: [String: String]
        var requestID: String

        var isHead: Bool { request.method == .head }
        func header(_ name: String) -> String? { received.header(name) }
    }

    /// A photo stored, replaced or deleted in the storage bucket goes to the analysis queue, as the
    /// reference stack's S3 events go to its function: analysed, or taken out of the label table
    /// when it is gone (non-photos are ignored by the queue).
    func photoChanged(_ ref: ObjectRef) async {
        if ref.bucket == storageBucket { await analysisQueue.enqueue(ref) }
    }

    /// Answers `request`, and logs one line for it as the app's requests are logged (method, path
    /// without the query — signatures live there —, status, S3 error code, time), prefixed `aws`.
    func respond(to request: Request, context: Context) async throws -> Response {
        try await respond(to: request, received: AWSEndpoint.received(request), requestID: context.id)
    }

    /// `respond(to:context:)` for a request the router has already read as the verifier reads it.
    func respond(to request: Request, received: SigV4ReceivedRequest, requestID: String) async throws -> Response {
        let start = ContinuousClock.now
        let path = "aws \(request.uri.path)"
        do {
            var response = try await handle(request, received: received, requestID: requestID)
            response.headers[Self.requestIDHeader] = requestID
            logger.info(RequestLogMiddleware<Context>.line(request.method, path: path, status: response.status.code, since: start))
            return response
        } catch {
            let failure = Self.unwrap(error)
            if failure.status >= 500, failure.code != "NotImplemented" {
                logger.error("AWS endpoint request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            logger.info(
                RequestLogMiddleware<Context>.line(request.method, path: path, status: failure.status, detail: failure.code, since: start))
            return failure.response(requestID: requestID, head: request.method == .head)
        }
    }

    static let requestIDHeader = HTTPField.Name("x-amz-request-id")!

    /// S3's answer for `error`; a store failure caused by the body (a bad chunk signature or
    /// digest found while writing) answers as that cause.
    static func unwrap(_ error: any Error) -> S3Error {
        if let error = error as? PAMError, let cause = error.underlying, cause is SigV4Error || cause is S3Error {
            return S3Error.from(cause)
        }
        return S3Error.from(error)
    }

    private func handle(_ request: Request, received: SigV4ReceivedRequest, requestID: String) async throws -> Response {
        let authentication = try verifier.verify(
            received, bucketFromHost: request.head.authority.flatMap(S3Address.virtualHostedBucket))
        guard authentication.service == "s3" else { throw S3Error.notImplemented("the '\(authentication.service)' service") }
        var query: [String: String] = [:]
        for item in received.query where query[AWSPercentEncoding.decode(item.name)] == nil {
            query[AWSPercentEncoding.decode(item.name)] = AWSPercentEncoding.decode(item.value)
        }
        let address = S3Address(host: request.head.authority, rawPath: received.path)
        let call = Call(
            request: request, received: received, authentication: authentication, address: address, query: query, requestID: requestID)
        let operation = S3Operation.identify(
            method: request.method.rawValue, address: address, query: Set(query.keys), copySource: call.header("x-amz-copy-source") != nil)
        if case .notImplemented(let name) = operation { throw S3Error.notImplemented(name) }
        if operation == .listBuckets { return try await listBuckets(call) }
        if operation == .createBucket { return try await createBucket(call) }
        let bucket = try await bucket(address)
        switch operation {
        case .headBucket: return Response(status: .ok, headers: [HTTPField.Name("x-amz-bucket-region")!: settings.region])
        case .listObjectsV2: return try await listObjects(call, bucket: bucket)
        case .listObjects: return try await listObjectsV1(call, bucket: bucket)
        case .deleteBucket: return try await deleteBucket(bucket)
        case .getBucketLocation: return Self.xml(S3XML.location(settings.region))
        case .getBucketLifecycle: return try await getLifecycle(bucket)
        case .putBucketLifecycle: return try await putLifecycle(call, bucket: bucket)
        case .deleteBucketLifecycle: return try await deleteLifecycle(bucket)
        case .getBucketCors: return try await getCORS(bucket)
        case .putBucketCors: return try await putCORS(call, bucket: bucket)
        case .deleteBucketCors: return try await deleteCORS(bucket)
        case .deleteObjects: return try await deleteObjects(call, bucket: bucket.name)
        case .putObject: return try await putObject(call, ref: ref(bucket.name, address))
        case .getObject, .headObject: return try await getObject(call, ref: ref(bucket.name, address))
        case .deleteObject: return try await deleteObject(call, ref: ref(bucket.name, address))
        case .getObjectTagging: return try await getTagging(ref(bucket.name, address))
        case .putObjectTagging: return try await putTagging(call, ref: ref(bucket.name, address))
        case .deleteObjectTagging: return try await deleteTagging(ref(bucket.name, address))
        case .copyObject: return try await copyObject(call, ref: ref(bucket.name, address))
        case .createMultipartUpload: return try await createMultipartUpload(call, ref: ref(bucket.name, address))
        case .uploadPart: return try await uploadPart(call, ref: ref(bucket.name, address))
        case .uploadPartCopy: return try await uploadPartCopy(call, ref: ref(bucket.name, address))
        case .completeMultipartUpload: return try await completeMultipartUpload(call, ref: ref(bucket.name, address))
        case .abortMultipartUpload: return try await abortMultipartUpload(call, ref: ref(bucket.name, address))
        case .listParts: return try await listParts(call, ref: ref(bucket.name, address))
        case .listMultipartUploads: return try await listMultipartUploads(call, bucket: bucket.name)
        case .listBuckets, .createBucket, .notImplemented: throw S3Error.notImplemented("this request")
        }
    }

    /// The addressed bucket, when the catalog has it; 404 `NoSuchBucket` otherwise.
    private func bucket(_ address: S3Address) async throws -> BucketInfo {
        let name = address.bucket ?? ""
        guard let bucket = try await buckets.bucket(named: name) else { throw S3Error.noSuchBucket(name) }
        return bucket
    }

    private func ref(_ bucket: String, _ address: S3Address) -> ObjectRef { ObjectRef(bucket: bucket, key: address.key ?? "") }

    static func xml(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    private func listObjects(_ call: Call, bucket: BucketInfo) async throws -> Response {
        guard call.query["list-type"] == "2" else { throw S3Error.notImplemented("ListObjects list-type \(call.query["list-type"] ?? "")") }
        let request = try S3ListRequest(bucket: bucket.name, query: call.query)
        let page = try await S3Lister(store: store).page(request)
        return Self.xml(S3XML.listObjectsV2(request, page))
    }
}
