/// The S3 operation a request asks for, identified as S3 does: by method, by whether it names the
/// service, a bucket or an object, by its query's subresources and by a copy source header. The
/// operations PAM does not emulate yet keep their S3 name, so they are answered 501 naming it.
enum S3Operation: Sendable, Hashable {
    case listBuckets
    case headBucket
    case listObjectsV2
    case putObject
    case getObject
    case headObject
    case deleteObject
    case getObjectTagging
    case putObjectTagging
    case deleteObjectTagging
    case copyObject
    case createMultipartUpload
    case uploadPart
    case uploadPartCopy
    case completeMultipartUpload
    case abortMultipartUpload
    case listParts
    case listMultipartUploads
    case createBucket
    case deleteBucket
    case listObjects
    case getBucketLocation
    case getBucketLifecycle
    case putBucketLifecycle
    case deleteBucketLifecycle
    case getBucketCors
    case putBucketCors
    case deleteBucketCors
    case deleteObjects
    /// An S3 operation PAM does not emulate: its S3 name (`GetBucketVersioning`, `CreateMultipartUpload` …).
    case notImplemented(String)

    /// Query parameters that are arguments, not subresources: they never change the operation
    /// (`AWSAccessKeyId`…`content-type`: a Version 2 presigned URL's, boto3 copies the signed type there).
    static let arguments: Set<String> = [
        "prefix", "delimiter", "max-keys", "continuation-token", "start-after", "encoding-type", "fetch-owner", "list-type", "x-id",
        "AWSAccessKeyId", "Signature", "Expires", "content-type", "content-md5",
        "max-parts", "part-number-marker", "max-uploads", "key-marker", "upload-id-marker",
        "response-content-type", "response-content-language", "response-expires", "response-cache-control",
        "response-content-disposition", "response-content-encoding",
        "marker",
    ]

    /// The operation of a request; `query` holds the decoded query names (presigning's `X-Amz-*` included).
    static func identify(method: String, address: S3Address, query: Set<String>, copySource: Bool) -> S3Operation {
        let subresources = query.filter { !arguments.contains($0) && !$0.lowercased().hasPrefix("x-amz-") }
        guard let bucket = address.bucket, !bucket.isEmpty else {
            return method == "GET" && subresources.isEmpty ? .listBuckets : .notImplemented(serviceName(method))
        }
        if let key = address.key, !key.isEmpty {
            return object(method: method, subresources: subresources, copySource: copySource)
        }
        return self.bucket(method: method, subresources: subresources, listType: query.contains("list-type"))
    }

    private static func serviceName(_ method: String) -> String { "\(method) on the service endpoint" }

    private static func object(method: String, subresources: Set<String>, copySource: Bool) -> S3Operation {
        switch (method, subresources) {
        case ("PUT", []): return copySource ? .copyObject : .putObject
        case ("GET", []): return .getObject
        case ("HEAD", []): return .headObject
        case ("DELETE", []): return .deleteObject
        case ("GET", ["tagging"]): return .getObjectTagging
        case ("PUT", ["tagging"]): return .putObjectTagging
        case ("DELETE", ["tagging"]): return .deleteObjectTagging
        case ("POST", ["uploads"]): return .createMultipartUpload
        case ("PUT", ["partNumber", "uploadId"]): return copySource ? .uploadPartCopy : .uploadPart
        case ("POST", ["uploadId"]): return .completeMultipartUpload
        case ("DELETE", ["uploadId"]): return .abortMultipartUpload
        case ("GET", ["uploadId"]): return .listParts
        default: break
        }
        let names: [String: String] = [
            "GET acl": "GetObjectAcl", "PUT acl": "PutObjectAcl",
            "POST restore": "RestoreObject", "GET attributes": "GetObjectAttributes", "GET retention": "GetObjectRetention",
            "PUT retention": "PutObjectRetention", "GET legal-hold": "GetObjectLegalHold", "PUT legal-hold": "PutObjectLegalHold",
            "GET torrent": "GetObjectTorrent", "POST select select-type": "SelectObjectContent",
        ]
        if let name = names[signature(method, subresources)] { return .notImplemented(name) }
        if subresources.contains("versionId") { return .notImplemented("\(method) of an object version (versionId)") }
        if subresources.contains("partNumber") { return .notImplemented("\(method) of an object part (partNumber)") }
        return .notImplemented(describe(method, subresources, on: "an object"))
    }

    private static func bucket(method: String, subresources: Set<String>, listType: Bool) -> S3Operation {
        switch (method, subresources) {
        case ("HEAD", []): return .headBucket
        case ("GET", []): return listType ? .listObjectsV2 : .listObjects
        case ("PUT", []): return .createBucket
        case ("DELETE", []): return .deleteBucket
        case ("GET", ["location"]): return .getBucketLocation
        case ("GET", ["lifecycle"]): return .getBucketLifecycle
        case ("PUT", ["lifecycle"]): return .putBucketLifecycle
        case ("DELETE", ["lifecycle"]): return .deleteBucketLifecycle
        case ("GET", ["cors"]): return .getBucketCors
        case ("PUT", ["cors"]): return .putBucketCors
        case ("DELETE", ["cors"]): return .deleteBucketCors
        case ("POST", ["delete"]): return .deleteObjects
        case ("GET", ["uploads"]): return .listMultipartUploads
        default: break
        }
        let configurations: [String: String] = [
            "lifecycle": "BucketLifecycleConfiguration", "cors": "BucketCors", "versioning": "BucketVersioning", "policy": "BucketPolicy",
            "acl": "BucketAcl", "tagging": "BucketTagging", "encryption": "BucketEncryption", "website": "BucketWebsite",
            "logging": "BucketLogging", "notification": "BucketNotificationConfiguration", "replication": "BucketReplication",
            "ownershipControls": "BucketOwnershipControls", "publicAccessBlock": "PublicAccessBlock",
            "accelerate": "BucketAccelerateConfiguration", "requestPayment": "BucketRequestPayment",
            "object-lock": "ObjectLockConfiguration",
            "intelligent-tiering": "BucketIntelligentTieringConfiguration", "analytics": "BucketAnalyticsConfiguration",
            "inventory": "BucketInventoryConfiguration", "metrics": "BucketMetricsConfiguration", "policyStatus": "BucketPolicyStatus",
        ]
        if subresources.count == 1, let sub = subresources.first {
            if let name = configurations[sub], let verb = ["GET": "Get", "PUT": "Put", "DELETE": "Delete"][method] {
                return .notImplemented(verb + name)
            }
            let single: [String: String] = [
                "GET location": "GetBucketLocation", "GET versions": "ListObjectVersions",
                "POST delete": "DeleteObjects",
            ]
            if let name = single["\(method) \(sub)"] { return .notImplemented(name) }
        }
        return .notImplemented(describe(method, subresources, on: "a bucket"))
    }

    private static func signature(_ method: String, _ subresources: Set<String>) -> String {
        ([method] + subresources.sorted()).joined(separator: " ")
    }

    private static func describe(_ method: String, _ subresources: Set<String>, on target: String) -> String {
        subresources.isEmpty
            ? "\(method) on \(target)" : "\(method) on \(target) with ?\(subresources.sorted().joined(separator: "&"))"
    }
}
