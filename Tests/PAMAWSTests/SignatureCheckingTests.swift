import AsyncHTTPClient
import Foundation
import PAMAWS
import PAMCore
import PAMSigV4
import PAMTestSupport
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

    /// botocore's presigned GET for the object `url` names, made at the instant in its
    /// `X-Amz-Date` with `credentials`, path-style on `endpoint`.
    static func botocorePresignedGET(like url: URL, endpoint: URL, credentials: AWSCredentials) async throws -> String {
        let script = """
            import datetime, sys, urllib.parse
            from unittest import mock
            import boto3
            from botocore.config import Config
            url, endpoint, key, secret = sys.argv[1:5]
            parts = urllib.parse.urlsplit(url)
            query = dict(urllib.parse.parse_qsl(parts.query))
            bucket, object_key = urllib.parse.unquote(parts.path).lstrip("/").split("/", 1)
            when = datetime.datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
            with mock.patch("botocore.auth.get_current_datetime", return_value=when):
                s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key,
                                  aws_secret_access_key=secret, config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
                print(s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": object_key},
                                                ExpiresIn=int(query["X-Amz-Expires"])))
            """
        let run = try await ExternalProcess.python(
            script, [url.absoluteString, endpoint.absoluteString, credentials.accessKeyID, credentials.secretAccessKey])
        guard run.status == 0 else { throw PAMError(.io, "botocore presigning failed: \(run.errors)") }
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("our signed requests are accepted and a wrong secret is refused, for S3, DynamoDB and SNS")
    func signatures() async throws {
        let server = MotoServer.signatureChecking
        let endpoint = try await server.endpoint()
        let credentials = try await Self.createUser(endpoint)
        let client = try await Moto.client(server: server, credentials: credentials)

        // S3: bucket, put (with tags and a key that needs encoding), head, get, list, tags, presigned GET (made below).
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
        // A presigned GET. moto's verifier cannot check query-string signatures (moto 5.2.1 answers
        // 500, KeyError 'HTTP_AUTHORIZATION'), so botocore's signer checks it instead: at the URL's
        // own instant and with the same user's key it must make the same URL, character for
        // character, and the GET of it (on the non-checking moto) serves the object.
        let presigned = try await store.presignedURL(.get, ref, expiresIn: 300, contentType: nil)
        #expect(
            try await Self.botocorePresignedGET(like: presigned, endpoint: endpoint, credentials: credentials) == presigned.absoluteString)
        let wrongSecret = AWSCredentials(accessKeyID: credentials.accessKeyID, secretAccessKey: "wrong")
        #expect(
            try await Self.botocorePresignedGET(like: presigned, endpoint: endpoint, credentials: wrongSecret) != presigned.absoluteString)
        let plainClient = try await Moto.client()
        let plainBucket = Moto.uniqueName("pam-presigned")
        _ = try await AWSBootstrap(client: plainClient).createBucket(plainBucket)
        let plainRef = ObjectRef(bucket: plainBucket, key: ref.key)
        let plainStore = S3ObjectStore(client: plainClient)
        try await plainStore.put(plainRef, body: .data(Data("bytes".utf8)), options: PutOptions(contentType: "image/jpeg"))
        let fetched = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: try await plainStore.presignedURL(.get, plainRef, expiresIn: 300, contentType: nil).absoluteString),
            timeout: .seconds(30))
        #expect(fetched.status.code == 200)
        #expect(Data(try await fetched.body.collect(upTo: 1 << 20).readableBytesView) == Data("bytes".utf8))

        // DynamoDB and SNS.
        let tableName = Moto.uniqueName("pam-signed")
        _ = try await AWSBootstrap(client: client).createTable(tableName)
        let table = DynamoDBLabelTable(client: client, tableName: tableName)
        #expect(try await table.record(imageKey: ref.key, labels: ["Sky"]) == LabelChange(added: ["Sky"]))
        #expect(try await table.images(withAnyOf: ["Sky"]) == [ref.key])
        #expect(try await table.record(imageKey: ref.key, labels: ["Lake"]) == LabelChange(added: ["Lake"], removed: ["Sky"]))
        let notifier = SNSNotifier(client: client, topicPrefix: "pam-signed", nameKey: Data("k".utf8))
        _ = try await notifier.deliver(PAMCore.Notification(subject: "s", body: "b"), to: .phone("+447700900123"))

        // A real bundle: its message (several lines, spaces, a presigned URL with `&`, `%` and `=`)
        // published by e-mail and SMS; moto hashes the form body as botocore sends it (`+` for a space).
        let config = PipelineConfig(storageBucket: bucket, workingBucket: bucket)
        let download = DownloadService(store: store, table: table, notifier: notifier, config: config)
        for recipient in [Recipient.email("ada@example.com"), .phone("+447700900123")] {
            let receipt = try await download.requestDownload(labels: ["Lake"], recipient: recipient)
            #expect(receipt.photoCount == 1 && !receipt.delivery.messageID.isEmpty)
            let published = try await SNSNotifierTests.published(receipt.delivery, endpoint: endpoint)
            #expect(published.body.contains("labelled Lake is ready.\n\nDownload it within 24 hours:\n\(receipt.url.absoluteString)"))
        }

        // The same calls with a wrong secret are refused.
        let wrong = try await Moto.client(
            server: server, credentials: AWSCredentials(accessKeyID: credentials.accessKeyID, secretAccessKey: "wrong"),
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
            // moto answers DynamoDB's refusal with a body our JSON reader has no code in: the status is the check.
            #expect(underlying?.status == 403, "\(error)")
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
