import Crypto
import Foundation
import PAMCore
import PAMSigV4
import Testing

/// The verifier on S3's documented examples and on every way a request's authentication can be
/// missing or unreadable, each answered with S3's code, status and message.
@Suite("SigV4 verifier")
struct SigV4VerifierTests {
    static let keyID = "AKIAIOSFODNN7EXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    /// 2013-05-24T00:00:00Z, the time of S3's examples.
    static let exampleDate = Date(timeIntervalSince1970: 1_369_353_600)
    static let verifier = SigV4Verifier(credentials: [keyID: secret], clock: ManualClock(exampleDate))

    static func fields(_ pairs: KeyValuePairs<String, String>) -> [SigV4Request.Field] {
        pairs.map { SigV4Request.Field($0.key, $0.value) }
    }

    /// S3's "Example: PUT Object" of a chunked upload: the seed request.
    static let chunkedSeed = SigV4ReceivedRequest(
        method: "PUT", target: "/examplebucket/chunkObject.txt",
        headers: fields([
            "Host": "s3.amazonaws.com", "x-amz-date": "20130524T000000Z", "x-amz-storage-class": "REDUCED_REDUNDANCY",
            "Authorization":
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
            "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": "66560", "Content-Length": "66824",
        ]))

    /// S3's example of a chunked upload with a signed trailer: the seed request.
    static let trailerSeed = SigV4ReceivedRequest(
        method: "PUT", target: "/examplebucket/chunkObject.txt",
        headers: fields([
            "Host": "s3.amazonaws.com", "x-amz-date": "20130524T000000Z", "x-amz-storage-class": "REDUCED_REDUNDANCY",
            "Authorization":
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
            "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": "66560", "x-amz-trailer": "x-amz-checksum-crc32c",
        ]))

    /// S3's "Example: GET Object" signed in the header.
    static let getObject = SigV4ReceivedRequest(
        method: "GET", target: "/test.txt",
        headers: fields([
            "Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9",
            "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "x-amz-date": "20130524T000000Z",
            "Authorization":
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
        ]))

    /// S3's presigned URL example, valid 24 hours.
    static let presignedGet = SigV4ReceivedRequest(
        method: "GET",
        target:
            "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
        headers: fields(["Host": "examplebucket.s3.amazonaws.com"]))

    static func replacing(_ request: SigV4ReceivedRequest, header name: String, with value: String?) -> SigV4ReceivedRequest {
        var changed = request
        changed.headers.removeAll { $0.name.lowercased() == name.lowercased() }
        if let value { changed.headers.append(SigV4Request.Field(name, value)) }
        return changed
    }

    @Test("S3's documented examples verify: GET in the header, the chunked seeds, the presigned URL")
    func s3Examples() throws {
        let get = try Self.verifier.verify(Self.getObject)
        #expect(get.service == "s3" && get.region == "us-east-1" && get.payload == .sha256(SigV4ChunkChain.emptySHA256))
        #expect(get.signedHeaders == ["host", "range", "x-amz-content-sha256", "x-amz-date"])
        let chunked = try Self.verifier.verify(Self.chunkedSeed)
        #expect(chunked.payload == .streamingSigned && chunked.chain.scope == "20130524/us-east-1/s3/aws4_request")
        #expect(try Self.verifier.verify(Self.trailerSeed).payload == .streamingSignedTrailer)
        let presigned = try Self.verifier.verify(Self.presignedGet)
        #expect(presigned.payload == .unsigned && presigned.location == .query(expires: Self.exampleDate + 86400))
    }

    @Test("host and every x-amz-* header must be signed: an unsigned copy source, metadata or host is AccessDenied naming it")
    func unsignedHeaders() async {
        let notSigned = "There were headers present in the request which were not signed"
        for (request, names) in [
            (Self.replacing(Self.presignedGet, header: "x-amz-copy-source", with: "/other/secret.txt"), "x-amz-copy-source"),
            (Self.replacing(Self.getObject, header: "X-Amz-Meta-Note", with: "evil"), "x-amz-meta-note"),
            (Self.signingNoHeaders(Self.presignedGet), "host"),
        ] {
            let error = await expectSigV4Error(.accessDenied, message: notSigned) { _ = try Self.verifier.verify(request) }
            #expect(error?.details == [SigV4Error.Detail("HeadersNotSigned", names)])
        }
    }

    /// `request` (presigned) claiming an empty `X-Amz-SignedHeaders`.
    static func signingNoHeaders(_ request: SigV4ReceivedRequest) -> SigV4ReceivedRequest {
        var changed = request
        changed.query = request.query.map { $0.name == "X-Amz-SignedHeaders" ? SigV4Request.Field($0.name, "") : $0 }
        return changed
    }

    @Test("no authentication at all is AccessDenied: the endpoint has no public buckets")
    func anonymous() async {
        let request = SigV4ReceivedRequest(method: "GET", target: "/bucket/key", headers: Self.fields(["Host": "localhost"]))
        await expectSigV4Error(.accessDenied, message: "Access Denied") { _ = try Self.verifier.verify(request) }
    }

    @Test("Signature Version 2 in the Authorization header is InvalidRequest")
    func signatureVersion2Header() async {
        let header = SigV4ReceivedRequest(method: "GET", target: "/b/k", headers: Self.fields(["Authorization": "AWS AKID:c2lnbmF0dXJl"]))
        await expectSigV4Error(
            .invalidRequest, message: "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
        ) { _ = try Self.verifier.verify(header) }
    }

    /// S3's documented Version 2 query-string example (`GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg`).
    static let version2Query = "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620"
    static let version2Expiry = Date(timeIntervalSince1970: 1_175_139_620)

    @Test("Signature Version 2 presigned URLs (boto3's default presigning): S3's example verifies path- and virtual-hosted-style")
    func signatureVersion2Query() throws {
        let verifier = SigV4Verifier(credentials: [Self.keyID: Self.secret], clock: ManualClock(Self.version2Expiry - 3600))
        let pathStyle = SigV4ReceivedRequest(method: "GET", target: "/johnsmith/photos/puppy.jpg?" + Self.version2Query, headers: [])
        let auth = try verifier.verify(pathStyle)
        #expect(auth.service == "s3" && auth.payload == .unsigned && auth.location == .query(expires: Self.version2Expiry))
        let virtualHosted = SigV4ReceivedRequest(
            method: "GET", target: "/photos/puppy.jpg?" + Self.version2Query, headers: Self.fields(["Host": "johnsmith.localhost"]))
        #expect(try verifier.verify(virtualHosted, bucketFromHost: "johnsmith").accessKeyID == Self.keyID)
    }

    @Test("Signature Version 2 refusals: expired, over a week ahead, another key, method, path, signed header or subresource")
    func signatureVersion2Refusals() async {
        let verifier = SigV4Verifier(credentials: [Self.keyID: Self.secret], clock: ManualClock(Self.version2Expiry - 3600))
        let target = "/johnsmith/photos/puppy.jpg?" + Self.version2Query
        let late = SigV4Verifier(credentials: [Self.keyID: Self.secret], clock: ManualClock(Self.version2Expiry + 1))
        await expectSigV4Error(.accessDenied, message: "Request has expired") {
            _ = try late.verify(SigV4ReceivedRequest(method: "GET", target: target, headers: []))
        }
        let early = SigV4Verifier(credentials: [Self.keyID: Self.secret], clock: ManualClock(Self.version2Expiry - 8 * 86400))
        await expectSigV4Error(.accessDenied) { _ = try early.verify(SigV4ReceivedRequest(method: "GET", target: target, headers: [])) }
        await expectSigV4Error(.invalidAccessKeyId) {
            _ = try verifier.verify(
                SigV4ReceivedRequest(
                    method: "GET", target: target.replacingOccurrences(of: "AKIAIOSFODNN7EXAMPLE", with: "AKIDOTHER"), headers: []))
        }
        for request in [
            SigV4ReceivedRequest(method: "PUT", target: target, headers: []),
            SigV4ReceivedRequest(method: "GET", target: target.replacingOccurrences(of: "puppy", with: "kitten"), headers: []),
            SigV4ReceivedRequest(method: "GET", target: target, headers: Self.fields(["x-amz-copy-source": "/other/key"])),
            SigV4ReceivedRequest(method: "GET", target: target + "&tagging", headers: []),
        ] {
            await expectSigV4Error(.signatureDoesNotMatch) { _ = try verifier.verify(request) }
        }
    }

    @Test("the Authorization header and presigned parameters together are InvalidArgument")
    func twoMechanisms() async {
        var both = Self.presignedGet
        both.headers += Self.getObject.headers.filter { $0.name == "Authorization" }
        let error = await expectSigV4Error(.invalidArgument) { _ = try Self.verifier.verify(both) }
        #expect(error?.detail("ArgumentName") == "Authorization")
    }

    @Test(
        "an unreadable Authorization header is AuthorizationHeaderMalformed (or InvalidArgument for another algorithm)",
        arguments: [
            (
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host",
                "AuthorizationHeaderMalformed"
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3, SignedHeaders=host, Signature=00",
                "AuthorizationHeaderMalformed"
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws5_request, SignedHeaders=host, Signature=00",
                "AuthorizationHeaderMalformed"
            ),
            (
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
                "AuthorizationHeaderMalformed"
            ),
            (
                "AWS4-HMAC-SHA512 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
                "InvalidArgument"
            ),
            (
                "AWS4-ECDSA-P256-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/s3/aws4_request, SignedHeaders=host, Signature=00",
                "NotImplemented"
            ),
        ])
    func malformedHeader(_ authorization: String, _ code: String) {
        let request = Self.replacing(Self.getObject, header: "Authorization", with: authorization)
        do {
            _ = try Self.verifier.verify(request)
            Issue.record("\(authorization) was accepted")
        } catch let error as SigV4Error {
            #expect(error.code.name == code, "\(error)")
            #expect(error.code.status == (code == "NotImplemented" ? 501 : 400))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("without x-amz-date or Date the request is AccessDenied; with Date alone it verifies against it")
    func dates() async throws {
        let noDate = Self.replacing(Self.getObject, header: "x-amz-date", with: nil)
        await expectSigV4Error(.accessDenied, message: "AWS authentication requires a valid Date or x-amz-date header") {
            _ = try Self.verifier.verify(noDate)
        }
        let badDate = Self.replacing(Self.getObject, header: "x-amz-date", with: "2013-05-24T00:00:00Z")
        await expectSigV4Error(.accessDenied) { _ = try Self.verifier.verify(badDate) }
        let httpDate = Self.replacing(noDate, header: "Date", with: "Fri, 24 May 2013 00:00:00 GMT")
        await expectSigV4Error(.signatureDoesNotMatch) { _ = try Self.verifier.verify(httpDate) } // x-amz-date was signed
    }

    @Test("S3 requires x-amz-content-sha256 in header signing, and accepts only its documented values")
    func contentSHA256Header() async {
        await expectSigV4Error(.invalidRequest, message: "Missing required header for this request: x-amz-content-sha256") {
            _ = try Self.verifier.verify(Self.replacing(Self.getObject, header: "x-amz-content-sha256", with: nil))
        }
        await expectSigV4Error(.invalidArgument) {
            _ = try Self.verifier.verify(Self.replacing(Self.getObject, header: "x-amz-content-sha256", with: "STREAMING-PAYLOAD"))
        }
        await expectSigV4Error(.notImplemented) {
            _ = try Self.verifier.verify(
                Self.replacing(Self.getObject, header: "x-amz-content-sha256", with: "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"))
        }
    }

    @Test("a body that does not hash to the declared x-amz-content-sha256 is XAmzContentSHA256Mismatch")
    func bodyHashMismatch() async throws {
        var request = Self.getObject
        request.bodySHA256 = SigV4ChunkChain.emptySHA256
        _ = try Self.verifier.verify(request)
        request.bodySHA256 = String(repeating: "ab", count: 32)
        let error = await expectSigV4Error(.xAmzContentSHA256Mismatch) { _ = try Self.verifier.verify(request) }
        #expect(error?.detail("ClientComputedContentSHA256") == SigV4ChunkChain.emptySHA256)
    }

    @Test(
        "unreadable presigned parameters are AuthorizationQueryParametersError",
        arguments: [
            ("X-Amz-Expires=86400&", "", "Query-string authentication version 4 requires"),
            ("X-Amz-Expires=86400", "X-Amz-Expires=soon", "X-Amz-Expires should be a number"),
            ("X-Amz-Expires=86400", "X-Amz-Expires=-1", "X-Amz-Expires must be non-negative"),
            ("X-Amz-Date=20130524T000000Z", "X-Amz-Date=2013-05-24", "X-Amz-Date must be in the ISO8601 Long Format"),
            ("X-Amz-Date=20130524T000000Z", "X-Amz-Date=20130525T000000Z", "Invalid credential date"),
            ("%2Faws4_request", "%2Faws5_request", "Error parsing the X-Amz-Credential parameter; incorrect terminal"),
            ("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1", "X-Amz-Algorithm only supports"),
        ])
    func malformedQuery(_ original: String, _ replacement: String, _ message: String) async {
        let target = "/test.txt?" + Self.presignedGet.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let request = SigV4ReceivedRequest(
            method: "GET", target: target.replacingOccurrences(of: original, with: replacement), headers: Self.presignedGet.headers)
        let error = await expectSigV4Error(.authorizationQueryParametersError) { _ = try Self.verifier.verify(request) }
        #expect(error?.message.hasPrefix(message) == true, "\(error.map(String.init(describing:)) ?? "")")
    }

    @Test("a presigned URL is refused before its X-Amz-Date (beyond the allowed skew) and after its expiry")
    func presignedWindow() async throws {
        func verifier(at offset: TimeInterval) -> SigV4Verifier {
            SigV4Verifier(credentials: [Self.keyID: Self.secret], clock: ManualClock(Self.exampleDate + offset))
        }
        _ = try verifier(at: -14 * 60).verify(Self.presignedGet)
        _ = try verifier(at: 86400).verify(Self.presignedGet)
        await expectSigV4Error(.accessDenied, message: "Request is not valid yet") {
            _ = try verifier(at: -16 * 60).verify(Self.presignedGet)
        }
        let error = await expectSigV4Error(.accessDenied, message: "Request has expired") {
            _ = try verifier(at: 86401).verify(Self.presignedGet)
        }
        #expect(error?.detail("X-Amz-Expires") == "86400" && error?.detail("Expires") == "2013-05-25T00:00:00Z")
    }

    @Test("credentials with a session token require the same token: missing is MissingSecurityHeader, another InvalidToken")
    func sessionToken() async throws {
        struct Store: SigV4CredentialStore {
            func credentials(forAccessKeyID accessKeyID: String) -> AWSCredentials? {
                AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: SigV4VerifierTests.secret, sessionToken: "token/+=")
            }
        }
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: Self.keyID, secretAccessKey: Self.secret, sessionToken: "token/+="),
            region: "eu-west-1",
            service: "s3", rules: .s3)
        let request = SigV4Request(method: "GET", path: "/b/k", headers: Self.fields(["Host": "localhost:4566"]), payload: .unsigned)
        let signed = signer.sign(request, date: Self.exampleDate)
        let received = SigV4ReceivedRequest(method: "GET", target: "/b/k", headers: request.headers + signed.headers)
        let verifier = SigV4Verifier(credentials: Store(), clock: ManualClock(Self.exampleDate))
        #expect(try verifier.verify(received).region == "eu-west-1")
        await expectSigV4Error(.missingSecurityHeader) {
            _ = try verifier.verify(Self.replacing(received, header: "X-Amz-Security-Token", with: nil))
        }
        await expectSigV4Error(.invalidToken) {
            _ = try verifier.verify(Self.replacing(received, header: "X-Amz-Security-Token", with: "other"))
        }
    }

    @Test("what the signer signs for a key with spaces, plus and UTF-8, the verifier accepts from the raw request line")
    func rawPathRoundTrip() throws {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: Self.keyID, secretAccessKey: Self.secret), region: "us-east-1", service: "s3",
            rules: .s3)
        let key = "/pam-storage/a b+c/é~(1)!*'.jpg"
        let request = SigV4Request(
            method: "PUT", path: key, query: [SigV4Request.Field("tagging", "")], headers: Self.fields(["Host": "127.0.0.1:4566"]),
            payload: .unsigned)
        let signed = signer.sign(request, date: Self.exampleDate)
        let target = AWSPercentEncoding.encode(key, keepSlash: true) + "?tagging"
        let auth = try Self.verifier.verify(SigV4ReceivedRequest(method: "PUT", target: target, headers: request.headers + signed.headers))
        #expect(auth.payload == .unsigned && auth.signature == signed.signature)
    }
}
