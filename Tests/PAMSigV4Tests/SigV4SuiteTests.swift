import Foundation
import PAMCore
import PAMSigV4
import Testing

/// Every stage of every case of AWS's SigV4 test suite (`Fixtures/aws-sigv4-test-suite`), signed in
/// the header and in the query.
@Suite("SigV4 test suite")
struct SigV4SuiteTests {
    /// One case: its context and its request, parsed.
    struct Case {
        let name: String
        let signer: SigV4Signer
        let date: Date
        let expires: Int
        let request: SigV4Request
        /// `request.txt`'s header lines and body, to rebuild the signed request text.
        let requestLine: (method: String, target: String)
        let headLines: [String]
        let body: String

        init(_ name: String) throws {
            self.name = name
            struct Context: Decodable {
                struct Credentials: Decodable {
                    let access_key_id: String
                    let secret_access_key: String
                    let token: String?
                }
                let credentials: Credentials
                let expiration_in_seconds: Int
                let normalize: Bool
                let region: String
                let service: String
                let sign_body: Bool
                let timestamp: String
                let omit_session_token: Bool?
            }
            let context = try JSONDecoder().decode(
                Context.self, from: Data(try SigV4Fixtures.file("aws-sigv4-test-suite/\(name)/context.json").utf8))
            let credentials = AWSCredentials(
                accessKeyID: context.credentials.access_key_id,
                secretAccessKey: context.credentials.secret_access_key,
                sessionToken: context.credentials.token)
            signer = SigV4Signer(
                credentials: credentials, region: context.region, service: context.service,
                rules: .init(
                    normalizePath: context.normalize, signContentHash: context.sign_body,
                    omitSessionToken: context.omit_session_token ?? false))
            date = try #require(DateText.parseISO8601(context.timestamp))
            expires = context.expiration_in_seconds

            let text = try SigV4Fixtures.file("aws-sigv4-test-suite/\(name)/request.txt")
            let (head, body) =
                text.range(of: "\n\n").map { (String(text[..<$0.lowerBound]), String(text[$0.upperBound...])) }
                ?? (text.hasSuffix("\n") ? String(text.dropLast()) : text, "")
            var lines = head.components(separatedBy: "\n")
            let first = lines.removeFirst()
            let method = String(first.prefix { $0 != " " })
            let target = String(first.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
            requestLine = (method, target)
            headLines = lines
            self.body = body

            var headers: [SigV4Request.Field] = []
            for line in lines {
                if line.first == " " || line.first == "\t", var last = headers.popLast() {
                    last.value += "\n" + line
                    headers.append(last)
                } else if let colon = line.firstIndex(of: ":") {
                    headers.append(SigV4Request.Field(String(line[..<colon]), String(line[line.index(after: colon)...])))
                }
            }
            let pathAndQuery = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            let query =
                pathAndQuery.count > 1
                ? pathAndQuery[1].split(separator: "&").map { item -> SigV4Request.Field in
                    let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    return SigV4Request.Field(Self.decode(pair[0]), pair.count > 1 ? Self.decode(pair[1]) : "")
                } : []
            request = SigV4Request(
                method: method, path: Self.decode(pathAndQuery[0]), query: query, headers: headers,
                payload: .data(Data(body.utf8)))
        }

        static func decode(_ text: Substring) -> String { text.removingPercentEncoding ?? String(text) }

        func expected(_ file: String) throws -> String {
            try SigV4Fixtures.file("aws-sigv4-test-suite/\(name)/\(file)")
        }

        /// The request as the suite writes it once signed in the header.
        func headerSignedText(_ signed: SigV4Signer.SignedHeaders) -> String {
            let lines =
                ["\(requestLine.method) \(requestLine.target) HTTP/1.1"] + headLines + signed.headers.map { "\($0.name):\($0.value)" }
            return lines.joined(separator: "\n") + "\n\n" + body
        }

        /// The request as the suite writes it once presigned.
        func querySignedText(_ presigned: SigV4Signer.Presigned) -> String {
            let added = presigned.parameters.map { "\($0.name)=\(Self.encode($0.value))" }.joined(separator: "&")
            let target = requestLine.target + (requestLine.target.contains("?") ? "&" : "?") + added
            let lines = ["\(requestLine.method) \(target) HTTP/1.1"] + headLines
            return lines.joined(separator: "\n") + "\n\n" + body
        }

        static func encode(_ value: String) -> String {
            let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
            return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
        }
    }

    @Test("the suite is complete")
    func suiteIsComplete() throws {
        #expect(SigV4Fixtures.cases.count == 38)
        let notice = try SigV4Fixtures.file("aws-sigv4-test-suite/NOTICE")
        #expect(notice.contains("Apache License, Version 2.0"))
    }

    @Test("header signing: canonical request, string to sign, signature, signed request", arguments: SigV4Fixtures.cases)
    func headerSigning(_ name: String) throws {
        let testCase = try Case(name)
        let signed = testCase.signer.sign(testCase.request, date: testCase.date)
        #expect(signed.canonicalRequest == (try testCase.expected("header-canonical-request.txt")))
        #expect(signed.stringToSign == (try testCase.expected("header-string-to-sign.txt")))
        #expect(signed.signature == (try testCase.expected("header-signature.txt")))
        #expect(testCase.headerSignedText(signed) == (try testCase.expected("header-signed-request.txt")))
    }

    @Test("query signing: canonical request, string to sign, signature, signed request", arguments: SigV4Fixtures.cases)
    func querySigning(_ name: String) throws {
        let testCase = try Case(name)
        let presigned = testCase.signer.presign(testCase.request, date: testCase.date, expires: testCase.expires)
        #expect(presigned.canonicalRequest == (try testCase.expected("query-canonical-request.txt")))
        #expect(presigned.stringToSign == (try testCase.expected("query-string-to-sign.txt")))
        #expect(presigned.signature == (try testCase.expected("query-signature.txt")))
        #expect(testCase.querySignedText(presigned) == (try testCase.expected("query-signed-request.txt")))
    }

    @Test("the S3 documentation's presigned URL example")
    func s3PresignExample() throws {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "s3", rules: .s3)
        let request = SigV4Request(
            method: "GET", path: "/test.txt", headers: [SigV4Request.Field("Host", "examplebucket.s3.amazonaws.com")],
            payload: .unsigned)
        let date = Date(timeIntervalSince1970: 1_369_353_600) // 2013-05-24T00:00:00Z
        let presigned = signer.presign(request, date: date, expires: 86400)
        #expect(presigned.signature == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        #expect(
            presigned.encodedQuery
                == "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        )
    }

    @Test("S3 rules keep dot segments and double slashes, encode once, and sign the content hash")
    func s3Rules() {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AK", secretAccessKey: "SK"), region: "eu-west-1", service: "s3", rules: .s3)
        let request = SigV4Request(
            method: "PUT", path: "/bucket/a/../b//c d+é.jpg", headers: [SigV4Request.Field("Host", "s3.amazonaws.com")],
            payload: .unsigned)
        let signed = signer.sign(request, date: Date(timeIntervalSince1970: 0))
        #expect(signed.canonicalRequest.split(separator: "\n")[1] == "/bucket/a/../b//c%20d%2B%C3%A9.jpg")
        #expect(signed.headers.contains(SigV4Request.Field("x-amz-content-sha256", "UNSIGNED-PAYLOAD")))
        #expect(signed.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
    }

    @Test("credentials never show their secret")
    func credentialsRedacted() {
        let credentials = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "very-secret", sessionToken: "token-secret")
        #expect(!"\(credentials)".contains("very-secret") && !"\(credentials)".contains("token-secret"))
    }
}
