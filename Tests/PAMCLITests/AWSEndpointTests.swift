import Foundation
import PAMTestSupport
import Testing

/// `pam serve`'s AWS endpoint driven by the real clients, boto3 and the aws CLI, on the app's own
/// state: S3's operations, SigV4 refusals, 501 for what is not emulated, and S3 events.
@Suite("AWS endpoint (S3)", .serialized)
struct AWSEndpointTests {
    /// A started server and its clients; the state folder goes when the test ends.
    static func withServer(_ body: (ServerProcess, AWSClients) async throws -> Void) async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        try #require(server.awsPort > 0, "serve.json records the AWS endpoint's port")
        try await body(server, AWSClients(server: server))
        try await server.stop()
    }

    @Test("aws CLI: ls the buckets, cp up and down, ls with a delimiter, rm")
    func awsCLI() async throws {
        try await Self.withServer { server, clients in
            let folder = server.state.deletingLastPathComponent()
            let buckets = try await clients.aws(["s3", "ls"])
            #expect(buckets.status == 0, "\(buckets.transcript)")
            #expect(buckets.output.contains("pam-storage") && buckets.output.contains("pam-working"), "\(buckets.output)")

            let original = Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 * 7) })
            let local = folder.appendingPathComponent("small file.bin")
            try original.write(to: local)
            for key in ["docs/small file.bin", "docs/b.txt", "docs/sub/c.txt"] {
                let up = try await clients.aws(["s3", "cp", local.path, "s3://pam-working/\(key)"])
                #expect(up.status == 0, "\(up.transcript)")
            }
            let back = folder.appendingPathComponent("back.bin")
            let down = try await clients.aws(["s3", "cp", "s3://pam-working/docs/small file.bin", back.path])
            #expect(down.status == 0, "\(down.transcript)")
            #expect((try? Data(contentsOf: back)) == original)

            let listing = try await clients.aws(["s3", "ls", "s3://pam-working/docs/"])
            #expect(listing.status == 0, "\(listing.transcript)")
            let lines = listing.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines.contains("PRE sub/"), "\(listing.output)")
            #expect(lines.contains { $0.hasSuffix(" 3000 small file.bin") }, "\(listing.output)")
            #expect(lines.contains { $0.hasSuffix(" b.txt") } && !lines.contains { $0.hasSuffix("c.txt") }, "\(listing.output)")

            let removed = try await clients.aws(["s3", "rm", "s3://pam-working/docs/small file.bin"])
            #expect(removed.status == 0, "\(removed.transcript)")
            let after = try await clients.aws(["s3", "ls", "s3://pam-working/docs/"])
            #expect(!after.output.contains("small file.bin") && after.output.contains("b.txt"), "\(after.output)")
        }
    }

    @Test("boto3: put, get with Range, head, tagging round trip, delete, missing key and bucket")
    func boto3Objects() async throws {
        try await Self.withServer { _, clients in
            let result = try await clients.python(
                """
                body = bytes(range(256)) * 10
                put = s3.put_object(Bucket="pam-working", Key="a dir/my photo+1.bin", Body=body, ContentType="application/x-test")
                assert put["ETag"] == '"%s"' % hashlib.md5(body).hexdigest(), put
                ranged = s3.get_object(Bucket="pam-working", Key="a dir/my photo+1.bin", Range="bytes=2-5")
                assert ranged["ResponseMetadata"]["HTTPStatusCode"] == 206, ranged
                assert ranged["Body"].read() == body[2:6]
                assert ranged["ContentRange"] == "bytes 2-5/2560", ranged["ContentRange"]
                whole = s3.get_object(Bucket="pam-working", Key="a dir/my photo+1.bin")
                assert whole["Body"].read() == body
                assert whole["ContentType"] == "application/x-test"
                head = s3.head_object(Bucket="pam-working", Key="a dir/my photo+1.bin")
                assert head["ContentLength"] == 2560 and head["ETag"] == put["ETag"], head
                assert head["LastModified"] is not None
                assert refusal(s3.get_object, Bucket="pam-working", Key="a dir/my photo+1.bin", Range="bytes=9999-")[:2] == (416, "InvalidRange")
                listed = s3.list_objects_v2(Bucket="pam-working", Prefix="a dir/")
                assert [o["Key"] for o in listed["Contents"]] == ["a dir/my photo+1.bin"], listed

                s3.put_object_tagging(Bucket="pam-working", Key="a dir/my photo+1.bin",
                    Tagging={"TagSet": [{"Key": "colour", "Value": "blue & green"}, {"Key": "size", "Value": "s"}]})
                tags = s3.get_object_tagging(Bucket="pam-working", Key="a dir/my photo+1.bin")["TagSet"]
                assert sorted((t["Key"], t["Value"]) for t in tags) == [("colour", "blue & green"), ("size", "s")], tags
                deleted = s3.delete_object_tagging(Bucket="pam-working", Key="a dir/my photo+1.bin")
                assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
                assert s3.get_object_tagging(Bucket="pam-working", Key="a dir/my photo+1.bin")["TagSet"] == []

                gone = s3.delete_object(Bucket="pam-working", Key="a dir/my photo+1.bin")
                assert gone["ResponseMetadata"]["HTTPStatusCode"] == 204
                assert refusal(s3.get_object, Bucket="pam-working", Key="a dir/my photo+1.bin")[:2] == (404, "NoSuchKey")
                assert refusal(s3.head_object, Bucket="pam-working", Key="nothing")[0] == 404
                assert refusal(s3.head_bucket, Bucket="not-a-pam-bucket")[0] == 404
                assert refusal(s3.list_objects_v2, Bucket="not-a-pam-bucket")[:2] == (404, "NoSuchBucket")
                assert s3.head_bucket(Bucket="pam-storage")["ResponseMetadata"]["HTTPStatusCode"] == 200
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test("boto3: 1,100 keys list in two pages of at most 1,000; delimiter, start-after and url encoding")
    func pagination() async throws {
        try await Self.withServer { _, clients in
            let result = try await clients.python(
                """
                from concurrent.futures import ThreadPoolExecutor
                keys = ["page/%04d" % i for i in range(1100)]
                with ThreadPoolExecutor(8) as pool:
                    list(pool.map(lambda k: s3.put_object(Bucket="pam-working", Key=k, Body=b"x"), keys))
                s3.put_object(Bucket="pam-working", Key="page/deeper/one", Body=b"1")
                s3.put_object(Bucket="pam-working", Key="page/deeper/two", Body=b"2")
                first = s3.list_objects_v2(Bucket="pam-working", Prefix="page/", MaxKeys=1000)
                assert first["KeyCount"] == 1000 and first["IsTruncated"], (first["KeyCount"], first["IsTruncated"])
                second = s3.list_objects_v2(Bucket="pam-working", Prefix="page/", MaxKeys=1000,
                    ContinuationToken=first["NextContinuationToken"])
                assert second["KeyCount"] == 102 and not second["IsTruncated"], (second["KeyCount"], second["IsTruncated"])
                listed = [o["Key"] for o in first["Contents"] + second["Contents"]]
                assert listed == sorted(keys + ["page/deeper/one", "page/deeper/two"]), listed[:5]

                pages = s3.get_paginator("list_objects_v2").paginate(
                    Bucket="pam-working", Prefix="page/", Delimiter="/", PaginationConfig={"PageSize": 300})
                seen, prefixes, count = [], [], 0
                for page in pages:
                    count += 1
                    seen += [o["Key"] for o in page.get("Contents", [])]
                    prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
                assert seen == keys and prefixes == ["page/deeper/"] and count == 4, (len(seen), prefixes, count)

                after = s3.list_objects_v2(Bucket="pam-working", Prefix="page/", StartAfter="page/1097")
                assert [o["Key"] for o in after["Contents"]] == ["page/1098", "page/1099", "page/deeper/one", "page/deeper/two"]
                raw = s3.list_objects_v2(Bucket="pam-working", Prefix="page/deeper/", EncodingType="url")
                assert [o["Key"] for o in raw["Contents"]] == ["page/deeper/one", "page/deeper/two"], raw
                assert s3.list_objects_v2(Bucket="pam-working", Prefix="nothing/")["KeyCount"] == 0
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test(
        "aws-chunked PutObject (botocore's STREAMING-UNSIGNED-PAYLOAD-TRAILER, crc32): stored decoded; a corrupted body is BadDigest and leaves nothing"
    )
    func chunkedPut() async throws {
        try await Self.withServer { _, clients in
            let result = try await clients.python(
                """
                payload = bytes((i * 131 + 7) & 0xFF for i in range(200000))
                status, _, text = chunked_put("/pam-working/chunked.bin", payload)
                assert status == 200, (status, text)
                assert s3.get_object(Bucket="pam-working", Key="chunked.bin")["Body"].read() == payload
                status, _, text = chunked_put("/pam-working/corrupted.bin", payload, corrupt=True)
                assert status == 400 and "<Code>BadDigest</Code>" in text, (status, text)
                assert refusal(s3.head_object, Bucket="pam-working", Key="corrupted.bin")[0] == 404
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test("refusals: wrong secret 403 SignatureDoesNotMatch, unknown key 403, unsupported operation 501 naming it")
    func refusals() async throws {
        try await Self.withServer { _, clients in
            var wrong = clients
            wrong.secretAccessKey = "not-the-secret"
            let signature = try await wrong.python(
                """
                status, code, _ = refusal(s3.list_objects_v2, Bucket="pam-working")
                assert (status, code) == (403, "SignatureDoesNotMatch"), (status, code)
                print("ok")
                """)
            #expect(signature.status == 0 && signature.output.contains("ok"), "\(signature.transcript)")
            var unknown = clients
            unknown.accessKeyID = "AKIDUNKNOWN"
            let key = try await unknown.python(
                """
                status, code, _ = refusal(s3.list_buckets)
                assert (status, code) == (403, "InvalidAccessKeyId"), (status, code)
                print("ok")
                """)
            #expect(key.status == 0 && key.output.contains("ok"), "\(key.transcript)")
            let unsupported = try await clients.python(
                """
                status, code, message = refusal(s3.get_bucket_versioning, Bucket="pam-working")
                assert (status, code) == (501, "NotImplemented") and "GetBucketVersioning" in message, (status, code, message)
                status, code, message = refusal(s3.get_object_acl, Bucket="pam-working", Key="b")
                assert (status, code) == (501, "NotImplemented") and "GetObjectAcl" in message, (status, code, message)
                status, code, message = refusal(s3.put_object, Bucket="pam-working", Key="b", Body=b"x", ObjectLockMode="GOVERNANCE")
                assert (status, code) == (501, "NotImplemented") and "x-amz-object-lock-mode" in message, (status, code, message)
                print("ok")
                """)
            #expect(unsupported.status == 0 && unsupported.output.contains("ok"), "\(unsupported.transcript)")
        }
    }

    @Test("events: a JPEG put with boto3 into the storage bucket is analysed and counted; a page upload is listed by boto3")
    func events() async throws {
        try await Self.withServer { server, clients in
            let token = try await server.signIn()
            let photo = try #require(ServeTests.photos.first)
            let put = try await clients.python(
                """
                with open(sys.argv[1], "rb") as f:
                    s3.put_object(Bucket="pam-storage", Key="from boto3/photo 1.jpg", Body=f.read(), ContentType="image/jpeg")
                print("ok")
                """, [photo.path])
            #expect(put.status == 0 && put.output.contains("ok"), "\(put.transcript)")
            let expected = try ServeTests.expectedCounts([photo])
            try #require(!expected.isEmpty)
            var counts: [String: Int] = [:]
            let deadline = Date().addingTimeInterval(600)
            while counts != expected, Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
                counts = try await server.labelCounts(token: token)
            }
            #expect(counts == expected)

            let url = try await server.upload(Data(contentsOf: photo), fileName: "page.jpg", token: token)
            let key = try #require(URL(string: url)?.path.split(separator: "/", maxSplits: 1).last.map(String.init))
            let listed = try await clients.python(
                """
                keys = [o["Key"] for o in s3.list_objects_v2(Bucket="pam-storage")["Contents"]]
                print(json.dumps(keys))
                """)
            #expect(listed.status == 0, "\(listed.transcript)")
            let keys = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String]
            #expect(keys?.contains(key) == true, "\(listed.output) lacks \(key)")
            #expect(keys?.contains("from boto3/photo 1.jpg") == true)
        }
    }
}
