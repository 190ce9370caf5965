import Foundation
import PAMAWS
import PAMCore
import PAMSigV4
import Testing

/// Credentials, region and endpoints resolved like the AWS SDKs.
@Suite("AWSConfiguration")
struct AWSConfigurationTests {
    /// A home folder with `.aws/credentials` and `.aws/config`.
    static func home(credentials: String, config: String) throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pam-aws-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        try credentials.write(to: home.appendingPathComponent(".aws/credentials"), atomically: true, encoding: .utf8)
        try config.write(to: home.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8)
        return home.path
    }

    static let credentialsFile = """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        # a comment
        [work]
        aws_access_key_id=AKIDWORK
        aws_secret_access_key=work-secret
        aws_session_token = work-token
        """
    static let configFile = """
        [default]
        region = eu-west-1

        [profile work]
        region = eu-central-1
        endpoint_url = http://localhost:4566

        [profile configonly]
        aws_access_key_id = AKIDCONFIG
        aws_secret_access_key = config-secret
        region = ap-southeast-2
        s3 =
          addressing_style = path
        """

    @Test("environment variables come first")
    func environmentFirst() throws {
        let home = try Self.home(credentials: Self.credentialsFile, config: Self.configFile)
        let configuration = try AWSConfiguration.resolve(
            environment: [
                "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
                "AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "us-east-2",
            ], home: home)
        #expect(
            configuration.credentials == AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
        #expect(configuration.region == "us-west-2")
        #expect(configuration.endpoint(for: .s3) == URL(string: "https://s3.us-west-2.amazonaws.com"))
        #expect(configuration.endpoint(for: .dynamodb) == URL(string: "https://dynamodb.us-west-2.amazonaws.com"))
        #expect(!configuration.s3PathStyle)
        #expect(
            try AWSConfiguration.resolve(
                environment: [
                    "AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B", "AWS_DEFAULT_REGION": "us-east-2",
                ], home: home
            ).region == "us-east-2")
    }

    @Test("then the profile in the shared credentials and config files")
    func profiles() throws {
        let home = try Self.home(credentials: Self.credentialsFile, config: Self.configFile)
        let byDefault = try AWSConfiguration.resolve(environment: [:], home: home)
        #expect(byDefault.credentials == AWSCredentials(accessKeyID: "AKIDDEFAULT", secretAccessKey: "default-secret"))
        #expect(byDefault.region == "eu-west-1")

        let work = try AWSConfiguration.resolve(environment: ["AWS_PROFILE": "work"], home: home)
        #expect(work.credentials == AWSCredentials(accessKeyID: "AKIDWORK", secretAccessKey: "work-secret", sessionToken: "work-token"))
        #expect(work.region == "eu-central-1")
        #expect(work.endpoint(for: .sns) == URL(string: "http://localhost:4566"))
        #expect(work.s3PathStyle)

        let configOnly = try AWSConfiguration.resolve(environment: ["AWS_PROFILE": "configonly"], home: home)
        #expect(configOnly.credentials.accessKeyID == "AKIDCONFIG" && configOnly.region == "ap-southeast-2")

        let elsewhere = try Self.home(credentials: "", config: "")
        let files = try AWSConfiguration.resolve(
            environment: [
                "AWS_SHARED_CREDENTIALS_FILE": home + "/.aws/credentials", "AWS_CONFIG_FILE": home + "/.aws/config", "AWS_PROFILE": "work",
            ], home: elsewhere)
        #expect(files.credentials.accessKeyID == "AKIDWORK")
    }

    @Test("AWS_ENDPOINT_URL_<SERVICE> beats AWS_ENDPOINT_URL; S3 goes path-style when overridden")
    func endpoints() throws {
        let home = try Self.home(credentials: "", config: "")
        let configuration = try AWSConfiguration.resolve(
            environment: [
                "AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B", "AWS_REGION": "eu-west-1",
                "AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000",
            ], home: home)
        #expect(configuration.endpoint(for: .s3) == URL(string: "http://127.0.0.1:5000"))
        #expect(configuration.endpoint(for: .rekognition) == URL(string: "http://127.0.0.1:5000"))
        #expect(configuration.endpoint(for: .dynamodb) == URL(string: "http://127.0.0.1:8000"))
        #expect(configuration.s3PathStyle)

        let onlyS3 = try AWSConfiguration.resolve(
            environment: [
                "AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B", "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000",
            ], home: home)
        #expect(onlyS3.endpoint(for: .s3) == URL(string: "http://127.0.0.1:9000"))
        #expect(onlyS3.endpoint(for: .sns) == URL(string: "https://sns.us-east-1.amazonaws.com"))
        #expect(onlyS3.region == "us-east-1", "an emulator without a region gets us-east-1")

        let ignored = try AWSConfiguration.resolve(
            environment: [
                "AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B", "AWS_REGION": "eu-west-1",
                "AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
            ], home: home)
        #expect(ignored.endpointOverrides.isEmpty && !ignored.s3PathStyle)
    }

    @Test("missing credentials or region and bad endpoints are clear errors")
    func errors() throws {
        let home = try Self.home(credentials: "", config: "")
        #expect(throws: PAMError.self) { try AWSConfiguration.resolve(environment: ["AWS_REGION": "eu-west-1"], home: home) }
        #expect(throws: PAMError.self) {
            try AWSConfiguration.resolve(environment: ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B"], home: home)
        }
        #expect(throws: PAMError.self) {
            try AWSConfiguration.resolve(
                environment: [
                    "AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B", "AWS_REGION": "eu-west-1",
                    "AWS_ENDPOINT_URL": "ftp://example.com",
                ], home: home)
        }
        #expect(throws: PAMError.self) {
            try AWSConfiguration.resolve(
                environment: ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B", "AWS_REGION": "eu/west"], home: home)
        }
    }
}
