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
        def chunked_put(path, payload, corrupt=False, answer_headers=None):
            # PUTs `payload` to `path` (query included) as botocore's aws-chunked body with a crc32 trailer, signed
            # by hand (botocore sends trailers only over https); `corrupt` flips a byte of the encoded body; the
            # answer's headers go into `answer_headers` (a dict, names in lower case) when one is given.
            import io, os, http.client, urllib.parse
            import botocore.auth, botocore.awsrequest, botocore.credentials, botocore.httpchecksum as h
            endpoint = urllib.parse.urlparse(os.environ["AWS_ENDPOINT_URL"])
            body = h.AwsChunkedWrapper(io.BytesIO(payload), checksum_cls=h.Crc32Checksum, checksum_name="x-amz-checksum-crc32",
                                       chunk_size=64 * 1024).read()
            if corrupt:
                body = body[:len(body) // 2] + bytes([body[len(body) // 2] ^ 1]) + body[len(body) // 2 + 1:]
            request = botocore.awsrequest.AWSRequest(method="PUT", url=os.environ["AWS_ENDPOINT_URL"] + path,
                headers={"Content-Encoding": "aws-chunked", "x-amz-trailer": "x-amz-checksum-crc32",
                         "x-amz-decoded-content-length": str(len(payload)), "Content-Length": str(len(body))}, data=b"")
            request.context["checksum"] = {"request_algorithm": {"in": "trailer", "algorithm": "crc32", "name": "x-amz-checksum-crc32"}}
            credentials = botocore.credentials.Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
            botocore.auth.S3SigV4Auth(credentials, "s3", "us-east-1").add_auth(request)
            connection = http.client.HTTPConnection(endpoint.hostname, endpoint.port)
            connection.request("PUT", path, body=body, headers=dict(request.headers))
            answer = connection.getresponse()
            if answer_headers is not None:
                answer_headers.update((name.lower(), value) for name, value in answer.getheaders())
            return answer.status, answer.getheader("ETag"), answer.read().decode()

        """
}

extension ExternalProcess.Result {
    /// What it printed, for a failure message.
    var transcript: String { "status \(status)\n\(output)\n\(errors)" }
}
