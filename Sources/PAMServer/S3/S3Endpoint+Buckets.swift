import Foundation
import HTTPTypes
import Hummingbird
import PAMCore
import PAMSigV4

/// The bucket operations, on the catalog: ListBuckets, CreateBucket, DeleteBucket, and the
/// lifecycle and CORS configurations. The app's own buckets are pinned: DeleteBucket refuses them
/// (403, as a bucket policy denying `s3:DeleteBucket` would), so the app keeps working.
extension S3Endpoint {
    /// The largest configuration document read (S3 caps these well under it).
    static let maximumConfigurationBytes = 1 << 20

    /// ListBuckets: every bucket, or those whose names start with `prefix`; one page always
    /// (`max-buckets` is refused with 501, so a `continuation-token` cannot come from PAM).
    func listBuckets(_ call: Call) async throws -> Response {
        if call.query["continuation-token"] != nil { throw S3Error.notImplemented("ListBuckets with continuation-token") }
        let prefix = call.query["prefix"]
        let all = try await buckets.buckets()
        return Self.xml(S3XML.listBuckets(prefix.map { prefix in all.filter { $0.name.hasPrefix(prefix) } } ?? all, prefix: prefix))
    }

    /// CreateBucket: as us-east-1 answers, an existing bucket is 409 `BucketAlreadyOwnedByYou`
    /// (PAM has one account), and the only location constraint accepted is the endpoint's region
    /// (none for us-east-1).
    func createBucket(_ call: Call) async throws -> Response {
        let name = call.address.bucket ?? ""
        if call.header("x-amz-bucket-object-lock-enabled")?.lowercased() == "true" {
            throw S3Error.notImplemented("CreateBucket with object lock")
        }
        if let acl = call.header("x-amz-acl"), acl != "private" { throw S3Error.notImplemented("CreateBucket with the ACL \(acl)") }
        if let grant = call.received.headers.first(where: { $0.name.lowercased().hasPrefix("x-amz-grant-") }) {
            throw S3Error.notImplemented("CreateBucket with \(grant.name.lowercased())")
        }
        if let ownership = call.header("x-amz-object-ownership"), ownership != "BucketOwnerEnforced" {
            throw S3Error.notImplemented("CreateBucket with object ownership \(ownership)")
        }
        let constraint = try S3XML.parseCreateBucket(try await body(call).collect(limit: Self.maximumConfigurationBytes))
        if let constraint, constraint != settings.region || settings.region == "us-east-1" {
            if constraint == "us-east-1" {
                throw S3Error(
                    code: "InvalidLocationConstraint", status: 400, message: "The specified location-constraint is not valid",
                    details: [.init("LocationConstraint", constraint)])
            }
            throw S3Error(
                code: "IllegalLocationConstraintException", status: 400,
                message: "The \(constraint) location constraint is incompatible for the region specific endpoint this request was sent to.")
        }
        do {
            try await buckets.createBucket(name)
        } catch let error as PAMError where error.code == .limitExceeded {
            throw S3Error(code: "TooManyBuckets", status: 400, message: "You have attempted to create more buckets than allowed")
        } catch let error as PAMError where error.code == .invalidBucket {
            throw S3Error(
                code: "InvalidBucketName", status: 400, message: "The specified bucket is not valid.", details: [.init("BucketName", name)])
        } catch let error as PAMError where error.code == .conflict {
            throw S3Error(
                code: "BucketAlreadyOwnedByYou", status: 409,
                message: "Your previous request to create the named bucket succeeded and you already own it.",
                details: [.init("BucketName", name)])
        }
        return Response(status: .ok, headers: [.location: "/\(name)"])
    }

    /// DeleteBucket: 204; 409 `BucketNotEmpty` while it holds objects; 403 for the app's buckets.
    func deleteBucket(_ bucket: BucketInfo) async throws -> Response {
        guard !bucket.pinned else {
            throw S3Error(
                code: "AccessDenied", status: 403,
                message: "PAM keeps '\(bucket.name)': it is one of the app's buckets and cannot be deleted",
                details: [.init("BucketName", bucket.name)])
        }
        do {
            try await buckets.deleteBucket(bucket.name)
        } catch let error as PAMError where error.code == .conflict {
            throw S3Error(
                code: "BucketNotEmpty", status: 409, message: "The bucket you tried to delete is not empty",
                details: [.init("BucketName", bucket.name)])
        } catch let error as PAMError where error.code == .notFound {
            throw S3Error.noSuchBucket(bucket.name)
        }
        return Response(status: .noContent)
    }

    // MARK: Lifecycle

    func getLifecycle(_ bucket: BucketInfo) async throws -> Response {
        guard let rules = try await configuration({ try await buckets.lifecycle(of: bucket.name) }, bucket), !rules.isEmpty else {
            throw S3Error(
                code: "NoSuchLifecycleConfiguration", status: 404, message: "The lifecycle configuration does not exist",
                details: [.init("BucketName", bucket.name)])
        }
        return Self.xml(S3XML.lifecycle(rules))
    }

    /// PutBucketLifecycleConfiguration: the rules replace the bucket's, and PAM's lifecycle pass
    /// (`pam lifecycle`, `pam serve`'s interval) applies them from then on.
    func putLifecycle(_ call: Call, bucket: BucketInfo) async throws -> Response {
        try Self.requireIntegrityHeader(call)
        let rules = try S3XML.parseLifecycle(try await body(call).collect(limit: Self.maximumConfigurationBytes))
        try await configuration({ try await buckets.setLifecycle(rules, of: bucket.name) }, bucket)
        return Response(status: .ok)
    }

    func deleteLifecycle(_ bucket: BucketInfo) async throws -> Response {
        try await configuration({ try await buckets.setLifecycle(nil, of: bucket.name) }, bucket)
        return Response(status: .noContent)
    }

    // MARK: CORS

    func getCORS(_ bucket: BucketInfo) async throws -> Response {
        guard let rules = try await configuration({ try await buckets.cors(of: bucket.name) }, bucket) else {
            throw S3Error(
                code: "NoSuchCORSConfiguration", status: 404, message: "The CORS configuration does not exist",
                details: [.init("BucketName", bucket.name)])
        }
        return Self.xml(S3XML.cors(rules))
    }

    /// PutBucketCors: stored and returned as sent. The endpoint does not answer browsers' preflight
    /// requests with it (README "Not emulated").
    func putCORS(_ call: Call, bucket: BucketInfo) async throws -> Response {
        try Self.requireIntegrityHeader(call)
        let rules = try S3XML.parseCORS(try await body(call).collect(limit: Self.maximumConfigurationBytes))
        try await configuration({ try await buckets.setCORS(rules, of: bucket.name) }, bucket)
        return Response(status: .ok)
    }

    func deleteCORS(_ bucket: BucketInfo) async throws -> Response {
        try await configuration({ try await buckets.setCORS(nil, of: bucket.name) }, bucket)
        return Response(status: .noContent)
    }

    /// A catalog call on a bucket that may have been deleted since it was looked up: `NoSuchBucket` then.
    @discardableResult
    private func configuration<T>(_ body: () async throws -> T, _ bucket: BucketInfo) async throws -> T {
        do { return try await body() } catch let error as PAMError where error.code == .notFound {
            throw S3Error.noSuchBucket(bucket.name)
        }
    }

    /// S3 requires an integrity check of these bodies (PutBucketLifecycleConfiguration,
    /// PutBucketCors, DeleteObjects): `Content-MD5`, an `x-amz-checksum-<algorithm>` header, or a
    /// checksum trailer of an aws-chunked body — each of which `body(_:)` then verifies. Other
    /// `x-amz-checksum-*` names (`-type`, `-mode`) check nothing and do not count.
    static func requireIntegrityHeader(_ call: Call) throws {
        let check = try AWSBodyCheck(headers: call.received.headers, payload: call.authentication.payload)
        let trailer = call.header("x-amz-trailer").flatMap(AWSChecksumAlgorithm.init(headerName:))
        guard check.contentMD5 != nil || check.checksum != nil || (call.authentication.payload.hasTrailer && trailer != nil) else {
            throw S3Error.invalidRequest("Missing required header for this request: Content-MD5")
        }
    }
}
