import Foundation
import Testing

@testable import PAMServer

/// How the AWS endpoint reads a request's bucket, key and operation.
@Suite("S3 addressing and operations")
struct S3AddressingTests {
    @Test("path-style: bucket and percent-decoded key; a plus stays a plus")
    func pathStyle() {
        #expect(S3Address(host: "127.0.0.1:4566", rawPath: "/") == S3Address(bucket: nil, key: nil))
        #expect(S3Address(host: "127.0.0.1:4566", rawPath: "/pam-storage") == S3Address(bucket: "pam-storage", key: nil))
        #expect(S3Address(host: "127.0.0.1:4566", rawPath: "/pam-storage/") == S3Address(bucket: "pam-storage", key: nil))
        #expect(
            S3Address(host: "localhost:4566", rawPath: "/pam-storage/a%20dir/my%20photo+1.jpg")
                == S3Address(bucket: "pam-storage", key: "a dir/my photo+1.jpg"))
        #expect(S3Address(host: nil, rawPath: "/b/k/with//slashes") == S3Address(bucket: "b", key: "k/with//slashes"))
    }

    @Test("virtual-hosted: bucket.localhost, bucket.s3.localhost, bucket.s3.<region>.localhost; s3.localhost is the service")
    func virtualHosted() {
        #expect(S3Address(host: "pam-storage.localhost:4566", rawPath: "/a.jpg") == S3Address(bucket: "pam-storage", key: "a.jpg"))
        #expect(S3Address(host: "pam-storage.s3.localhost:4566", rawPath: "/") == S3Address(bucket: "pam-storage", key: nil))
        #expect(
            S3Address(host: "my.dotted.bucket.s3.us-east-1.localhost", rawPath: "/k") == S3Address(bucket: "my.dotted.bucket", key: "k"))
        #expect(S3Address(host: "s3.localhost:4566", rawPath: "/b/k") == S3Address(bucket: "b", key: "k"))
        #expect(S3Address(host: "s3.us-east-1.localhost", rawPath: "/b") == S3Address(bucket: "b", key: nil))
        #expect(S3Address(host: "localhost", rawPath: "/b/k") == S3Address(bucket: "b", key: "k"))
        #expect(S3Address(host: "[::1]:4566", rawPath: "/b/k") == S3Address(bucket: "b", key: "k"))
    }

    @Test("operations by method, target and subresource; the others named for the 501")
    func operations() {
        let service = S3Address(bucket: nil, key: nil)
        let bucket = S3Address(bucket: "b", key: nil)
        let object = S3Address(bucket: "b", key: "k")
        func identify(_ method: String, _ address: S3Address, _ query: Set<String> = [], copy: Bool = false) -> S3Operation {
            S3Operation.identify(method: method, address: address, query: query, copySource: copy)
        }
        #expect(identify("GET", service) == .listBuckets)
        #expect(identify("HEAD", bucket) == .headBucket)
        #expect(identify("GET", bucket, ["list-type", "prefix", "delimiter", "encoding-type"]) == .listObjectsV2)
        #expect(identify("PUT", object, ["x-id"]) == .putObject)
        #expect(identify("GET", object, ["X-Amz-Signature", "X-Amz-Credential"]) == .getObject)
        #expect(identify("HEAD", object) == .headObject)
        #expect(identify("DELETE", object) == .deleteObject)
        #expect(identify("GET", object, ["tagging"]) == .getObjectTagging)
        #expect(identify("PUT", object, ["tagging"]) == .putObjectTagging)
        #expect(identify("DELETE", object, ["tagging"]) == .deleteObjectTagging)

        #expect(identify("PUT", object, copy: true) == .copyObject)
        #expect(identify("POST", object, ["uploads", "x-id"]) == .createMultipartUpload)
        #expect(identify("PUT", object, ["partNumber", "uploadId"]) == .uploadPart)
        #expect(identify("PUT", object, ["partNumber", "uploadId"], copy: true) == .uploadPartCopy)
        #expect(identify("POST", object, ["uploadId"]) == .completeMultipartUpload)
        #expect(identify("DELETE", object, ["uploadId"]) == .abortMultipartUpload)
        #expect(identify("GET", object, ["uploadId", "max-parts", "part-number-marker"]) == .listParts)
        #expect(identify("GET", bucket, ["uploads", "prefix", "key-marker", "upload-id-marker", "max-uploads"]) == .listMultipartUploads)
        #expect(identify("GET", object, ["partNumber"]) == .notImplemented("GET of an object part (partNumber)"))
        #expect(identify("GET", object, ["response-content-type", "response-expires"]) == .getObject)
        #expect(identify("GET", object, ["response-other"]) == .notImplemented("GET on an object with ?response-other"))
        #expect(identify("GET", object, ["versionId"]) == .notImplemented("GET of an object version (versionId)"))
        #expect(identify("GET", bucket, ["versioning"]) == .notImplemented("GetBucketVersioning"))
        #expect(identify("PUT", bucket, ["lifecycle"]) == .putBucketLifecycle)
        #expect(identify("GET", bucket, ["lifecycle"]) == .getBucketLifecycle)
        #expect(identify("DELETE", bucket, ["lifecycle"]) == .deleteBucketLifecycle)
        #expect(identify("GET", bucket, ["cors"]) == .getBucketCors)
        #expect(identify("PUT", bucket, ["cors"]) == .putBucketCors)
        #expect(identify("DELETE", bucket, ["cors"]) == .deleteBucketCors)
        #expect(identify("GET", bucket, ["location"]) == .getBucketLocation)
        #expect(identify("POST", bucket, ["delete"]) == .deleteObjects)
        #expect(identify("PUT", bucket) == .createBucket)
        #expect(identify("DELETE", bucket) == .deleteBucket)
        #expect(identify("GET", bucket, ["prefix", "marker", "max-keys"]) == .listObjects)
        #expect(identify("GET", bucket, ["policy"]) == .notImplemented("GetBucketPolicy"))
        #expect(identify("POST", service) == .notImplemented("POST on the service endpoint"))
    }

    @Test("the keys: the configuration's and the environment's pair; the default pair only when neither gives one")
    func credentials() {
        #expect(AWSEndpointSettings.credentials(configured: nil, environment: [:]) == ["pam": "pam-local-secret"])
        #expect(AWSEndpointSettings.credentials(configured: ["a": "1"], environment: [:]) == ["a": "1"])
        let environment = ["PAM_AWS_ACCESS_KEY_ID": "b", "PAM_AWS_SECRET_ACCESS_KEY": "2"]
        #expect(AWSEndpointSettings.credentials(configured: ["a": "1"], environment: environment) == ["a": "1", "b": "2"])
        #expect(
            AWSEndpointSettings.credentials(configured: nil, environment: ["PAM_AWS_ACCESS_KEY_ID": "b"]) == ["pam": "pam-local-secret"])
    }
}
