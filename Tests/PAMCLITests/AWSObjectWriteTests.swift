import Foundation
import PAMTestSupport
import Testing

/// The AWS endpoint's write side driven by boto3 and the aws CLI through `pam serve`: multipart
/// uploads (the clients' own and by hand), user metadata and content headers, CopyObject, and the
/// S3 events of copies and completed uploads.
@Suite("AWS endpoint (S3 object writes)", .serialized)
struct AWSObjectWriteTests {
    @Test(
        "boto3 upload_file of 64 MiB (multipart, default checksums) reads back with the same SHA-256; aws s3 cp of 9 MiB up, s3api get-object down"
    )
    func bigTransfers() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let folder = server.state.deletingLastPathComponent()
            let result = try await clients.python(
                """
                import os
                path = sys.argv[1]
                data = os.urandom(64 << 20)
                with open(path, "wb") as f:
                    f.write(data)
                s3.upload_file(path, "pam-working", "big/64 MiB.bin")
                head = s3.head_object(Bucket="pam-working", Key="big/64 MiB.bin")
                assert head["ContentLength"] == 64 << 20, head
                digests = b"".join(hashlib.md5(data[i:i + (8 << 20)]).digest() for i in range(0, len(data), 8 << 20))
                assert head["ETag"] == '"%s-8"' % hashlib.md5(digests).hexdigest(), head["ETag"]
                # One streamed GET: download_file's ranged GETs carry If-Match, which is conditional GETs' work.
                back = hashlib.sha256()
                for chunk in s3.get_object(Bucket="pam-working", Key="big/64 MiB.bin")["Body"].iter_chunks(1 << 20):
                    back.update(chunk)
                assert back.hexdigest() == hashlib.sha256(data).hexdigest()
                assert s3.list_multipart_uploads(Bucket="pam-working").get("Uploads", []) == []
                print("ok")
                """, [folder.appendingPathComponent("64MiB.bin").path])
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")

            let original = Data((0..<(9 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) })
            let local = folder.appendingPathComponent("nine.bin")
            try original.write(to: local)
            let up = try await clients.aws(["s3", "cp", local.path, "s3://pam-working/big/nine.bin"])
            #expect(up.status == 0, "\(up.transcript)")
            let head = try await clients.aws(["s3api", "head-object", "--bucket", "pam-working", "--key", "big/nine.bin"])
            #expect(head.status == 0 && head.output.contains("-2\\\""), "\(head.transcript)")
            let back = folder.appendingPathComponent("nine.back")
            // s3api get-object: `aws s3 cp` down sends If-Match on its ranged GETs, which is conditional GETs' work.
            let down = try await clients.aws(["s3api", "get-object", "--bucket", "pam-working", "--key", "big/nine.bin", back.path])
            #expect(down.status == 0, "\(down.transcript)")
            #expect((try? Data(contentsOf: back)) == original)
        }
    }

    @Test(
        "conditional writes are refused with 501 and change nothing; list_buckets(Prefix) filters, FetchOwner lists owners, PutObject answers the checksums it verified"
    )
    func conditionalWritesAndListingArguments() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                import base64, zlib
                s3.create_bucket(Bucket="alpha-one")
                s3.put_object(Bucket="alpha-one", Key="kept", Body=b"ORIGINAL")
                s3.put_object(Bucket="alpha-one", Key="source", Body=b"SRC")
                body = lambda key: s3.get_object(Bucket="alpha-one", Key=key)["Body"].read()
                for condition in [{"IfMatch": '"0000"'}, {"IfMatch": "*"}]:
                    status, code, message = refusal(s3.delete_object, Bucket="alpha-one", Key="kept", **condition)
                    assert (status, code) == (501, "NotImplemented") and "DeleteObject" in message, (status, code, message)
                for condition in [{"IfNoneMatch": "*"}, {"IfMatch": '"0000"'}]:
                    status, code, message = refusal(s3.copy_object, Bucket="alpha-one", Key="kept",
                                                    CopySource={"Bucket": "alpha-one", "Key": "source"}, **condition)
                    assert (status, code) == (501, "NotImplemented") and "CopyObject" in message, (status, code, message)
                    upload = s3.create_multipart_upload(Bucket="alpha-one", Key="kept")["UploadId"]
                    part = s3.upload_part(Bucket="alpha-one", Key="kept", UploadId=upload, PartNumber=1, Body=b"MULTIPART")
                    status, code, message = refusal(s3.complete_multipart_upload, Bucket="alpha-one", Key="kept", UploadId=upload,
                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]}, **condition)
                    assert (status, code) == (501, "NotImplemented") and "CompleteMultipartUpload" in message, (status, code, message)
                    s3.abort_multipart_upload(Bucket="alpha-one", Key="kept", UploadId=upload)
                assert body("kept") == b"ORIGINAL"

                names = [b["Name"] for b in s3.list_buckets(Prefix="alpha")["Buckets"]]
                assert names == ["alpha-one"], names
                assert s3.list_buckets(Prefix="alpha")["Prefix"] == "alpha"
                assert "pam-storage" in [b["Name"] for b in s3.list_buckets()["Buckets"]]
                assert refusal(s3.list_buckets, ContinuationToken="x")[:2] == (501, "NotImplemented")
                listed = s3.list_objects_v2(Bucket="alpha-one", FetchOwner=True)["Contents"]
                assert all(o["Owner"] == {"ID": "pam", "DisplayName": "pam"} for o in listed), listed
                assert all("Owner" not in o for o in s3.list_objects_v2(Bucket="alpha-one")["Contents"])

                put = s3.put_object(Bucket="alpha-one", Key="summed", Body=b"hello world", ChecksumAlgorithm="SHA256")
                assert put["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(b"hello world").digest()).decode(), put
                assert put["ChecksumType"] == "FULL_OBJECT", put
                headers = {}
                status, _, _ = chunked_put("/alpha-one/trailed", b"trailer " * 1000, answer_headers=headers)
                crc = base64.b64encode(zlib.crc32(b"trailer " * 1000).to_bytes(4, "big")).decode()
                assert status == 200 and headers.get("x-amz-checksum-crc32") == crc, headers
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test("user metadata and content headers: boto3 put, get and head; aws s3api head-object; over 2 KB is MetadataTooLarge")
    func metadata() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                from datetime import datetime, timezone
                s3.put_object(Bucket="pam-working", Key="meta/a.txt", Body=b"hello", ContentType="text/plain",
                    Metadata={"Camera": "X100V", "shot-at": "dawn, lake"}, CacheControl="max-age=60",
                    ContentDisposition='attachment; filename="a.txt"', ContentLanguage="fr-CH", ContentEncoding="identity",
                    Expires=datetime(2037, 10, 21, 7, 28, tzinfo=timezone.utc))
                for answer in (s3.head_object(Bucket="pam-working", Key="meta/a.txt"), s3.get_object(Bucket="pam-working", Key="meta/a.txt")):
                    assert answer["Metadata"] == {"camera": "X100V", "shot-at": "dawn, lake"}, answer["Metadata"]
                    assert answer["CacheControl"] == "max-age=60" and answer["ContentLanguage"] == "fr-CH", answer
                    assert answer["ContentDisposition"] == 'attachment; filename="a.txt"' and answer["ContentEncoding"] == "identity", answer
                    assert "2037" in str(answer.get("ExpiresString", answer.get("Expires"))), answer
                    assert answer["ContentType"] == "text/plain"
                s3.put_object(Bucket="pam-working", Key="meta/a.txt", Body=b"again")
                assert s3.head_object(Bucket="pam-working", Key="meta/a.txt")["Metadata"] == {}
                s3.put_object(Bucket="pam-working", Key="meta/a.txt", Body=b"hello", Metadata={"Camera": "X100V"})
                large = {"k%02d" % i: "v" * 100 for i in range(20)}
                assert refusal(s3.put_object, Bucket="pam-working", Key="meta/large.txt", Body=b"x", Metadata=large)[:2] == (400, "MetadataTooLarge")
                assert refusal(s3.head_object, Bucket="pam-working", Key="meta/large.txt")[0] == 404
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
            let head = try await clients.aws(["s3api", "head-object", "--bucket", "pam-working", "--key", "meta/a.txt"])
            #expect(head.status == 0, "\(head.transcript)")
            let answer = try JSONSerialization.jsonObject(with: Data(head.output.utf8)) as? [String: Any]
            #expect(answer?["Metadata"] as? [String: String] == ["camera": "X100V"], "\(head.output)")
        }
    }

    @Test(
        "CopyObject: COPY and REPLACE directives for metadata and tags, storage class, onto itself, missing source, preconditions; aws s3 cp s3→s3"
    )
    func copyObject() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                b = "pam-working"
                src = "copy/my photo+1.txt"
                def tags(key):
                    return sorted((t["Key"], t["Value"]) for t in s3.get_object_tagging(Bucket=b, Key=key)["TagSet"])
                put = s3.put_object(Bucket=b, Key=src, Body=b"source", ContentType="text/x-src", Metadata={"a": "1"}, Tagging="t=1")
                copied = s3.copy_object(Bucket=b, Key="copy/dst.txt", CopySource={"Bucket": b, "Key": src})
                assert copied["CopyObjectResult"]["ETag"] == put["ETag"], copied
                assert copied["CopyObjectResult"]["LastModified"] is not None
                head = s3.head_object(Bucket=b, Key="copy/dst.txt")
                assert head["Metadata"] == {"a": "1"} and head["ContentType"] == "text/x-src", head
                assert tags("copy/dst.txt") == [("t", "1")]
                assert s3.get_object(Bucket=b, Key="copy/dst.txt")["Body"].read() == b"source"

                s3.copy_object(Bucket=b, Key="copy/replaced.txt", CopySource=b + "/" + src, MetadataDirective="REPLACE",
                    Metadata={"b": "2"}, ContentType="text/x-new", TaggingDirective="REPLACE", Tagging="u=2")
                head = s3.head_object(Bucket=b, Key="copy/replaced.txt")
                assert head["Metadata"] == {"b": "2"} and head["ContentType"] == "text/x-new", head
                assert tags("copy/replaced.txt") == [("u", "2")]
                s3.copy_object(Bucket=b, Key="copy/kept-meta.txt", CopySource={"Bucket": b, "Key": src}, Metadata={"ignored": "yes"},
                    TaggingDirective="REPLACE")
                assert s3.head_object(Bucket=b, Key="copy/kept-meta.txt")["Metadata"] == {"a": "1"}
                assert tags("copy/kept-meta.txt") == []

                status, code, message = refusal(s3.copy_object, Bucket=b, Key=src, CopySource={"Bucket": b, "Key": src})
                assert (status, code) == (400, "InvalidRequest") and "itself" in message, (status, code, message)
                s3.copy_object(Bucket=b, Key=src, CopySource={"Bucket": b, "Key": src}, StorageClass="INTELLIGENT_TIERING")
                head = s3.head_object(Bucket=b, Key=src)
                assert head["StorageClass"] == "INTELLIGENT_TIERING" and head["Metadata"] == {"a": "1"}, head
                s3.copy_object(Bucket=b, Key=src, CopySource={"Bucket": b, "Key": src}, MetadataDirective="REPLACE", Metadata={"c": "3"})
                head = s3.head_object(Bucket=b, Key=src)
                assert head["Metadata"] == {"c": "3"} and head.get("StorageClass", "STANDARD") == "STANDARD", head
                assert s3.get_object(Bucket=b, Key=src)["Body"].read() == b"source"

                assert refusal(s3.copy_object, Bucket=b, Key="copy/x", CopySource=b + "/copy/missing.txt")[:2] == (404, "NoSuchKey")
                assert refusal(s3.copy_object, Bucket=b, Key="copy/x", CopySource="no-such-bucket/a")[:2] == (404, "NoSuchBucket")
                assert refusal(s3.copy_object, Bucket=b, Key="copy/x", CopySource={"Bucket": b, "Key": src},
                    CopySourceIfMatch='"0123"')[:2] == (412, "PreconditionFailed")
                assert refusal(s3.copy_object, Bucket=b, Key="copy/x", CopySource={"Bucket": b, "Key": src},
                    CopySourceIfNoneMatch=put["ETag"])[:2] == (412, "PreconditionFailed")
                s3.copy_object(Bucket=b, Key="copy/x", CopySource={"Bucket": b, "Key": src}, CopySourceIfMatch=put["ETag"])
                status, code, message = refusal(s3.copy_object, Bucket=b, Key="copy/y", CopySource={"Bucket": b, "Key": src, "VersionId": "v1"})
                assert (status, code) == (501, "NotImplemented") and "versionId" in message, (status, code, message)
                assert refusal(s3.head_object, Bucket=b, Key="copy/y")[0] == 404
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
            let copy = try await clients.aws(["s3", "cp", "s3://pam-working/copy/dst.txt", "s3://pam-working/copy/by cli.txt"])
            #expect(copy.status == 0, "\(copy.transcript)")
            let check = try await clients.python(
                """
                assert s3.get_object(Bucket="pam-working", Key="copy/by cli.txt")["Body"].read() == b"source"
                print("ok")
                """)
            #expect(check.status == 0 && check.output.contains("ok"), "\(check.transcript)")
        }
    }

    @Test("CopyObject racing overwrites of its source: each copy's tags are those of the version whose bytes it copied")
    func copyRacingOverwrites() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            // Each version of the source carries its own number as body and as tag; a copy that
            // took one version's bytes and another's tags would show two numbers.
            let result = try await clients.python(
                """
                import threading
                b, src = "pam-working", "race/source.txt"
                s3.put_object(Bucket=b, Key=src, Body=b"0", Tagging="v=0")
                done = threading.Event()
                mixed, copies = [], []
                def overwrite():
                    i = 1
                    while not done.is_set():
                        s3.put_object(Bucket=b, Key=src, Body=str(i).encode(), Tagging="v=%d" % i)
                        i += 1
                def copy(lane):
                    for j in range(150):
                        key = "race/copy-%d-%d" % (lane, j)
                        s3.copy_object(Bucket=b, Key=key, CopySource={"Bucket": b, "Key": src})
                        body = s3.get_object(Bucket=b, Key=key)["Body"].read().decode()
                        tags = {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=b, Key=key)["TagSet"]}
                        copies.append(key)
                        if tags != {"v": body}: mixed.append((body, tags))
                writers = [threading.Thread(target=overwrite) for _ in range(2)]
                copiers = [threading.Thread(target=copy, args=(lane,)) for lane in range(2)]
                for t in writers + copiers: t.start()
                for t in copiers: t.join()
                done.set()
                for t in writers: t.join()
                assert len(copies) == 300 and not mixed, (len(copies), len(mixed), mixed[:5])
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test(
        "multipart by hand: options kept, UploadPartCopy with ranges, InvalidPart, InvalidPartOrder, EntityTooSmall, NoSuchUpload; ListParts, ListMultipartUploads, Abort"
    )
    func multipartByHand() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                b, key = "pam-working", "mp/errors.bin"
                md5 = lambda data: '"%s"' % hashlib.md5(data).hexdigest()
                up = s3.create_multipart_upload(Bucket=b, Key=key, ContentType="application/x-mp", Metadata={"m": "1"}, Tagging="k=v",
                    StorageClass="INTELLIGENT_TIERING")
                uid = up["UploadId"]
                five = bytes(range(256)) * (5 << 12)
                p1 = s3.upload_part(Bucket=b, Key=key, UploadId=uid, PartNumber=1, Body=five)
                p2 = s3.upload_part(Bucket=b, Key=key, UploadId=uid, PartNumber=2, Body=b"small")
                p3 = s3.upload_part(Bucket=b, Key=key, UploadId=uid, PartNumber=3, Body=b"tail")
                assert p1["ETag"] == md5(five) and p3["ETag"] == md5(b"tail"), (p1, p3)
                P = lambda n, e: {"PartNumber": n, "ETag": e}
                def complete(parts, upload=uid):
                    return s3.complete_multipart_upload(Bucket=b, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
                assert refusal(complete, parts=[P(1, p2["ETag"])])[:2] == (400, "InvalidPart")
                assert refusal(complete, parts=[P(4, p2["ETag"])])[:2] == (400, "InvalidPart")
                assert refusal(complete, parts=[P(2, p2["ETag"]), P(1, p1["ETag"])])[:2] == (400, "InvalidPartOrder")
                assert refusal(complete, parts=[P(1, p1["ETag"]), P(2, p2["ETag"]), P(3, p3["ETag"])])[:2] == (400, "EntityTooSmall")
                assert refusal(complete, parts=[P(1, p1["ETag"])], upload="no-such-upload")[:2] == (404, "NoSuchUpload")
                assert refusal(s3.upload_part, Bucket=b, Key=key, UploadId=uid, PartNumber=10001, Body=b"x")[:2] == (400, "InvalidArgument")
                assert refusal(s3.head_object, Bucket=b, Key=key)[0] == 404
                status, code, message = refusal(s3.create_multipart_upload, Bucket=b, Key="mp/full.bin", ChecksumAlgorithm="CRC32",
                    ChecksumType="FULL_OBJECT")
                assert (status, code) == (501, "NotImplemented") and "full-object" in message, (status, code, message)

                first = s3.list_parts(Bucket=b, Key=key, UploadId=uid, MaxParts=2)
                assert [p["PartNumber"] for p in first["Parts"]] == [1, 2] and first["IsTruncated"], first
                assert first["Parts"][0]["Size"] == len(five) and first["Parts"][0]["ETag"] == p1["ETag"]
                rest = s3.list_parts(Bucket=b, Key=key, UploadId=uid, PartNumberMarker=first["NextPartNumberMarker"])
                assert [p["PartNumber"] for p in rest["Parts"]] == [3] and not rest["IsTruncated"], rest

                done = complete([P(1, p1["ETag"]), P(3, p3["ETag"])])
                expected = hashlib.md5(hashlib.md5(five).digest() + hashlib.md5(b"tail").digest()).hexdigest() + "-2"
                assert done["ETag"] == '"%s"' % expected and done["Key"] == key, done
                got = s3.get_object(Bucket=b, Key=key)
                assert got["Body"].read() == five + b"tail" and got["ETag"] == done["ETag"]
                assert got["Metadata"] == {"m": "1"} and got["ContentType"] == "application/x-mp", got
                assert got["StorageClass"] == "INTELLIGENT_TIERING", got
                assert s3.get_object_tagging(Bucket=b, Key=key)["TagSet"] == [{"Key": "k", "Value": "v"}]
                assert refusal(s3.list_parts, Bucket=b, Key=key, UploadId=uid)[:2] == (404, "NoSuchUpload")

                source = bytes((i * 13) & 0xFF for i in range(6 << 20))
                s3.put_object(Bucket=b, Key="mp/source.bin", Body=source)
                copy = s3.create_multipart_upload(Bucket=b, Key="mp/copied.bin")["UploadId"]
                c1 = s3.upload_part_copy(Bucket=b, Key="mp/copied.bin", UploadId=copy, PartNumber=1,
                    CopySource={"Bucket": b, "Key": "mp/source.bin"}, CopySourceRange="bytes=0-5242879")
                c2 = s3.upload_part_copy(Bucket=b, Key="mp/copied.bin", UploadId=copy, PartNumber=2,
                    CopySource={"Bucket": b, "Key": "mp/source.bin"}, CopySourceRange="bytes=5242880-6291455")
                assert c1["CopyPartResult"]["ETag"] == md5(source[:5 << 20]), c1
                assert refusal(s3.upload_part_copy, Bucket=b, Key="mp/copied.bin", UploadId=copy, PartNumber=3,
                    CopySource={"Bucket": b, "Key": "mp/source.bin"}, CopySourceRange="bytes=0-99999999")[:2] == (400, "InvalidArgument")
                s3.complete_multipart_upload(Bucket=b, Key="mp/copied.bin", UploadId=copy, MultipartUpload={"Parts": [
                    P(1, c1["CopyPartResult"]["ETag"]), P(2, c2["CopyPartResult"]["ETag"])]})
                assert s3.get_object(Bucket=b, Key="mp/copied.bin")["Body"].read() == source

                ids = [s3.create_multipart_upload(Bucket=b, Key=k)["UploadId"] for k in ["mp/list/a", "mp/list/b", "mp/list/b"]]
                page = s3.list_multipart_uploads(Bucket=b, Prefix="mp/list/", MaxUploads=2)
                assert [u["Key"] for u in page["Uploads"]] == ["mp/list/a", "mp/list/b"] and page["IsTruncated"], page
                assert page["Uploads"][0]["UploadId"] == ids[0]
                more = s3.list_multipart_uploads(Bucket=b, Prefix="mp/list/", KeyMarker=page["NextKeyMarker"],
                    UploadIdMarker=page["NextUploadIdMarker"])
                assert [u["Key"] for u in more["Uploads"]] == ["mp/list/b"] and not more["IsTruncated"], more
                assert sorted(u["UploadId"] for u in page["Uploads"][1:] + more["Uploads"]) == sorted(ids[1:])
                for upload, k in zip(ids, ["mp/list/a", "mp/list/b", "mp/list/b"]):
                    assert s3.abort_multipart_upload(Bucket=b, Key=k, UploadId=upload)["ResponseMetadata"]["HTTPStatusCode"] == 204
                assert s3.list_multipart_uploads(Bucket=b).get("Uploads", []) == []
                assert refusal(s3.abort_multipart_upload, Bucket=b, Key="mp/list/a", UploadId=ids[0])[:2] == (404, "NoSuchUpload")
                assert refusal(s3.upload_part, Bucket=b, Key="mp/list/a", UploadId=ids[0], PartNumber=1, Body=b"x")[:2] == (404, "NoSuchUpload")
                assert refusal(s3.head_object, Bucket=b, Key="mp/list/a")[0] == 404
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test(
        "UploadPart bodies are checked like PutObject's: aws-chunked with a crc32 trailer is stored decoded; a wrong Content-MD5 or checksum stores no part"
    )
    func verifiedParts() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                import base64
                b, key = "pam-working", "mp/verified.bin"
                uid = s3.create_multipart_upload(Bucket=b, Key=key)["UploadId"]
                payload = bytes((i * 131 + 7) & 0xFF for i in range(200000))
                part = lambda number: "/%s/%s?partNumber=%d&uploadId=%s" % (b, key, number, uid)
                status, etag, text = chunked_put(part(1), payload)
                assert status == 200 and etag == '"%s"' % hashlib.md5(payload).hexdigest(), (status, etag, text)
                status, etag, text = chunked_put(part(2), payload, corrupt=True)
                assert status == 400 and "<Code>BadDigest</Code>" in text, (status, text)
                wrong_md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
                assert refusal(s3.upload_part, Bucket=b, Key=key, UploadId=uid, PartNumber=3, Body=b"part", ContentMD5=wrong_md5)[:2] == (400, "BadDigest")
                status, code, _ = refusal(s3.upload_part, Bucket=b, Key=key, UploadId=uid, PartNumber=4, Body=b"part", ChecksumCRC32="AAAAAA==")
                assert status == 400 and code in ("BadDigest", "InvalidRequest"), (status, code)
                parts = s3.list_parts(Bucket=b, Key=key, UploadId=uid)["Parts"]
                assert [(p["PartNumber"], p["Size"]) for p in parts] == [(1, len(payload))], parts
                s3.complete_multipart_upload(Bucket=b, Key=key, UploadId=uid, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": parts[0]["ETag"]}]})
                assert s3.get_object(Bucket=b, Key=key)["Body"].read() == payload
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test(
        "a multipart upload survives kill -9 of pam serve: after a restart on the same state ListParts shows its parts and Complete succeeds"
    )
    func multipartSurvivesKill() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let clients = AWSClients(server: server)
        let started = try await clients.python(
            """
            up = s3.create_multipart_upload(Bucket="pam-working", Key="kill/upload.bin", Metadata={"kept": "yes"})["UploadId"]
            s3.upload_part(Bucket="pam-working", Key="kill/upload.bin", UploadId=up, PartNumber=1, Body=b"1" * (5 << 20))
            s3.upload_part(Bucket="pam-working", Key="kill/upload.bin", UploadId=up, PartNumber=2, Body=b"two")
            print(up)
            """)
        #expect(started.status == 0, "\(started.transcript)")
        let upload = started.output.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await server.stop(SIGKILL)
        try await server.start()
        let finished = try await clients.python(
            """
            up = sys.argv[1]
            assert refusal(s3.head_object, Bucket="pam-working", Key="kill/upload.bin")[0] == 404
            assert "Contents" not in s3.list_objects_v2(Bucket="pam-working", Prefix="kill/")
            assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket="pam-working")["Uploads"]] == [up]
            parts = s3.list_parts(Bucket="pam-working", Key="kill/upload.bin", UploadId=up)["Parts"]
            assert [(p["PartNumber"], p["Size"]) for p in parts] == [(1, 5 << 20), (2, 3)], parts
            s3.complete_multipart_upload(Bucket="pam-working", Key="kill/upload.bin", UploadId=up,
                MultipartUpload={"Parts": [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in parts]})
            got = s3.get_object(Bucket="pam-working", Key="kill/upload.bin")
            assert got["Body"].read() == b"1" * (5 << 20) + b"two" and got["Metadata"] == {"kept": "yes"}, got["Metadata"]
            assert s3.list_multipart_uploads(Bucket="pam-working").get("Uploads", []) == []
            print("ok")
            """, [upload])
        #expect(finished.status == 0 && finished.output.contains("ok"), "\(finished.transcript)")
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: server.state.appendingPathComponent("multipart").path)) ?? []
        #expect(leftovers.isEmpty, "\(leftovers)")
        try await server.stop()
    }

    @Test(
        "events: a JPEG copied into the storage bucket and one completed there by a multipart upload are both analysed and counted; moved, one still counts once; deleted, each stops counting"
    )
    func copiedAndCompletedPhotosAreAnalysed() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let token = try await server.signIn()
            let photo = try #require(ServeTests.photos.first)
            let result = try await clients.python(
                """
                with open(sys.argv[1], "rb") as f:
                    photo = f.read()
                s3.put_object(Bucket="pam-working", Key="staging/photo.jpg", Body=photo, ContentType="image/jpeg")
                s3.copy_object(Bucket="pam-storage", Key="copied/photo 1.jpg", CopySource="pam-working/staging/photo.jpg")
                up = s3.create_multipart_upload(Bucket="pam-storage", Key="multipart/photo.jpeg", ContentType="image/jpeg")["UploadId"]
                part = s3.upload_part(Bucket="pam-storage", Key="multipart/photo.jpeg", UploadId=up, PartNumber=1, Body=photo)
                s3.complete_multipart_upload(Bucket="pam-storage", Key="multipart/photo.jpeg", UploadId=up,
                    MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
                print("ok")
                """, [photo.path])
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
            let expected = try ServeTests.expectedCounts([photo, photo])
            try #require(!expected.isEmpty)
            #expect(try await Self.counts(server, token: token, reaching: expected) == expected)

            // Moved within the bucket (copy, then delete: aws s3 mv), a photo still counts once.
            let moved = try await clients.aws(["s3", "mv", "s3://pam-storage/copied/photo 1.jpg", "s3://pam-storage/moved/photo.jpg"])
            #expect(moved.status == 0, "\(moved.transcript)")
            try await server.waitForAnalysis(token: token)
            #expect(try await server.labelCounts(token: token) == expected)

            // Deleted (DeleteObject, then DeleteObjects), each photo stops counting.
            let deleted = try await clients.python(
                """
                s3.delete_object(Bucket="pam-storage", Key="moved/photo.jpg")
                print("ok")
                """)
            #expect(deleted.status == 0 && deleted.output.contains("ok"), "\(deleted.transcript)")
            let one = try ServeTests.expectedCounts([photo])
            #expect(try await Self.counts(server, token: token, reaching: one) == one)
            let batch = try await clients.python(
                """
                s3.delete_objects(Bucket="pam-storage", Delete={"Objects": [{"Key": "multipart/photo.jpeg"}]})
                print("ok")
                """)
            #expect(batch.status == 0 && batch.output.contains("ok"), "\(batch.transcript)")
            let none = one.mapValues { _ in 0 }
            #expect(try await Self.counts(server, token: token, reaching: none).values.allSatisfy { $0 == 0 })
        }
    }

    /// The label counts once they are `expected` (labels counting no photo may be absent or 0),
    /// or as they are after ten minutes.
    static func counts(_ server: ServerProcess, token: String, reaching expected: [String: Int]) async throws -> [String: Int] {
        func matches(_ counts: [String: Int]) -> Bool { counts.filter { $0.value > 0 } == expected.filter { $0.value > 0 } }
        var counts = try await server.labelCounts(token: token)
        let deadline = Date().addingTimeInterval(600)
        while !matches(counts), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            counts = try await server.labelCounts(token: token)
        }
        return matches(counts) ? expected : counts
    }
}
