import Foundation
import PAMCore
import PAMSigV4
import PAMTestSupport
import Testing

/// A real client's requests: botocore signs an S3 PUT with a streaming checksum trailer, as boto3
/// and the aws CLI do by default, and writes its aws-chunked body; the verifier accepts the
/// request and the decoder returns the payload.
@Suite("botocore's aws-chunked uploads")
struct BotocoreChunkedTests {
    struct Upload: Decodable {
        var headers: [String: String]
        var url: String
        var body: String
    }

    /// botocore's signed headers, URL and base64 body for a PUT of `length` bytes with a
    /// `checksum` trailer, at 2030-01-02T03:04:05Z.
    static func botocoreUpload(checksum: String, length: Int) async throws -> Upload {
        let script = """
            import base64, datetime, io, json, sys
            from unittest import mock
            import botocore.auth, botocore.awsrequest, botocore.credentials, botocore.httpchecksum as h
            name, length = sys.argv[1], int(sys.argv[2])
            payload = bytes((i * 131 + 7) & 0xFF for i in range(length))
            classes = {"crc32": h.Crc32Checksum, "sha1": h.Sha1Checksum, "sha256": h.Sha256Checksum}
            body = h.AwsChunkedWrapper(io.BytesIO(payload), checksum_cls=classes[name], checksum_name="x-amz-checksum-" + name,
                                       chunk_size=64 * 1024).read()
            request = botocore.awsrequest.AWSRequest(method="PUT", url="http://127.0.0.1:4566/pam-storage/my%20photo%2B1.jpg",
                headers={"Content-Encoding": "aws-chunked", "x-amz-trailer": "x-amz-checksum-" + name,
                         "x-amz-decoded-content-length": str(length), "Content-Length": str(len(body))}, data=b"")
            request.context["checksum"] = {"request_algorithm": {"in": "trailer", "algorithm": name, "name": "x-amz-checksum-" + name}}
            with mock.patch("botocore.auth.get_current_datetime", return_value=datetime.datetime(2030, 1, 2, 3, 4, 5)):
                botocore.auth.S3SigV4Auth(botocore.credentials.Credentials("AKIDPAM", "pam-secret/+="), "s3", "eu-west-1").add_auth(request)
            headers = dict(request.headers)
            headers["Host"] = "127.0.0.1:4566"
            print(json.dumps({"headers": headers, "url": request.url, "body": base64.b64encode(body).decode()}))
            """
        let run = try await ExternalProcess.python(script, [checksum, String(length)])
        guard run.status == 0 else { throw PAMError(.io, "python3 with botocore failed (pip install boto3): \(run.errors)") }
        return try JSONDecoder().decode(Upload.self, from: Data(run.output.utf8))
    }

    @Test("botocore's signed STREAMING-UNSIGNED-PAYLOAD-TRAILER PUT verifies and decodes", arguments: ["crc32", "sha1", "sha256"])
    func unsignedTrailer(_ checksum: String) async throws {
        let length = 200_000
        let upload = try await Self.botocoreUpload(checksum: checksum, length: length)
        let target = String(upload.url.dropFirst("http://127.0.0.1:4566".count))
        let request = SigV4ReceivedRequest(
            method: "PUT", target: target, headers: upload.headers.map { SigV4Request.Field($0.key, $0.value) })
        let verifier = SigV4Verifier(
            credentials: ["AKIDPAM": "pam-secret/+="], clock: ManualClock(Date(timeIntervalSince1970: 1_893_553_445)))
        let auth = try verifier.verify(request)
        #expect(auth.payload == .streamingUnsignedTrailer && auth.region == "eu-west-1" && auth.service == "s3")
        #expect(auth.signedHeaders.contains("x-amz-trailer") && auth.signedHeaders.contains("x-amz-decoded-content-length"))

        let decoder = try #require(try AWSChunkedDecoder(auth, request: request))
        let wire = try #require(Data(base64Encoded: upload.body))
        let payload = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        #expect(try await decoder.decode(ChunkedBody.stream(wire, pieceSizes: [1500, 9000, 1])).collect() == payload)

        var corrupted = wire
        corrupted[corrupted.startIndex + 100_000] ^= 1
        await expectSigV4Error(.badDigest) { _ = try await decoder.decode(ChunkedBody.stream(corrupted, pieceSizes: [4096])).collect() }
    }
}
