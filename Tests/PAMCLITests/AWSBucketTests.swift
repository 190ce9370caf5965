import Foundation
import PAMCore
import PAMTestSupport
import Testing

/// `pam serve`'s AWS endpoint, the bucket side, driven by boto3 and the aws CLI: buckets created
/// and deleted, their lifecycle (which drives `pam lifecycle`) and CORS configurations, ListObjects
/// version 1, DeleteObjects; all of it kept across a `kill -9`.
@Suite("AWS endpoint buckets (S3)", .serialized)
struct AWSBucketTests {
    @Test("aws CLI: mb, rb of a non-empty bucket is BucketNotEmpty, rm --recursive, rb --force; the app's buckets stay")
    func mbAndRb() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let file = server.state.deletingLastPathComponent().appendingPathComponent("note.txt")
            try Data("hello".utf8).write(to: file)
            let made = try await clients.aws(["s3", "mb", "s3://cli-bucket"])
            #expect(made.status == 0 && made.output.contains("make_bucket: cli-bucket"), "\(made.transcript)")
            let again = try await clients.aws(["s3", "mb", "s3://cli-bucket"])
            #expect(again.status != 0 && again.errors.contains("BucketAlreadyOwnedByYou"), "\(again.transcript)")
            for key in ["a.txt", "dir/b.txt", "dir/sub/c.txt"] {
                let up = try await clients.aws(["s3", "cp", file.path, "s3://cli-bucket/\(key)"])
                #expect(up.status == 0, "\(up.transcript)")
            }
            let listed = try await clients.aws(["s3", "ls"])
            #expect(listed.output.contains(" cli-bucket") && listed.output.contains(" pam-working"), "\(listed.output)")

            let refused = try await clients.aws(["s3", "rb", "s3://cli-bucket"])
            #expect(refused.status != 0 && refused.errors.contains("BucketNotEmpty"), "\(refused.transcript)")
            let removed = try await clients.aws(["s3", "rm", "--recursive", "s3://cli-bucket/dir/"])
            #expect(removed.status == 0, "\(removed.transcript)")
            #expect(removed.output.contains("delete: s3://cli-bucket/dir/sub/c.txt"), "\(removed.output)")
            let left = try await clients.aws(["s3", "ls", "--recursive", "s3://cli-bucket/"])
            #expect(left.output.contains("a.txt") && !left.output.contains("b.txt"), "\(left.transcript)")
            let forced = try await clients.aws(["s3", "rb", "--force", "s3://cli-bucket"])
            #expect(forced.status == 0 && forced.output.contains("remove_bucket: cli-bucket"), "\(forced.transcript)")
            let after = try await clients.aws(["s3", "ls"])
            #expect(!after.output.contains("cli-bucket") && after.output.contains("pam-storage"), "\(after.output)")
            #expect(!FileManager.default.fileExists(atPath: server.state.appendingPathComponent("objects/cli-bucket").path))

            let app = try await clients.aws(["s3", "rb", "s3://pam-working"])
            #expect(app.status != 0 && app.errors.contains("AccessDenied"), "\(app.transcript)")
            let still = try await clients.aws(["s3", "ls", "s3://pam-working"])
            #expect(still.status == 0, "\(still.transcript)")
        }
    }

    @Test("boto3: create, head, list, location, delete; existing, invalid names and foreign regions refused as us-east-1 refuses them")
    func boto3Buckets() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                created = s3.create_bucket(Bucket="boto-bucket")
                assert created["ResponseMetadata"]["HTTPStatusCode"] == 200 and created["Location"] == "/boto-bucket", created
                assert s3.head_bucket(Bucket="boto-bucket")["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "us-east-1"
                names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
                assert names == sorted(names) and {"boto-bucket", "pam-storage", "pam-working"} <= set(names), names
                assert s3.get_bucket_location(Bucket="boto-bucket")["LocationConstraint"] is None
                assert refusal(s3.create_bucket, Bucket="boto-bucket")[:2] == (409, "BucketAlreadyOwnedByYou")
                assert refusal(s3.create_bucket, Bucket="pam-working")[:2] == (409, "BucketAlreadyOwnedByYou")
                for name in ["UPPER-case", "ab", "192.168.10.1", "a..b", "under_score", "-edge", "x" * 64, "xn--punycode"]:
                    assert refusal(s3.create_bucket, Bucket=name)[:2] == (400, "InvalidBucketName"), name
                status, code, _ = refusal(s3.create_bucket, Bucket="elsewhere", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
                assert (status, code) == (400, "IllegalLocationConstraintException"), (status, code)
                assert refusal(s3.head_bucket, Bucket="elsewhere")[0] == 404
                with_config = s3.create_bucket(Bucket="dotted.bucket-2", CreateBucketConfiguration={})
                assert with_config["ResponseMetadata"]["HTTPStatusCode"] == 200

                s3.put_object(Bucket="boto-bucket", Key="k", Body=b"v")
                assert refusal(s3.delete_bucket, Bucket="boto-bucket")[:2] == (409, "BucketNotEmpty")
                s3.delete_object(Bucket="boto-bucket", Key="k")
                assert s3.delete_bucket(Bucket="boto-bucket")["ResponseMetadata"]["HTTPStatusCode"] == 204
                assert refusal(s3.head_bucket, Bucket="boto-bucket")[0] == 404
                assert refusal(s3.put_object, Bucket="boto-bucket", Key="k", Body=b"v")[:2] == (404, "NoSuchBucket")
                assert refusal(s3.delete_bucket, Bucket="boto-bucket")[:2] == (404, "NoSuchBucket")
                assert refusal(s3.delete_bucket, Bucket="pam-storage")[:2] == (403, "AccessDenied")
                s3.create_bucket(Bucket="boto-bucket")
                assert s3.list_objects_v2(Bucket="boto-bucket")["KeyCount"] == 0, "a recreated bucket starts empty"
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test("lifecycle: the app's buckets start with the reference rules; a rule put with boto3 drives pam lifecycle --now")
    func lifecycleDrivesPAM() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let setup = try await clients.python(
                """
                rules = s3.get_bucket_lifecycle_configuration(Bucket="pam-working")["Rules"]
                assert [(r["Status"], r["Expiration"]["Days"], r["Filter"]["Prefix"]) for r in rules] == [("Enabled", 1, "")], rules
                assert rules[0]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}, rules
                rules = s3.get_bucket_lifecycle_configuration(Bucket="pam-storage")["Rules"]
                assert [(t["Days"], t["StorageClass"]) for r in rules for t in r["Transitions"]] == [(1, "INTELLIGENT_TIERING")], rules

                s3.create_bucket(Bucket="aging")
                assert refusal(s3.get_bucket_lifecycle_configuration, Bucket="aging")[:2] == (404, "NoSuchLifecycleConfiguration")
                config = {"Rules": [
                    {"ID": "expire-tmp", "Filter": {"Prefix": "tmp/"}, "Status": "Enabled", "Expiration": {"Days": 3}},
                    {"ID": "tier-photos", "Filter": {"Prefix": "photos/"}, "Status": "Enabled",
                     "Transitions": [{"Days": 2, "StorageClass": "INTELLIGENT_TIERING"}]},
                    {"ID": "off", "Filter": {"Prefix": ""}, "Status": "Disabled", "Expiration": {"Days": 1}},
                    {"ID": "abandoned", "Filter": {"Prefix": "big/"}, "Status": "Enabled",
                     "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}]}
                s3.put_bucket_lifecycle_configuration(Bucket="aging", LifecycleConfiguration=config)
                got = s3.get_bucket_lifecycle_configuration(Bucket="aging")["Rules"]
                assert [(r["ID"], r["Status"], r["Filter"]["Prefix"]) for r in got] == [
                    ("expire-tmp", "Enabled", "tmp/"), ("tier-photos", "Enabled", "photos/"), ("off", "Disabled", ""),
                    ("abandoned", "Enabled", "big/")], got
                assert got[3]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 2} and "Expiration" not in got[3], got
                assert got[0]["Expiration"] == {"Days": 3} and got[1]["Transitions"] == [{"Days": 2, "StorageClass": "INTELLIGENT_TIERING"}]
                for key in ["tmp/a", "keep/b"]:
                    s3.put_object(Bucket="aging", Key=key, Body=b"x")
                s3.put_object(Bucket="aging", Key="photos/c", Body=b"x" * 128 * 1024)
                s3.put_object(Bucket="aging", Key="photos/small", Body=b"x" * (128 * 1024 - 1))  # under S3's 128 KB: not moved
                s3.create_multipart_upload(Bucket="aging", Key="big/abandoned.bin")
                s3.create_multipart_upload(Bucket="aging", Key="small/kept.bin")
                # The working bucket keeps zips under keep/ from now on.
                s3.put_bucket_lifecycle_configuration(Bucket="pam-working", LifecycleConfiguration={"Rules": [
                    {"ID": "scratch", "Filter": {"Prefix": "scratch/"}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
                s3.put_object(Bucket="pam-working", Key="keep/bundle.zip", Body=b"PK")
                s3.put_object(Bucket="pam-working", Key="scratch/bundle.zip", Body=b"PK")

                bad = lambda rule: refusal(s3.put_bucket_lifecycle_configuration, Bucket="aging", LifecycleConfiguration={"Rules": [rule]})
                assert bad({"ID": "g", "Filter": {"Prefix": ""}, "Status": "Enabled",
                            "Transitions": [{"Days": 5, "StorageClass": "GLACIER"}]})[:2] == (501, "NotImplemented")
                assert bad({"ID": "z", "Filter": {"Prefix": ""}, "Status": "Enabled", "Expiration": {"Days": 0}})[:2] == (400, "InvalidArgument")
                assert bad({"ID": "t", "Filter": {"Tag": {"Key": "a", "Value": "b"}}, "Status": "Enabled",
                            "Expiration": {"Days": 1}})[:2] == (501, "NotImplemented")
                assert bad({"ID": "m", "Filter": {"Prefix": ""}, "Status": "Enabled",
                            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 0}})[:2] == (400, "InvalidArgument")
                assert len(s3.get_bucket_lifecycle_configuration(Bucket="aging")["Rules"]) == 4, "a refused put changes nothing"
                print("ok")
                """)
            #expect(setup.status == 0 && setup.output.contains("ok"), "\(setup.transcript)")

            let later = DateText.iso8601(Date().addingTimeInterval(4 * 86_400))
            let run = try await CLITests.pam(["lifecycle", "--state", server.state.path, "--now", later])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                run.stdout.contains("Expired 2 bundle(s); moved 1 photo(s) to INTELLIGENT_TIERING; aborted 1 incomplete upload(s)."),
                "\(run.stdout)")
            let check = try await clients.python(
                """
                keys = lambda b: sorted(o["Key"] for o in s3.list_objects_v2(Bucket=b).get("Contents", []))
                assert keys("aging") == ["keep/b", "photos/c", "photos/small"], keys("aging")
                assert s3.head_object(Bucket="aging", Key="photos/c")["StorageClass"] == "INTELLIGENT_TIERING"
                assert "StorageClass" not in s3.head_object(Bucket="aging", Key="photos/small")
                assert keys("pam-working") == ["keep/bundle.zip"], keys("pam-working")
                uploads = s3.list_multipart_uploads(Bucket="aging").get("Uploads", [])
                assert [u["Key"] for u in uploads] == ["small/kept.bin"], uploads
                s3.delete_bucket_lifecycle(Bucket="aging")
                assert refusal(s3.get_bucket_lifecycle_configuration, Bucket="aging")[:2] == (404, "NoSuchLifecycleConfiguration")
                print("ok")
                """)
            #expect(check.status == 0 && check.output.contains("ok"), "\(check.transcript)")
            let none = try await CLITests.pam(["lifecycle", "--state", server.state.path, "--now", later])
            #expect(none.stdout.contains("Expired 0 bundle(s); moved 0 photo(s)"), "\(none.stdout)")
        }
    }

    @Test("CORS: NoSuchCORSConfiguration, put, get as stored, refusals, delete")
    func cors() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                assert refusal(s3.get_bucket_cors, Bucket="pam-storage")[:2] == (404, "NoSuchCORSConfiguration")
                rules = [{"ID": "page", "AllowedHeaders": ["*"], "AllowedMethods": ["GET", "PUT"],
                          "AllowedOrigins": ["http://localhost:8080", "https://*.example.com"], "ExposeHeaders": ["ETag"],
                          "MaxAgeSeconds": 3000},
                         {"AllowedMethods": ["HEAD"], "AllowedOrigins": ["*"]}]
                s3.put_bucket_cors(Bucket="pam-storage", CORSConfiguration={"CORSRules": rules})
                assert s3.get_bucket_cors(Bucket="pam-storage")["CORSRules"] == rules
                bad = lambda rule: refusal(s3.put_bucket_cors, Bucket="pam-storage", CORSConfiguration={"CORSRules": [rule]})
                assert bad({"AllowedMethods": ["PATCH"], "AllowedOrigins": ["*"]})[:2] == (400, "InvalidRequest")
                assert bad({"AllowedMethods": ["GET"], "AllowedOrigins": ["http://*.*.x"]})[:2] == (400, "InvalidRequest")
                assert s3.get_bucket_cors(Bucket="pam-storage")["CORSRules"] == rules
                assert s3.delete_bucket_cors(Bucket="pam-storage")["ResponseMetadata"]["HTTPStatusCode"] == 204
                assert refusal(s3.get_bucket_cors, Bucket="pam-storage")[:2] == (404, "NoSuchCORSConfiguration")
                assert refusal(s3.get_bucket_cors, Bucket="no-such-bucket")[:2] == (404, "NoSuchBucket")
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test("ListObjects version 1: max-keys and marker pages, NextMarker only with a delimiter, CommonPrefixes, the paginator")
    func listObjectsV1() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                keys = ["v1/%02d" % i for i in range(25)] + ["v1/dir/x", "v1/dir/y", "v1/zz/z"]
                for key in keys:
                    s3.put_object(Bucket="pam-working", Key=key, Body=b"x")
                first = s3.list_objects(Bucket="pam-working", Prefix="v1/", MaxKeys=10)
                assert [o["Key"] for o in first["Contents"]] == keys[:10] and first["IsTruncated"], first
                assert "NextMarker" not in first and first["Marker"] == "" and first["MaxKeys"] == 10
                assert first["Contents"][0]["Owner"]["ID"] and first["Contents"][0]["StorageClass"] == "STANDARD"
                second = s3.list_objects(Bucket="pam-working", Prefix="v1/", MaxKeys=10, Marker=first["Contents"][-1]["Key"])
                assert [o["Key"] for o in second["Contents"]] == keys[10:20] and second["Marker"] == "v1/09", second
                rolled = s3.list_objects(Bucket="pam-working", Prefix="v1/", Delimiter="/", MaxKeys=26)
                assert [o["Key"] for o in rolled["Contents"]] == keys[:25], rolled
                assert [p["Prefix"] for p in rolled["CommonPrefixes"]] == ["v1/dir/"] and rolled["NextMarker"] == "v1/dir/", rolled
                rest = s3.list_objects(Bucket="pam-working", Prefix="v1/", Delimiter="/", Marker=rolled["NextMarker"])
                assert [p["Prefix"] for p in rest["CommonPrefixes"]] == ["v1/zz/"] and not rest["IsTruncated"] and "Contents" not in rest, rest
                seen, prefixes = [], []
                for page in s3.get_paginator("list_objects").paginate(Bucket="pam-working", Prefix="v1/", Delimiter="/",
                                                                      PaginationConfig={"PageSize": 4}):
                    seen += [o["Key"] for o in page.get("Contents", [])]
                    prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
                assert seen == keys[:25] and prefixes == ["v1/dir/", "v1/zz/"], (seen, prefixes)
                flat = []
                for page in s3.get_paginator("list_objects").paginate(Bucket="pam-working", Prefix="v1/", PaginationConfig={"PageSize": 7}):
                    flat += [o["Key"] for o in page.get("Contents", [])]
                assert flat == sorted(keys), flat
                assert refusal(s3.list_objects, Bucket="pam-working", MaxKeys=-1)[:2] == (400, "InvalidArgument")
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test("DeleteObjects: verbose and quiet, a missing key counts as deleted, per-key errors, Content-MD5 required, 1,000 keys at most")
    func deleteObjects() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                for key in ["d/1", "d/2", "d/3", "d/4"]:
                    s3.put_object(Bucket="pam-working", Key=key, Body=b"x")
                verbose = s3.delete_objects(Bucket="pam-working", Delete={"Objects": [{"Key": "d/1"}, {"Key": "d/2"}, {"Key": "d/missing"}]})
                assert sorted(d["Key"] for d in verbose["Deleted"]) == ["d/1", "d/2", "d/missing"] and "Errors" not in verbose, verbose
                quiet = s3.delete_objects(Bucket="pam-working", Delete={"Objects": [{"Key": "d/3"}, {"Key": "bad/../key"}], "Quiet": True})
                assert "Deleted" not in quiet, quiet
                assert [(e["Key"], e["Code"]) for e in quiet["Errors"]] == [("bad/../key", "InvalidArgument")], quiet
                left = [o["Key"] for o in s3.list_objects_v2(Bucket="pam-working", Prefix="d/")["Contents"]]
                assert left == ["d/4"], left
                too_many = {"Objects": [{"Key": "k%d" % i} for i in range(1001)]}
                assert refusal(s3.delete_objects, Bucket="pam-working", Delete=too_many)[:2] == (400, "MalformedXML")
                assert refusal(s3.delete_objects, Bucket="no-such-bucket", Delete={"Objects": [{"Key": "a"}]})[:2] == (404, "NoSuchBucket")

                def strip(request, **kwargs):
                    for name in list(request.headers.keys()):
                        if name.lower() == "content-md5" or name.lower().startswith("x-amz-checksum-") or name.lower() == "x-amz-sdk-checksum-algorithm":
                            del request.headers[name]
                s3.meta.events.register("before-sign.s3.DeleteObjects", strip)
                status, code, message = refusal(s3.delete_objects, Bucket="pam-working", Delete={"Objects": [{"Key": "d/4"}]})
                assert (status, code) == (400, "InvalidRequest") and "Content-MD5" in message, (status, code, message)
                assert s3.head_object(Bucket="pam-working", Key="d/4")["ContentLength"] == 1
                print("ok")
                """)
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)")
        }
    }

    @Test("kill -9 and restart: created buckets, their objects, lifecycle and CORS configurations stay; deleted ones stay deleted")
    func survivesRestart() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let before = try await clients.python(
                """
                s3.create_bucket(Bucket="kept-bucket")
                s3.create_bucket(Bucket="gone-bucket")
                s3.put_object(Bucket="kept-bucket", Key="a/b.txt", Body=b"kept")
                s3.put_bucket_lifecycle_configuration(Bucket="kept-bucket", LifecycleConfiguration={"Rules": [
                    {"ID": "r", "Filter": {"Prefix": "a/"}, "Status": "Enabled", "Expiration": {"Days": 7}}]})
                s3.put_bucket_cors(Bucket="kept-bucket", CORSConfiguration={"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]})
                s3.delete_bucket_lifecycle(Bucket="pam-working")
                s3.delete_bucket(Bucket="gone-bucket")
                print("ok")
                """)
            #expect(before.status == 0 && before.output.contains("ok"), "\(before.transcript)")
            _ = try await server.stop(SIGKILL)
            try await server.start()
            let restarted = AWSClients(server: server)
            let after = try await restarted.python(
                """
                names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
                assert "kept-bucket" in names and "gone-bucket" not in names, names
                assert s3.get_object(Bucket="kept-bucket", Key="a/b.txt")["Body"].read() == b"kept"
                rules = s3.get_bucket_lifecycle_configuration(Bucket="kept-bucket")["Rules"]
                assert [(r["ID"], r["Expiration"]["Days"]) for r in rules] == [("r", 7)], rules
                assert s3.get_bucket_cors(Bucket="kept-bucket")["CORSRules"] == [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]
                # Deleted by a client, the app bucket's lifecycle is not given back at the next opening.
                assert refusal(s3.get_bucket_lifecycle_configuration, Bucket="pam-working")[:2] == (404, "NoSuchLifecycleConfiguration")
                print("ok")
                """)
            #expect(after.status == 0 && after.output.contains("ok"), "\(after.transcript)")
        }
    }
}
