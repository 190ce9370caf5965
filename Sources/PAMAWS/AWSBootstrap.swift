import Foundation
import Logging
import PAMCore
import PAMSigV4

/// Creates what the pipeline needs on an AWS endpoint, as the reference stack does: the storage
/// bucket (objects move to INTELLIGENT_TIERING after a day), the working bucket (zips expire after
/// a day), both with CORS for the browser's presigned uploads and downloads; the label table; the
/// notification topic. Every step is idempotent, so running it twice is harmless.
public struct AWSBootstrap: Sendable {
    /// What to create.
    public struct Names: Sendable, Hashable {
        public var storageBucket: String
        public var workingBucket: String
        public var labelsTable: String
        public var notificationTopic: String

        public init(storageBucket: String, workingBucket: String, labelsTable: String, notificationTopic: String) {
            self.storageBucket = storageBucket
            self.workingBucket = workingBucket
            self.labelsTable = labelsTable
            self.notificationTopic = notificationTopic
        }
    }

    public let client: AWSClient
    let logger: Logger

    public init(client: AWSClient, logger: Logger = Logger(label: "pam.aws.bootstrap")) {
        self.client = client
        self.logger = logger
    }

    /// Creates everything; returns one line per step for people.
    @discardableResult
    public func run(_ names: Names, config: PipelineConfig = PipelineConfig()) async throws -> [String] {
        var report: [String] = []
        let tieringDays = max(0, Int((config.tieringAge / 86400).rounded(.up)))
        let expiryDays = max(1, Int((config.bundleExpiry / 86400).rounded(.up)))
        report.append(try await createBucket(names.storageBucket))
        try await putLifecycle(
            names.storageBucket,
            rule: """
                <Rule><ID>pam-intelligent-tiering</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>\
                <Transition><Days>\(tieringDays)</Days><StorageClass>INTELLIGENT_TIERING</StorageClass></Transition>\
                <AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>
                """)
        try await putCORS(names.storageBucket)
        report.append(try await createBucket(names.workingBucket))
        try await putLifecycle(
            names.workingBucket,
            rule: """
                <Rule><ID>pam-expire-bundles</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>\
                <Expiration><Days>\(expiryDays)</Days></Expiration>\
                <AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>
                """)
        try await putCORS(names.workingBucket)
        report.append(try await createTable(names.labelsTable))
        report.append(try await createTopic(names.notificationTopic))
        return report
    }

    /// Creates `bucket` in the configured region; an existing bucket of ours is fine.
    public func createBucket(_ bucket: String) async throws -> String {
        try S3ObjectStore.validate(bucket: bucket)
        let store = S3ObjectStore(client: client)
        let region = client.configuration.region
        let body =
            region == "us-east-1"
            ? Data()
            : Data(
                """
                <CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>
                """.utf8)
        do {
            _ = try await client.send(store.request(ObjectRef(bucket: bucket, key: ""), "CreateBucket", method: "PUT", body: body))
            return "bucket \(bucket): created"
        } catch let error as AWSServiceError where error.code == "BucketAlreadyOwnedByYou" {
            return "bucket \(bucket): already there"
        } catch {
            throw PAMError(.storage, "S3 CreateBucket \(bucket) failed", path: bucket, underlying: error)
        }
    }

    private func putLifecycle(_ bucket: String, rule: String) async throws {
        let body = Data("<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\(rule)</LifecycleConfiguration>".utf8)
        try await putBucketSubresource(bucket, "lifecycle", operation: "PutBucketLifecycleConfiguration", body: body)
    }

    private func putCORS(_ bucket: String) async throws {
        let methods = ["GET", "PUT", "POST", "HEAD"].map { "<AllowedMethod>\($0)</AllowedMethod>" }.joined()
        let body = Data(
            """
            <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule><AllowedOrigin>*</AllowedOrigin>\
            \(methods)<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>
            """.utf8)
        try await putBucketSubresource(bucket, "cors", operation: "PutBucketCors", body: body)
    }

    private func putBucketSubresource(_ bucket: String, _ subresource: String, operation: String, body: Data) async throws {
        let store = S3ObjectStore(client: client)
        var request = store.request(
            ObjectRef(bucket: bucket, key: ""), operation, method: "PUT",
            headers: [
                SigV4Request.Field("Content-Type", "application/xml"), SigV4Request.Field("Content-MD5", S3ObjectStore.contentMD5(body)),
            ], body: body)
        request.query = [SigV4Request.Field(subresource, "")]
        _ = try await store.send(nil, operation, request, bucket: bucket)
    }

    /// Creates the label table (on-demand capacity) and waits until it is active.
    public func createTable(_ name: String) async throws -> String {
        struct Attribute: Encodable {
            let AttributeName: String
            let AttributeType: String
        }
        struct KeyElement: Encodable {
            let AttributeName: String
            let KeyType: String
        }
        struct CreateTable: Encodable {
            let TableName: String
            let AttributeDefinitions = [Attribute(AttributeName: "Label", AttributeType: "S")]
            let KeySchema = [KeyElement(AttributeName: "Label", KeyType: "HASH")]
            let BillingMode = "PAY_PER_REQUEST"
        }
        struct Describe: Encodable { let TableName: String }
        struct Described: Decodable {
            struct Table: Decodable { let TableStatus: String? }
            let Table: Table?
        }
        var outcome = "created"
        do {
            _ = try await client.callJSON(
                .dynamodb, target: DynamoDBLabelTable.target, operation: "CreateTable", version: "1.0",
                input: CreateTable(TableName: name), as: AWSEmpty.self)
        } catch let error as AWSServiceError where error.code == "ResourceInUseException" {
            outcome = "already there"
        } catch {
            throw PAMError(.table, "DynamoDB CreateTable \(name) failed", underlying: error)
        }
        for _ in 0..<120 {
            let described = try await client.callJSON(
                .dynamodb, target: DynamoDBLabelTable.target, operation: "DescribeTable", version: "1.0",
                input: Describe(TableName: name), as: Described.self)
            if described.Table?.TableStatus == "ACTIVE" { return "table \(name): \(outcome)" }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw PAMError(.table, "DynamoDB table \(name) did not become active within a minute")
    }

    /// Creates the notification topic and returns its line of the report.
    public func createTopic(_ name: String) async throws -> String {
        do {
            let result = try await client.callQuery(.sns, action: "CreateTopic", version: SNSNotifier.version, parameters: [("Name", name)])
            return "topic \(name): \(result.value("TopicArn") ?? "created")"
        } catch {
            throw PAMError(.notification, "SNS CreateTopic \(name) failed", underlying: error)
        }
    }
}
