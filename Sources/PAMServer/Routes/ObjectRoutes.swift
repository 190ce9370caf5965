import Foundation
import Hummingbird
import PAMCore

/// The local buckets' object endpoint, which answers the presigned URLs the API hands out:
/// `PUT /{bucket}/{key}` stores (a photo must be a decodable JPEG; its analysis is queued),
/// `GET`/`HEAD /{bucket}/{key}` stream with Content-Length, ETag and single-range support
/// (`ByteRange`).
/// Tampered or expired URLs get 403 with an S3-style XML error.
struct ObjectRoutes: Sendable {
    let store: any ObjectStore
    /// Photos stored here are checked and queued for analysis; the other bucket holds bundles.
    let storageBucket: String
    let workingBucket: String
    let presigned: any PresignedRequestVerifier
    let analysisQueue: AnalysisQueue
    /// Refuses a photo that is not a decodable JPEG within the limits, answering the labels found in
    /// the same decode when it can (`ServerDependencies.checkPhoto`).
    let checkPhoto: @Sendable (Data) async throws -> [DetectedLabel]?
    let spool: UploadSpool
    let maxObjectBytes: Int

    func register(on router: some RouterMethods<PAMRequestContext>) {
        for bucket in [storageBucket, workingBucket] {
            router.put("\(bucket)/**") { request, _ in try await put(request, bucket: bucket) }
            router.get("\(bucket)/**") { request, _ in try await get(request, bucket: bucket, head: false) }
            router.head("\(bucket)/**") { request, _ in try await get(request, bucket: bucket, head: true) }
        }
    }

    /// The object the request path names (its key percent-decoded), after the presigned check.
    func authorizedRef(_ request: Request, bucket: String, method: PresignMethod) throws -> ObjectRef {
        let path = request.uri.path
        let rawKey = String(path.dropFirst(bucket.count + 2))
        guard let key = rawKey.removingPercentEncoding, !key.isEmpty else {
            throw ServerError(status: .badRequest, message: "the object key is not valid", s3Code: "InvalidArgument")
        }
        let ref = ObjectRef(bucket: bucket, key: key)
        let query = request.uri.queryParameters
        try presigned.verify(
            method, ref, expires: query["X-Pam-Expires"].map(String.init),
            signature: query["X-Pam-Signature"].map(String.init),
            contentType: method == .put ? request.headers[.contentType] : nil)
        return ref
    }

    func put(_ request: Request, bucket: String) async throws -> Response {
        let ref = try authorizedRef(request, bucket: bucket, method: .put)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxObjectBytes {
            throw ServerError(
                status: .contentTooLarge, message: "the object is over the \(maxObjectBytes)-byte limit",
                s3Code: "EntityTooLarge", resource: ref.key)
        }
        // The body goes to a temporary file, never whole into memory; the store checks a photo
        // before it takes the file, so no object becomes visible unless the photo is accepted.
        let isPhoto = bucket == storageBucket && PhotoKey.isJPEG(ref.key)
        let (info, labels) = try await spool.withSpooledBody(request.body, limit: maxObjectBytes, ref: ref) { file, _ in
            // The spooled file itself, when the store can take it (the local store's tmp/), checked
            // from the store's own mapping of it: the bytes checked are the bytes hashed and stored.
            try await store.put(
                ref, file: file, options: PutOptions(contentType: request.headers[.contentType] ?? "application/octet-stream")
            ) { data -> [DetectedLabel]? in
                guard isPhoto else { return nil }
                do {
                    return try await checkPhoto(data)
                } catch var error as PAMError {
                    error.ref = ref
                    throw error
                }
            }
        }
        // The labels were detected on the bytes stored as `info.etag`: the analysis uses them for that version only.
        if isPhoto { await analysisQueue.enqueue(ref, labeled: labels.map { LabeledVersion(etag: info.etag, labels: $0) }) }
        return Response(status: .ok, headers: [.eTag: "\"\(info.etag)\""])
    }

    func get(_ request: Request, bucket: String, head: Bool) async throws -> Response {
        let ref = try authorizedRef(request, bucket: bucket, method: .get)
        // A GET reads the row and the bytes of one version, even while the object is being overwritten.
        let (info, body): (ObjectInfo, ByteStream?) = head ? (try await store.head(ref), nil) : try await store.fetch(ref)
        guard let answer = ObjectBody.answer(info, rangeFieldValues: request.headers[values: .range]) else {
            throw ServerError(
                status: .rangeNotSatisfiable, message: "the range is not satisfiable", s3Code: "InvalidRange",
                resource: ref.key, headers: [.contentRange: ObjectBody.unsatisfiedRange(size: info.size)])
        }
        guard let body else { return Response(status: answer.status, headers: answer.headers) }
        return Response(status: answer.status, headers: answer.headers, body: ObjectBody.response(body, range: answer.range))
    }
}
