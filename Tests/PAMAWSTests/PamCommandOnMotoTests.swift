import Foundation
import PAMCore
import PAMTestSupport
import Testing

/// The `pam` executable against moto, checked with boto3: `pam aws bootstrap`, and per-port
/// switching (`PAM_STORAGE=aws PAM_TABLE=aws` with the local labeler and the local outbox).
@Suite("pam command on moto")
struct PamCommandOnMotoTests {
    /// Runs a boto3 script with the endpoint as `sys.argv[1]` and prints what it prints.
    static func boto3(_ script: String, _ endpoint: URL, _ arguments: [String] = []) async throws -> String {
        let prelude = """
            import boto3, json, sys
            def client(service):
                return boto3.client(service, endpoint_url=sys.argv[1], region_name="us-east-1",
                                    aws_access_key_id="testing", aws_secret_access_key="testing")

            """
        let run = try await ExternalProcess.python(prelude + script, [endpoint.absoluteString] + arguments)
        #expect(run.status == 0, "\(run.errors)")
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func names() -> [String: String] {
        [
            "STORAGE_BUCKET_NAME": Moto.uniqueName("pam-storage"), "WORKING_BUCKET_NAME": Moto.uniqueName("pam-working"),
            "LABELS_TABLE_NAME": Moto.uniqueName("pam-labels"), "NOTIFICATION_TOPIC": Moto.uniqueName("pam-notify"),
        ]
    }

    @Test("pam aws bootstrap creates the buckets (tiering, expiry, CORS), the table and the topic; twice is harmless")
    func bootstrap() async throws {
        let endpoint = try await MotoServer.shared.endpoint()
        let names = Self.names()
        let environment = PamCommand.awsEnvironment(endpoint).merging(names) { $1 }
        for _ in 0..<2 {
            let run = try await PamCommand.run(["aws", "bootstrap"], environment: environment)
            #expect(run.status == 0, "\(run.output)\(run.errors)")
        }
        let found = try await Self.boto3(
            """
            s3, names = client("s3"), json.loads(sys.argv[2])
            storage, working = names["STORAGE_BUCKET_NAME"], names["WORKING_BUCKET_NAME"]
            buckets = {b["Name"] for b in s3.list_buckets()["Buckets"]}
            tiering = s3.get_bucket_lifecycle_configuration(Bucket=storage)["Rules"][0]["Transitions"][0]
            expiry = s3.get_bucket_lifecycle_configuration(Bucket=working)["Rules"][0]["Expiration"]
            cors = s3.get_bucket_cors(Bucket=working)["CORSRules"][0]
            table = client("dynamodb").describe_table(TableName=names["LABELS_TABLE_NAME"])["Table"]
            topics = [t["TopicArn"].split(":")[-1] for t in client("sns").list_topics()["Topics"]]
            print(json.dumps({
                "buckets": storage in buckets and working in buckets,
                "tiering": tiering["StorageClass"], "expiry": expiry["Days"], "cors": cors["AllowedOrigins"],
                "key": [k["AttributeName"] for k in table["KeySchema"]], "status": table["TableStatus"],
                "topic": topics.count(names["NOTIFICATION_TOPIC"]),
            }, sort_keys=True))
            """, endpoint, [String(decoding: try JSONSerialization.data(withJSONObject: names), as: UTF8.self)])
        let facts = try #require(try JSONSerialization.jsonObject(with: Data(found.utf8)) as? [String: Any], "\(found)")
        #expect(facts["buckets"] as? Bool == true)
        #expect(facts["tiering"] as? String == "INTELLIGENT_TIERING")
        #expect(facts["expiry"] as? Int == 1)
        #expect(facts["cors"] as? [String] == ["*"])
        #expect(facts["key"] as? [String] == ["Label"])
        #expect(facts["status"] as? String == "ACTIVE")
        #expect(facts["topic"] as? Int == 1)
    }

    @Test(
        "PAM_STORAGE=aws PAM_TABLE=aws: photos in moto's S3, counts in its DynamoDB equal the local labeler's, the bundle in S3, the message in the local outbox"
    )
    func perPortSwitching() async throws {
        let endpoint = try await MotoServer.shared.endpoint()
        let names = Self.names()
        let aws = PamCommand.awsEnvironment(endpoint).merging(names) { $1 }
        #expect(try await PamCommand.run(["aws", "bootstrap"], environment: aws).status == 0)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pam-ports-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let photos = folder.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for photo in PipelineOnMotoTests.photos(6) {
            try FileManager.default.copyItem(at: photo, to: photos.appendingPathComponent(photo.lastPathComponent))
        }
        let mixed = aws.merging(["PAM_BACKEND": "local", "PAM_STORAGE": "aws", "PAM_TABLE": "aws"]) { $1 }
        let state = folder.appendingPathComponent("mixed").path
        // One photo at a time: moto's UpdateItem is not atomic, so concurrent records of one label lose counts there.
        let imported = try await PamCommand.run(["import", "--state", state, "--concurrency", "1", photos.path], environment: mixed)
        #expect(imported.status == 0 && imported.output.contains("Imported 6, skipped 0"), "\(imported.output)\(imported.errors)")

        // The same photos all local: the labeler's answer, counted by SQLite.
        let localState = folder.appendingPathComponent("local").path
        #expect(
            try await PamCommand.run(["import", "--state", localState, photos.path], environment: ["PAM_BACKEND": "local"]).status == 0)
        let localLabels = try await PamCommand.run(["labels", "--state", localState, "--json"], environment: ["PAM_BACKEND": "local"])
        let localJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(localLabels.output.utf8)) as? [String: [String: [String: Int]]])
        let expected = try #require(localJSON["labels"]).mapValues { $0["count"] ?? 0 }
        #expect(!expected.isEmpty)

        let stored = try await Self.boto3(
            """
            names = json.loads(sys.argv[2])
            keys = [o["Key"] for o in client("s3").list_objects_v2(Bucket=names["STORAGE_BUCKET_NAME"]).get("Contents", [])]
            items = client("dynamodb").scan(TableName=names["LABELS_TABLE_NAME"])["Items"]
            print(json.dumps({"photos": len(keys), "counts": {i["Label"]["S"]: int(i["Count"]["N"]) for i in items}}))
            """, endpoint, [String(decoding: try JSONSerialization.data(withJSONObject: names), as: UTF8.self)])
        let facts = try #require(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any], "\(stored)")
        #expect(facts["photos"] as? Int == 6)
        #expect(facts["counts"] as? [String: Int] == expected)
        // Nothing of it went to the local buckets or table.
        let localPhotos = (try? FileManager.default.contentsOfDirectory(atPath: "\(state)/objects/pam-storage")) ?? []
        #expect(localPhotos.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "\(state)/labels.sqlite"))

        let label = try #require(expected.max { $0.value < $1.value }?.key)
        let download = try await PamCommand.run(
            ["download", "--state", state, "--label", label, "--email", "ports@example.com"], environment: mixed)
        #expect(download.status == 0, "\(download.output)\(download.errors)")
        let bundles = try await Self.boto3(
            """
            names = json.loads(sys.argv[2])
            print(len([o for o in client("s3").list_objects_v2(Bucket=names["WORKING_BUCKET_NAME"]).get("Contents", []) if o["Key"].endswith(".zip")]))
            """, endpoint, [String(decoding: try JSONSerialization.data(withJSONObject: names), as: UTF8.self)])
        #expect(bundles == "1")
        let outbox = try FileManager.default.contentsOfDirectory(atPath: "\(state)/outbox").filter { $0.hasSuffix(".eml") }
        #expect(outbox.count == 1)
        let message = try String(contentsOfFile: "\(state)/outbox/\(try #require(outbox.first))", encoding: .utf8)
        #expect(message.contains("ports@example.com") && message.contains("\(endpoint.absoluteString)/\(names["WORKING_BUCKET_NAME"]!)/"))
    }
}
