import Foundation
import PAMTestSupport
import Testing

/// What a developer does with the real clients against `pam serve`'s AWS endpoint: boto3's
/// presigned URLs (and their refusals), a skewed clock, a 2,500-key listing, and the aws CLI's
/// `sync`, `presign` and `ls --recursive`.
@Suite("AWS endpoint (S3) with the real clients", .serialized)
struct AWSEndpointClientTests {
    /// Python that makes botocore sign as if its clock were `shift` off (`signing_shift(seconds)`).
    static let shiftedClock = """
        import datetime, botocore.auth
        def signing_shift(seconds):
            now = lambda *args, **kwargs: datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(seconds=seconds)
            botocore.auth.get_current_datetime = now

        """

    @Test(
        "boto3 presigned GET and PUT work; tampered 403 SignatureDoesNotMatch; expired 403 AccessDenied; over 7 days 400; logged without the query"
    )
    func presignedURLs() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let result = try await clients.python(
                Self.shiftedClock + """
                    import urllib.request, urllib.error
                    from botocore.config import Config
                    s3 = boto3.client("s3", config=Config(signature_version="s3v4"))
                    def fetch(url, method="GET", data=None, headers={}):
                        try:
                            with urllib.request.urlopen(urllib.request.Request(url, method=method, data=data, headers=headers)) as answer:
                                return answer.status, answer.read()
                        except urllib.error.HTTPError as error:
                            return error.code, error.read()

                    body = b"presigned body " * 300
                    put = s3.generate_presigned_url("put_object", Params={"Bucket": "pam-working", "Key": "pre/signed file.txt",
                        "ContentType": "text/plain"}, ExpiresIn=600)
                    status, text = fetch(put, "PUT", body, {"Content-Type": "text/plain"})
                    assert status == 200, (status, text)
                    stored = s3.get_object(Bucket="pam-working", Key="pre/signed file.txt")
                    assert stored["Body"].read() == body and stored["ContentType"] == "text/plain"
                    status, text = fetch(put, "PUT", body, {"Content-Type": "image/jpeg"})
                    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in text, (status, text)

                    get = s3.generate_presigned_url("get_object", Params={"Bucket": "pam-working", "Key": "pre/signed file.txt"},
                        ExpiresIn=600)
                    assert fetch(get) == (200, body)
                    signature = get.split("X-Amz-Signature=")[1][:64]
                    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
                    status, text = fetch(get.replace(signature, flipped))
                    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in text, (status, text)
                    status, text = fetch(get.replace("pre/signed", "pre/other"))
                    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in text, (status, text)

                    # Signed two hours ago for one minute: expired, without waiting.
                    signing_shift(-7200)
                    expired = s3.generate_presigned_url("get_object", Params={"Bucket": "pam-working", "Key": "pre/signed file.txt"},
                        ExpiresIn=60)
                    signing_shift(0)
                    status, text = fetch(expired)
                    assert status == 403 and b"<Code>AccessDenied</Code>" in text and b"Request has expired" in text, (status, text)

                    week = s3.generate_presigned_url("get_object", Params={"Bucket": "pam-working", "Key": "pre/signed file.txt"},
                        ExpiresIn=604800)
                    assert fetch(week) == (200, body)
                    longer = s3.generate_presigned_url("get_object", Params={"Bucket": "pam-working", "Key": "pre/signed file.txt"},
                        ExpiresIn=604801)
                    status, text = fetch(longer)
                    assert status == 400 and b"<Code>AuthorizationQueryParametersError</Code>" in text, (status, text)
                    print("ok")
                    """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
            // One line per endpoint request, refusals with their code; never the query (the signature lives there).
            let log = server.log()
            #expect(log.contains("PUT aws /pam-working/pre/signed%20file.txt 200"), "\(log)")
            #expect(log.contains("GET aws /pam-working/pre/signed%20file.txt 403 SignatureDoesNotMatch"), "\(log)")
            #expect(log.contains("GET aws /pam-working/pre/signed%20file.txt 403 AccessDenied"), "\(log)")
            #expect(!log.contains("X-Amz-") && !log.contains("Signature="), "\(log)")
        }
    }

    @Test(
        "hostile requests (from the security review): unsigned x-amz-* headers 403, a 60,000-deep XML body 400 and the server stays up, no real checksum 400"
    )
    func hostileRequests() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                import os, base64, http.client, urllib.parse, urllib.request, urllib.error
                import botocore.auth, botocore.awsrequest, botocore.credentials
                from botocore.config import Config
                endpoint = urllib.parse.urlparse(os.environ["AWS_ENDPOINT_URL"])
                credentials = botocore.credentials.Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
                def send(method, path, body=b"", headers={}, unsigned={}):
                    request = botocore.awsrequest.AWSRequest(method=method, url=os.environ["AWS_ENDPOINT_URL"] + path, data=body,
                        headers=dict(headers))
                    botocore.auth.S3SigV4Auth(credentials, "s3", "us-east-1").add_auth(request)
                    connection = http.client.HTTPConnection(endpoint.hostname, endpoint.port)
                    connection.request(method, path, body=body, headers={**dict(request.headers), **unsigned})
                    answer = connection.getresponse()
                    return answer.status, answer.read().decode()

                s3.put_object(Bucket="pam-storage", Key="secret.txt", Body=b"TOP SECRET")
                # A presigned PUT for one key must not become a copy of another object.
                v4 = boto3.client("s3", config=Config(signature_version="s3v4"))
                url = urllib.parse.urlparse(v4.generate_presigned_url("put_object", Params={"Bucket": "pam-working", "Key": "up.txt"},
                    ExpiresIn=600))
                connection = http.client.HTTPConnection(endpoint.hostname, endpoint.port)
                connection.request("PUT", url.path + "?" + url.query, body=b"",
                    headers={"x-amz-copy-source": "/pam-storage/secret.txt", "x-amz-metadata-directive": "REPLACE"})
                answer = connection.getresponse()
                text = answer.read().decode()
                assert answer.status == 403 and "<Code>AccessDenied</Code>" in text and "x-amz-copy-source" in text, (answer.status, text)
                assert refusal(s3.head_object, Bucket="pam-working", Key="up.txt")[0] == 404
                status, text = send("GET", "/pam-storage/secret.txt", unsigned={"x-amz-meta-note": "evil"})
                assert status == 403 and "HeadersNotSigned" in text, (status, text)

                deep = b"<CreateBucketConfiguration>" + b"<a>" * 60000 + b"</a>" * 60000 + b"</CreateBucketConfiguration>"
                status, text = send("PUT", "/deep-bucket", deep)
                assert status == 400 and "<Code>MalformedXML</Code>" in text, (status, text[:300])
                assert "pam-working" in [b["Name"] for b in s3.list_buckets()["Buckets"]]

                s3.put_object(Bucket="pam-working", Key="victim", Body=b"v")
                document = b"<Delete><Object><Key>victim</Key></Object></Delete>"
                status, text = send("POST", "/pam-working?delete", document, {"x-amz-checksum-type": "COMPOSITE"})
                assert status == 400 and "<Code>InvalidRequest</Code>" in text, (status, text)
                assert s3.get_object(Bucket="pam-working", Key="victim")["Body"].read() == b"v"
                md5 = base64.b64encode(hashlib.md5(document).digest()).decode()
                status, text = send("POST", "/pam-working?delete", document, {"Content-MD5": md5})
                assert status == 200 and "<Deleted><Key>victim</Key>" in text, (status, text)
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test(
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD (the Java and .NET SDKs' signed chunks), signed in the test: stored decoded; a chunk signed wrong is 403 and stores nothing"
    )
    func signedChunks() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                import os, hmac, datetime, http.client, urllib.parse
                endpoint = urllib.parse.urlparse(os.environ["AWS_ENDPOINT_URL"])
                secret, key_id = os.environ["AWS_SECRET_ACCESS_KEY"], os.environ["AWS_ACCESS_KEY_ID"]
                sha = lambda data: hashlib.sha256(data).hexdigest()
                mac = lambda key, text: hmac.new(key, text.encode(), hashlib.sha256).digest()
                payload = bytes((i * 37 + 11) & 0xFF for i in range(150000))

                def put(path, tamper_chunk=None):
                    now = datetime.datetime.now(datetime.timezone.utc)
                    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
                    scope = day + "/us-east-1/s3/aws4_request"
                    signing_key = mac(mac(mac(mac(("AWS4" + secret).encode(), day), "us-east-1"), "s3"), "aws4_request")
                    chunks = [payload[i:i + 65536] for i in range(0, len(payload), 65536)] + [b""]
                    length = sum(len("%x;chunk-signature=%s\\r\\n" % (len(c), "0" * 64)) + len(c) + 2 for c in chunks)
                    headers = {"host": "%s:%d" % (endpoint.hostname, endpoint.port), "x-amz-date": amz_date,
                               "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "content-encoding": "aws-chunked",
                               "x-amz-decoded-content-length": str(len(payload)), "content-length": str(length)}
                    names = sorted(headers)
                    canonical = "\\n".join(["PUT", path, ""] + ["%s:%s" % (n, headers[n]) for n in names]
                                          + ["", ";".join(names), "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"])
                    to_sign = "\\n".join(["AWS4-HMAC-SHA256", amz_date, scope, sha(canonical.encode())])
                    signature = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
                    headers["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
                        key_id, scope, ";".join(names), signature)
                    body = b""
                    for number, chunk in enumerate(chunks):
                        to_sign = "\\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, signature, sha(b""), sha(chunk)])
                        signature = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
                        sent = ("f" if signature[0] != "f" else "e") + signature[1:] if number == tamper_chunk else signature
                        body += ("%x;chunk-signature=%s\\r\\n" % (len(chunk), sent)).encode() + chunk + b"\\r\\n"
                    assert len(body) == length
                    connection = http.client.HTTPConnection(endpoint.hostname, endpoint.port)
                    connection.request("PUT", path, body=body, headers=headers)
                    answer = connection.getresponse()
                    return answer.status, answer.read().decode()

                status, text = put("/pam-working/signed/chunks.bin")
                assert status == 200, (status, text)
                assert s3.get_object(Bucket="pam-working", Key="signed/chunks.bin")["Body"].read() == payload
                for chunk in (0, 2, 3):
                    status, text = put("/pam-working/signed/tampered.bin", tamper_chunk=chunk)
                    assert status == 403 and "<Code>SignatureDoesNotMatch</Code>" in text, (chunk, status, text)
                    assert refusal(s3.head_object, Bucket="pam-working", Key="signed/tampered.bin")[0] == 404
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test("the default presigned URLs of boto3 and the aws CLI (Signature Version 2 on a custom endpoint) work; tampered or expired 403")
    func version2Presigned() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                import urllib.request, urllib.error, time
                def fetch(url, method="GET", data=None, headers={}):
                    try:
                        with urllib.request.urlopen(urllib.request.Request(url, method=method, data=data, headers=headers)) as answer:
                            return answer.status, answer.read()
                    except urllib.error.HTTPError as error:
                        return error.code, error.read()
                put = s3.generate_presigned_url("put_object", Params={"Bucket": "pam-working", "Key": "v2/a b+c.txt",
                    "ContentType": "text/plain"}, ExpiresIn=600)
                assert "AWSAccessKeyId=" in put and "X-Amz-Signature" not in put, put
                assert fetch(put, "PUT", b"version two", {"Content-Type": "text/plain"})[0] == 200
                status, text = fetch(put, "PUT", b"version two", {"Content-Type": "image/jpeg"})
                assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in text, (status, text)
                get = s3.generate_presigned_url("get_object", Params={"Bucket": "pam-working", "Key": "v2/a b+c.txt",
                    "ResponseContentDisposition": "attachment"}, ExpiresIn=600)
                status, body = fetch(get)
                assert (status, body) == (200, b"version two"), (status, body)
                status, text = fetch(get.replace("attachment", "inline"))
                assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in text, (status, text)
                status, text = fetch(get.replace("v2/a", "v2/x"))
                assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in text, (status, text)
                expires = int(get.split("Expires=")[1].split("&")[0])
                status, text = fetch(get.replace("Expires=%d" % expires, "Expires=%d" % (int(time.time()) - 10)))
                assert status == 403 and (b"Request has expired" in text or b"SignatureDoesNotMatch" in text), (status, text)
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
            let presign = try await clients.aws(["s3", "presign", "s3://pam-working/v2/a b+c.txt", "--expires-in", "300"])
            #expect(presign.status == 0, "\(presign.transcript)")
            let url = presign.output.trimmingCharacters(in: .whitespacesAndNewlines)
            let fetched = try await ExternalProcess.run([
                "python3", "-c", "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())", url,
            ])
            #expect(fetched.status == 0 && fetched.output.contains("version two"), "\(url)\n\(fetched.transcript)")
        }
    }

    @Test("a clock more than 15 minutes off is 403 RequestTimeTooSkewed, either way; 10 minutes is accepted")
    func clockSkew() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                Self.shiftedClock + """
                    from botocore.config import Config
                    once = boto3.client("s3", config=Config(retries={"max_attempts": 1, "mode": "standard"}))
                    for minutes in (16, -16, 60 * 24):
                        signing_shift(minutes * 60)
                        status, code, message = refusal(once.list_objects_v2, Bucket="pam-working")
                        assert (status, code) == (403, "RequestTimeTooSkewed"), (minutes, status, code, message)
                        status, code, _ = refusal(once.put_object, Bucket="pam-working", Key="skewed.txt", Body=b"x")
                        assert (status, code) == (403, "RequestTimeTooSkewed"), (minutes, status, code)
                    signing_shift(-600)
                    assert once.list_objects_v2(Bucket="pam-working")["KeyCount"] == 0
                    signing_shift(0)
                    assert refusal(once.head_object, Bucket="pam-working", Key="skewed.txt")[0] == 404
                    print("ok")
                    """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test("2,500 keys: ListObjectsV2 pages of 1,000 and boto3's paginator list every key once, in order")
    func pagination2500() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                from concurrent.futures import ThreadPoolExecutor
                keys = ["many/%05d-%s" % (i, "é" if i % 7 == 0 else "k") for i in range(2500)]
                with ThreadPoolExecutor(8) as pool:
                    list(pool.map(lambda k: s3.put_object(Bucket="pam-working", Key=k, Body=k.encode()), keys))
                expected = sorted(keys, key=lambda k: k.encode())
                pages, token = [], None
                while True:
                    kwargs = {"ContinuationToken": token} if token else {}
                    page = s3.list_objects_v2(Bucket="pam-working", Prefix="many/", **kwargs)
                    pages.append([o["Key"] for o in page.get("Contents", [])])
                    if not page["IsTruncated"]:
                        break
                    token = page["NextContinuationToken"]
                assert [len(p) for p in pages] == [1000, 1000, 500], [len(p) for p in pages]
                assert sum(pages, []) == expected
                seen = []
                for page in s3.get_paginator("list_objects_v2").paginate(Bucket="pam-working", PaginationConfig={"PageSize": 700}):
                    seen += [o["Key"] for o in page.get("Contents", [])]
                assert seen == expected and len(set(seen)) == 2500, (len(seen), len(set(seen)))
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test("aws s3 sync up and down, aws s3 ls --recursive, aws s3 presign fetched with urllib")
    func awsCLISyncPresignList() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let folder = server.state.deletingLastPathComponent()
            let tree = folder.appendingPathComponent("tree")
            let files = ["a.txt": "alpha", "sub/b.txt": "bravo", "sub/deeper/c d.txt": "charlie", "sub/deeper/e+f.bin": "echo"]
            for (path, text) in files {
                let file = tree.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file)
            }
            let up = try await clients.aws(["s3", "sync", tree.path, "s3://pam-working/synced"])
            #expect(up.status == 0, "\(up.transcript)")
            #expect(up.output.components(separatedBy: "upload:").count - 1 == files.count, "\(up.output)")
            let again = try await clients.aws(["s3", "sync", tree.path, "s3://pam-working/synced"])
            #expect(again.status == 0 && !again.output.contains("upload:"), "a second sync uploads nothing: \(again.transcript)")

            let listing = try await clients.aws(["s3", "ls", "--recursive", "s3://pam-working/synced/"])
            #expect(listing.status == 0, "\(listing.transcript)")
            // "2026-11-30 05:40:00          5 synced/a.txt": the key is what follows date, time and size.
            let listed = listing.output.split(separator: "\n").map { line in
                var rest = Substring(line)
                for _ in 0..<3 { rest = rest.drop { $0 == " " }.drop { $0 != " " } }
                return String(rest.dropFirst())
            }
            #expect(listed == files.keys.map { "synced/\($0)" }.sorted(), "\(listing.output)")

            let down = folder.appendingPathComponent("down")
            let back = try await clients.aws(["s3", "sync", "s3://pam-working/synced", down.path])
            #expect(back.status == 0, "\(back.transcript)")
            for (path, text) in files {
                #expect((try? String(contentsOf: down.appendingPathComponent(path), encoding: .utf8)) == text, "\(path)")
            }

            // The CLI presigns with SigV2 for us-east-1 on a custom endpoint (version2Presigned); this one is configured for SigV4.
            let config = folder.appendingPathComponent("aws-config")
            try Data("[default]\ns3 =\n    signature_version = s3v4\n".utf8).write(to: config)
            let presign = try await ExternalProcess.run(
                clients.environment + [
                    "AWS_CONFIG_FILE=\(config.path)", "aws", "s3", "presign", "s3://pam-working/synced/sub/deeper/c d.txt",
                    "--expires-in", "300",
                ])
            #expect(presign.status == 0, "\(presign.transcript)")
            let url = presign.output.trimmingCharacters(in: .whitespacesAndNewlines)
            let fetched = try await ExternalProcess.run([
                "python3", "-c", "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())", url,
            ])
            #expect(fetched.status == 0 && fetched.output == "charlie", "\(fetched.transcript)")
        }
    }
}
