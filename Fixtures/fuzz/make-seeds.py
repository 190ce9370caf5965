#!/usr/bin/env python3
"""Writes the fuzz seed corpora under Fixtures/fuzz/<target>/ (except zip/bundle*.zip, which
FuzzCorpusTests.zipSeedIsOurArchive checks against ZipArchiveStream). Rerun after changing it;
crash inputs that libFuzzer finds go to <target>/crashes/ and are kept."""
import hashlib, hmac, os, urllib.parse

root = os.path.dirname(os.path.abspath(__file__))
photos = os.path.join(root, "..", "variants")

def write(target, name, data):
    os.makedirs(os.path.join(root, target), exist_ok=True)
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)

# range: "<size>\n<Range header>"
for name, text in {
    "first-hundred": "1000\nbytes=0-99", "suffix": "1000\nbytes=-100", "open-end": "1000\nbytes=900-",
    "end-past-int64": "1000\nbytes=0-9223372036854775807", "unsatisfiable": "10\nbytes=20-30",
    "two-ranges": "1000\nbytes=1-2,5-6", "other-unit": "1000\nitems=0-1", "empty-object": "0\nbytes=-5",
    "no-size": "bytes=0-0", "spaces": "1000\nbytes= 3 - 7",
}.items():
    write("range", name, text)

# zip: the end record alone (an empty archive), a truncated header, not a zip at all
write("zip", "empty.zip", b"PK\x05\x06" + bytes(18))
write("zip", "truncated-header.zip", b"PK\x03\x04\x14\x00\x00\x00\x00\x00")
write("zip", "not-a-zip", b"%PDF-1.7\n")

# jpeg: the first 4 KB of the variant fixtures (headers, EXIF, tables), one small JPEG whole
for variant in ["exif-rotated", "cmyk", "progressive", "gray", "restart", "yuv444"]:
    with open(os.path.join(photos, f"mate-dune-{variant}.jpg"), "rb") as f:
        write("jpeg", f"{variant}-head.jpg", f.read(4096))
with open(os.path.join(photos, "mate-dune-small-odd.jpg"), "rb") as f:
    write("jpeg", "small-odd.jpg", f.read())
write("jpeg", "not-a-jpeg", b"GIF89a\x01\x00\x01\x00")

# presigned-url: signed as PresignFixture signs (key 32 x 0x07, base http://127.0.0.1:9000, now 1800000000)
key = bytes([7] * 32)
def presign(method, bucket, object_key, expires, content_type=""):
    message = f"PAM-HMAC-SHA256\n{method}\n{bucket}\n{object_key}\n{expires}\n{content_type if method == 'PUT' else ''}"
    signature = hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
    path = "/".join(urllib.parse.quote(segment, safe="-._~") for segment in object_key.split("/"))
    return f"http://127.0.0.1:9000/{bucket}/{path}?X-Pam-Expires={expires}&X-Pam-Signature={signature}"
write("presigned-url", "get", presign("GET", "pam-storage", "photos/lake.jpg", 1800000900))
write("presigned-url", "put", presign("PUT", "pam-storage", "1b4e28ba-2fa1-11d2-883f-0016d3cca427-lake.jpg", 1800000900, "image/jpeg"))
write("presigned-url", "get-encoded-key", presign("GET", "pam-working", "café ü/50%.zip", 1800086400))
write("presigned-url", "expired", presign("GET", "pam-storage", "photos/lake.jpg", 1799999999))
write("presigned-url", "tampered", presign("GET", "pam-storage", "photos/lake.jpg", 1800000900).replace("lake", "dune"))
write("presigned-url", "unsigned", "http://127.0.0.1:9000/pam-storage/photos/lake.jpg")
write("presigned-url", "key-dot-segments", "photos/../../etc/passwd")

# jwt: 0 = edits to a valid token, 1 = claims signed by the pool, else a token as text
claims = ('{"iss":"http://127.0.0.1:9000/pam-local-pool","aud":%s,"token_use":"id","exp":%s,'
          '"sub":"0f8fad5b-d9cb-469f-a165-70867728950e","cognito:username":"fuzz","email":"owner@example.com"}')
write("jwt", "intact", b"\x00")
write("jwt", "one-edit", b"\x00\x00\x05A")
write("jwt", "claims-valid", b"\x01" + (claims % ('"pam-fuzz-client"', "1900000000")).encode())
write("jwt", "claims-audience-list", b"\x01" + (claims % ('["other","pam-fuzz-client"]', "1900000000")).encode())
write("jwt", "claims-expired", b"\x01" + (claims % ('"pam-fuzz-client"', "1700000000")).encode())
write("jwt", "claims-access-token", b"\x01" + (claims % ('"pam-fuzz-client"', "1900000000")).replace('"id"', '"access"').encode())
write("jwt", "alg-none", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
write("jwt", "not-a-token", "Bearer x.y")

# object-key: keys and bucket names
for name, text in {
    "photo": "1b4e28ba-2fa1-11d2-883f-0016d3cca427-lake.jpg", "nested": "photos/2026/lake.jpg", "parent": "../etc/passwd",
    "empty-segment": "a//b.jpg", "unicode": "café/ü.jpg", "bucket": "pam-storage", "nul": "a\x00b", "absolute": "/etc/passwd",
    "dot-segment": "a/./b", "backslash": "a\\..\\b", "bucket-dots": "pam..storage",
}.items():
    write("object-key", name, text)

# api-body: upload and download bodies
for name, text in {
    "upload": '{"file_name": "lake.jpg"}', "upload-path": '{"file_name": "../../etc/passwd.jpg"}',
    "upload-not-jpeg": '{"file_name": "lake.png"}', "download": '{"labels": ["Mountain", "Sky"]}',
    "download-email": '{"labels": ["Flower"], "email": "someone@example.com"}',
    "download-phone": '{"labels": ["Flower"], "phone": "+4915112345678"}', "download-both": '{"labels": ["Flower"], "email": "a@b.co", "phone": "+4915112345678"}',
    "download-empty": '{"labels": []}', "download-injection": '{"labels": ["x\\r\\nBcc: evil@example.com"], "email": "a@b.co"}',
    "download-numbers": '{"labels": [1, 2], "email": 3}', "not-json": "labels=Flower", "array": '["lake.jpg"]',
}.items():
    write("api-body", name, text)

# recipient: addresses and numbers
for name, text in {
    "email": "owner@example.com", "email-tagged": "user.name+tag@sub.example.org", "phone": "+4915112345678",
    "no-domain-dot": "a@b", "header-injection": "x@example.com\r\nBcc: y@example.com", "leading-zero": "+0123456789",
    "short": "+1234", "two-ats": "a@b@example.com", "bidi": "a\u202e@example.com",
}.items():
    write("recipient", name, text)

# dynamodb-expression: "<kind>\n<expression>" — the reference handlers' expressions, nesting, refusals
for name, text in {
    "update-reference": "update\nSET #c = if_not_exists(#c, :n) + :n, Images = list_append(if_not_exists(Images, :l), :l)",
    "update-add": "update\nADD #c :n, #i :ss", "update-delete": "update\nDELETE #i :ss ADD #c :n",
    "update-nested": "update\nSET doc.a.b = :n, arr[1].c = :s, arr[9] = :m REMOVE flag, arr[0]",
    "update-overflow": "update\nSET #c = #c + :big", "update-overlap": "update\nSET doc = :m, doc.a = :n",
    "update-key": "update\nset #a = :n remove nothing add nums :ns delete #i :ss",
    "update-syntax": "update\nSET #c = :n + :n + :n", "update-empty": "update\n   ",
    "condition-once": "condition\nNOT contains(#i, :s) AND attribute_exists(#c)",
    "condition-precedence": "condition\n#c = :n OR #c > :n AND NOT (flag = :t) OR #c BETWEEN :n AND :n",
    "condition-functions": "condition\nattribute_type(#i, :type) AND size(arr) >= :n AND begins_with(pk, :s) AND #c IN (:n, :s)",
    "condition-bad-type": "condition\nflag < :t", "condition-unbalanced": "condition\n((#c = :n)",
    "condition-undefined": "condition\n#nope = :nope", "projection": "projection\npk, doc.a.b, arr[2], arr[0], #i",
    "projection-overlap": "projection\ndoc, doc.a", "key": "key\n#pk = :s AND #sk BETWEEN :n AND :big",
    "key-begins": "key\n#pk = :s AND begins_with(#sk, :s)", "key-or": "key\n#pk = :s OR #sk = :n",
}.items():
    write("dynamodb-expression", name, text)
