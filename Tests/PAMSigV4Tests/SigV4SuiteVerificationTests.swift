import Crypto
import Foundation
import PAMCore
import PAMSigV4
import Testing

/// Every case of AWS's SigV4 suite the other way round: what the signer signed, the verifier
/// accepts at the suite's time, and refuses once anything signed changes.
@Suite("SigV4 test suite, verified")
struct SigV4SuiteVerificationTests {
    typealias Case = SigV4SuiteTests.Case

    static func verifier(_ testCase: Case, secret: String? = nil, at date: Date? = nil) -> SigV4Verifier {
        let rules = testCase.signer.rules
        return SigV4Verifier(
            credentials: [testCase.signer.credentials.accessKeyID: secret ?? testCase.signer.credentials.secretAccessKey],
            clock: ManualClock(date ?? testCase.date), rules: { _ in rules })
    }

    /// The request as received once signed in the header.
    static func headerSigned(_ testCase: Case) -> SigV4ReceivedRequest {
        let signed = testCase.signer.sign(testCase.request, date: testCase.date)
        return SigV4ReceivedRequest(
            method: testCase.requestLine.method, target: testCase.requestLine.target, headers: testCase.request.headers + signed.headers,
            bodySHA256: Data(SHA256.hash(data: Data(testCase.body.utf8))).hexString)
    }

    /// The request as received once presigned for `expires` seconds.
    static func querySigned(_ testCase: Case, expires: Int? = nil) -> SigV4ReceivedRequest {
        let presigned = testCase.signer.presign(testCase.request, date: testCase.date, expires: expires ?? testCase.expires)
        let added = presigned.parameters.map { "\($0.name)=\(Case.encode($0.value))" }.joined(separator: "&")
        let target = testCase.requestLine.target + (testCase.requestLine.target.contains("?") ? "&" : "?") + added
        return SigV4ReceivedRequest(
            method: testCase.requestLine.method, target: target, headers: testCase.request.headers,
            bodySHA256: Data(SHA256.hash(data: Data(testCase.body.utf8))).hexString)
    }

    /// One-byte changes to what was signed: the path, the query, the Host header, the signature.
    static func tamperings(_ request: SigV4ReceivedRequest, presigned: Bool) -> [(String, SigV4ReceivedRequest)] {
        var path = request
        path.path += "a"
        var query = request
        query.query.append(SigV4Request.Field("a", ""))
        var header = request
        if let index = header.headers.firstIndex(where: { $0.name.lowercased() == "host" }) {
            header.headers[index].value = String(header.headers[index].value.dropLast()) + "x"
        }
        var signature = request
        if presigned, let index = signature.query.firstIndex(where: { $0.name == "X-Amz-Signature" }) {
            signature.query[index].value = flipFirst(signature.query[index].value)
        } else if let index = signature.headers.firstIndex(where: { $0.name == "Authorization" }) {
            signature.headers[index].value =
                String(signature.headers[index].value.dropLast()) + flipFirst(String(signature.headers[index].value.suffix(1)))
        }
        return [("path", path), ("query", query), ("header", header), ("signature", signature)]
    }

    static func flipFirst(_ hex: String) -> String { (hex.first == "0" ? "1" : "0") + hex.dropFirst() }

    @Test("header signing: accepted at the suite's time, with the scope it was signed for", arguments: SigV4Fixtures.cases)
    func headerAccepted(_ name: String) throws {
        let testCase = try Case(name)
        let auth = try Self.verifier(testCase).verify(Self.headerSigned(testCase))
        #expect(auth.accessKeyID == "AKIDEXAMPLE" && auth.region == "us-east-1" && auth.service == "service")
        #expect(auth.location == .header && auth.date == testCase.date)
        #expect(auth.signature == (try testCase.expected("header-signature.txt")))
    }

    @Test("query signing: accepted until X-Amz-Expires, refused a second later", arguments: SigV4Fixtures.cases)
    func queryAccepted(_ name: String) async throws {
        let testCase = try Case(name)
        let request = Self.querySigned(testCase)
        let auth = try Self.verifier(testCase).verify(request)
        #expect(auth.signature == (try testCase.expected("query-signature.txt")))
        #expect(auth.location == .query(expires: testCase.date + TimeInterval(testCase.expires)))
        #expect(auth.payload == .sha256(Data(SHA256.hash(data: Data(testCase.body.utf8))).hexString))
        _ = try Self.verifier(testCase, at: testCase.date + TimeInterval(testCase.expires)).verify(request)
        await expectSigV4Error(.accessDenied, message: "Request has expired") {
            _ = try Self.verifier(testCase, at: testCase.date + TimeInterval(testCase.expires + 1)).verify(request)
        }
    }

    @Test("a one-byte change to the path, query, a signed header or the signature is SignatureDoesNotMatch", arguments: SigV4Fixtures.cases)
    func tampered(_ name: String) async throws {
        let testCase = try Case(name)
        for (presigned, request) in [(false, Self.headerSigned(testCase)), (true, Self.querySigned(testCase))] {
            for (what, tampered) in Self.tamperings(request, presigned: presigned) {
                let error = await expectSigV4Error(.signatureDoesNotMatch) { _ = try Self.verifier(testCase).verify(tampered) }
                #expect(error?.canonicalRequest != nil && error?.stringToSign?.hasPrefix("AWS4-HMAC-SHA256\n") == true, "\(what)")
                #expect(error?.code.status == 403)
            }
        }
    }

    @Test("another secret is SignatureDoesNotMatch, another key InvalidAccessKeyId", arguments: SigV4Fixtures.cases)
    func wrongKeys(_ name: String) async throws {
        let testCase = try Case(name)
        for request in [Self.headerSigned(testCase), Self.querySigned(testCase)] {
            await expectSigV4Error(.signatureDoesNotMatch) { _ = try Self.verifier(testCase, secret: "another secret").verify(request) }
            let unknown = SigV4Verifier(credentials: ["AKIDOTHER": "secret"], clock: ManualClock(testCase.date))
            let error = await expectSigV4Error(.invalidAccessKeyId) { _ = try unknown.verify(request) }
            #expect(error?.detail("AWSAccessKeyId") == "AKIDEXAMPLE")
        }
    }

    @Test("header signing: 14 minutes off either way is accepted, 16 minutes is RequestTimeTooSkewed", arguments: SigV4Fixtures.cases)
    func skew(_ name: String) async throws {
        let testCase = try Case(name)
        let request = Self.headerSigned(testCase)
        for minutes in [-14.0, 14, -15, 15] {
            _ = try Self.verifier(testCase, at: testCase.date + minutes * 60).verify(request)
        }
        for minutes in [-16.0, 16] {
            let error = await expectSigV4Error(.requestTimeTooSkewed) {
                _ = try Self.verifier(testCase, at: testCase.date + minutes * 60).verify(request)
            }
            #expect(error?.detail("MaxAllowedSkewMilliseconds") == "900000" && error?.detail("RequestTime") == "20150830T123600Z")
        }
    }

    @Test("query signing: X-Amz-Expires up to a week is accepted, beyond is refused", arguments: SigV4Fixtures.cases)
    func weekLimit(_ name: String) async throws {
        let testCase = try Case(name)
        let week = Self.querySigned(testCase, expires: 604_800)
        _ = try Self.verifier(testCase, at: testCase.date + 604_800).verify(week)
        await expectSigV4Error(
            .authorizationQueryParametersError, message: "X-Amz-Expires must be less than a week (in seconds) that is; 604800 seconds"
        ) {
            _ = try Self.verifier(testCase).verify(Self.querySigned(testCase, expires: 604_801))
        }
    }
}
