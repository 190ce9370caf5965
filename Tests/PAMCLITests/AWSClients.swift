import Foundation
import PAMTestSupport

/// boto3 and the aws CLI pointed at a running server's AWS endpoint, with the default key pair
/// (or another), run as subprocesses with a clean AWS configuration.
struct AWSClients {
    let server: ServerProcess
    var accessKeyID = "pam"
    var secretAccessKey = "pam-local-secret"

    /// The environment clients read, through `/usr/bin/env`: endpoint, keys, region; no shared
    /// config or credentials files, no instance metadata.
    var environment: [String] {
        [
            "-u", "AWS_PROFILE", "-u", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL=http://127.0.0.1:\(server.awsPort)",
            "AWS_ACCESS_KEY_ID=\(accessKeyID)",
            "AWS_SECRET_ACCESS_KEY=\(secretAccessKey)", "AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1",
            "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true",
        ]
    }

    /// `python3 -c` the script after `prelude` (boto3 imported, `s3` a client of the endpoint).
    func python(_ script: String, _ arguments: [String] = []) async throws -> ExternalProcess.Result {
        try await ExternalProcess.run(environment + ["python3", "-c", Self.prelude + script] + arguments)
    }

    /// `aws …` (the CLI).
    func aws(_ arguments: [String]) async throws -> ExternalProcess.Result {
        try await ExternalProcess.run(environment + ["aws"] + arguments)
    }

    static let prelude = """
        import sys, json, hashlib, boto3, botocore
        from botocore.exceptions import ClientError
        s3 = boto3.client("s3")
        def refusal(call, **kwargs):
            try:
                call(**kwargs)
            except ClientError as error:
                return error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"], error.response["Error"].get("Message", "")
            raise AssertionError("no error from " + call.__name__)

        """
}

extension ExternalProcess.Result {
    /// What it printed, for a failure message.
    var transcript: String { "status \(status)\n\(output)\n\(errors)" }
}
