import Foundation
import PAMAWS
import PAMCore
import PAMSigV4
import PAMTestSupport
import Testing

/// Our presigned URLs against botocore's for the same inputs at the same instant: they must be
/// identical, character for character.
@Suite("Presigned URLs match botocore")
struct BotocorePresignTests {
    struct Case: Codable, Sendable, CustomTestStringConvertible {
        var method: String
        var bucket: String
        var key: String
        var contentType: String?
        var expires: Int
        var testDescription: String { "\(method) \(bucket)/\(key)" }
    }

    static let cases = [
        Case(method: "GET", bucket: "pam-storage", key: "photo.jpg", contentType: nil, expires: 86400),
        Case(method: "GET", bucket: "pam-working", key: "c0ffee00-1111-2222-3333-444455556666.zip", contentType: nil, expires: 24 * 3600),
        Case(method: "PUT", bucket: "pam-storage", key: "0f8e6c3a-uuid-lake view é+ü&=.jpg", contentType: "image/jpeg", expires: 900),
        Case(method: "GET", bucket: "pam-storage", key: "a/b/../c//d~e(1)!*'.jpg", contentType: nil, expires: 604_800),
    ]
    static let date = Date(timeIntervalSince1970: 1_893_553_445) // 2030-01-02T03:04:05Z

    /// botocore's URLs for `cases`, one per line, with `get_current_datetime` fixed.
    static func botocoreURLs(endpoint: String?, region: String, credentials: AWSCredentials) async throws -> [String] {
        let script = """
            import datetime, json, sys
            from unittest import mock
            import boto3, botocore.auth
            from botocore.config import Config
            spec = json.loads(sys.argv[1])
            fixed = datetime.datetime(2030, 1, 2, 3, 4, 5)
            with mock.patch("botocore.auth.get_current_datetime", return_value=fixed):
                kwargs = dict(region_name=spec["region"], aws_access_key_id=spec["key"], aws_secret_access_key=spec["secret"],
                              aws_session_token=spec.get("token"), config=Config(signature_version="s3v4",
                              s3={"addressing_style": "path" if spec.get("endpoint") else "virtual"}))
                if spec.get("endpoint"):
                    kwargs["endpoint_url"] = spec.get("endpoint")
                s3 = boto3.client("s3", **kwargs)
                for case in spec["cases"]:
                    params = {"Bucket": case["bucket"], "Key": case["key"]}
                    if case.get("contentType"):
                        params["ContentType"] = case["contentType"]
                    operation = "get_object" if case["method"] == "GET" else "put_object"
                    print(s3.generate_presigned_url(operation, Params=params, ExpiresIn=case["expires"]))
            """
        struct Spec: Encodable {
            let region: String, key: String, secret: String, token: String?, endpoint: String?, cases: [Case]
        }
        let spec = try JSONEncoder().encode(
            Spec(
                region: region, key: credentials.accessKeyID, secret: credentials.secretAccessKey,
                token: credentials.sessionToken, endpoint: endpoint, cases: cases))
        let run = try await ExternalProcess.python(script, [String(decoding: spec, as: UTF8.self)])
        guard run.status == 0 else {
            throw PAMError(.io, "python3 with boto3 failed (pip install boto3): \(run.errors)")
        }
        return run.output.split(separator: "\n").map(String.init)
    }

    static func ourURLs(_ configuration: AWSConfiguration) async throws -> [String] {
        let store = S3ObjectStore(client: AWSClient(configuration: configuration, clock: ManualClock(date)))
        var urls: [String] = []
        for testCase in cases {
            let url = try await store.presignedURL(
                PresignMethod(rawValue: testCase.method) ?? .get,
                ObjectRef(bucket: testCase.bucket, key: testCase.key),
                expiresIn: TimeInterval(testCase.expires), contentType: testCase.contentType)
            urls.append(url.absoluteString)
        }
        return urls
    }

    @Test("path-style against an emulator endpoint")
    func pathStyle() async throws {
        let credentials = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let endpoint = "http://127.0.0.1:5000"
        let configuration = AWSConfiguration(
            credentials: credentials, region: "us-east-1",
            endpointOverrides: [.s3: try #require(URL(string: endpoint))])
        let ours = try await Self.ourURLs(configuration)
        let theirs = try await Self.botocoreURLs(endpoint: endpoint, region: "us-east-1", credentials: credentials)
        #expect(ours.count == Self.cases.count)
        for (mine, boto) in zip(ours, theirs) { #expect(mine == boto) }
    }

    @Test("virtual-hosted on AWS, with a session token")
    func virtualHosted() async throws {
        let credentials = AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret/with+chars", sessionToken: "FwoGZX+token/=")
        let configuration = AWSConfiguration(credentials: credentials, region: "eu-west-1")
        let ours = try await Self.ourURLs(configuration)
        let theirs = try await Self.botocoreURLs(endpoint: nil, region: "eu-west-1", credentials: credentials)
        #expect(ours.count == Self.cases.count && theirs.count == Self.cases.count)
        for (mine, boto) in zip(ours, theirs) { #expect(mine == boto) }
    }
}
