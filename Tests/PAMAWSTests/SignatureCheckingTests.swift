import Foundation
import PAMConformance
import PAMAWS
import PAMCore
import Testing

/// moto with request-signature checking on (`INITIAL_NO_AUTH_ACTION_COUNT`): after an IAM user and
/// its access key are created, botocore's verifier inside moto must accept our signatures for
/// every service, and refuse them when the secret is wrong.
@Suite("Signatures checked by moto")
struct SignatureCheckingTests {
    /// Creates an IAM user with full access and an access key, with boto3, within the requests
    /// moto lets through unsigned.
    static func createUser(_ endpoint: URL) async throws -> AWSCredentials {
        let script = """
            import json, sys, boto3
            iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                               aws_access_key_id="setup", aws_secret_access_key="setup")
            iam.create_user(UserName="pam")
            iam.put_user_policy(UserName="pam", PolicyName="all", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
            key = iam.create_access_key(UserName="pam")["AccessKey"]
            print(key["AccessKeyId"], key["SecretAccessKey"])
            """
        let run = try await ExternalProcess.python(script, [endpoint.absoluteString])
        let parts = run.output.split(whereSeparator: \.isWhitespace)
        guard run.status == 0, parts.count == 2 else { throw PAMError(.io, "creating the IAM user failed: \(run.errors)") }
        return AWSCredentials(accessKeyID: String(parts[0]), secretAccessKey: String(parts[1]))
    }

    @Test("our signed requests are accepted and a wrong secret is refused, for S3, DynamoDB and SNS")
    func signatures() async throws {
        let server = MotoServer.signatureChecking
        let endpoint = try await server.endpoint()
        let credentials = try await Self.createUser(endpoint)
        let client = try await Moto.client(server: server, credentials: credentials)

        // S3: bucket, put (with tags and a key that needs encoding), head, get, list, tags, presigned GET.
        let bucket = Moto.uniqueName("pam-signed")
        _ = try await AWSBootstrap(client: client).createBucket(bucket)
        let store = S3ObjectStore(client: client)
        // moto's verifier re-encodes the URL its own way, so it refuses even botocore's requests for
        // keys with `+` or non-ASCII characters; a space is an encoding it checks faithfully.
        let ref = ObjectRef(bucket: bucket, key: "photos/lake view 1.jpg")
        try await store.put(ref, body: .data(Data("bytes".utf8)), options: PutOptions(contentType: "image/jpeg", tags: ["a": "b c"]))
        #expect(try await store.head(ref).size == 5)
        #expect(try await store.get(ref).collect() == Data("bytes".utf8))
        // (For the same reason, a `/` in the prefix: botocore's own ListObjectsV2 is refused too.)
        #expect(try await store.list(bucket: bucket, prefix: "photos", continuationToken: nil, maxKeys: 10).objects.count == 1)
        try await store.setTags(ref, ["rekognition": "complete"])
        #expect(try await store.tags(ref) == ["rekognition": "complete"])
        try await store.setStorageClass(ref, .intelligentTiering)

        // DynamoDB and SNS.
        let tableName = Moto.uniqueName("pam-signed")
        _ = try await AWSBootstrap(client: client).createTable(tableName)
        let table = DynamoDBLabelTable(client: client, tableName: tableName)
        #expect(try await table.record(imageKey: "a.jpg", labels: ["Sky"]) == ["Sky"])
        #expect(try await table.images(withAnyOf: ["Sky"]) == ["a.jpg"])
        let notifier = SNSNotifier(client: client, topicPrefix: "pam-signed", nameKey: Data("k".utf8))
        _ = try await notifier.deliver(PAMCore.Notification(subject: "s", body: "b"), to: .phone("+447700900123"))

        // The same calls with a wrong secret are refused.
        let wrong = try await Moto.client(server: server, credentials: AWSCredentials(accessKeyID: credentials.accessKeyID, secretAccessKey: "wrong"),
                                          retry: .none)
        do {
            _ = try await S3ObjectStore(client: wrong).head(ref)
            Issue.record("a wrong secret was accepted by S3")
        } catch let error as PAMError {
            #expect((error.underlying as? AWSServiceError)?.status == 403, "\(error)")
        }
        do {
            _ = try await DynamoDBLabelTable(client: wrong, tableName: tableName).allLabels()
            Issue.record("a wrong secret was accepted by DynamoDB")
        } catch let error as PAMError {
            let underlying = error.underlying as? AWSServiceError
            #expect(underlying?.status == 403 || underlying?.code == "InvalidSignatureException" || underlying?.code == "SignatureDoesNotMatch", "\(error)")
        }
        do {
            _ = try await SNSNotifier(client: wrong, topicPrefix: "pam-signed", nameKey: Data("k".utf8))
                .deliver(PAMCore.Notification(subject: "s", body: "b"), to: .phone("+447700900123"))
            Issue.record("a wrong secret was accepted by SNS")
        } catch let error as PAMError {
            #expect((error.underlying as? AWSServiceError)?.status == 403, "\(error)")
        }
    }
}
