import Crypto
import Foundation
import PAMCore
import PAMSigV4
import Testing

/// `Content-MD5`, `x-amz-checksum-*` and `x-amz-content-sha256` checked against a plain body.
@Suite("Body digests")
struct AWSBodyCheckTests {
    static let body = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    static let md5 = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
    static let sha256 = Data(SHA256.hash(data: body)).hexString

    static func check(_ headers: KeyValuePairs<String, String>, payload: SigV4PayloadMode = .unsigned, body: Data = body) async throws
        -> Data
    {
        let check = try AWSBodyCheck(headers: headers.map { SigV4Request.Field($0.key, $0.value) }, payload: payload)
        return try await check.verify(ChunkedBody.stream(body, pieceSizes: [3000, 1, 65536])).collect()
    }

    @Test("matching digests pass the body through unchanged")
    func matching() async throws {
        #expect(try await Self.check(["Content-MD5": Self.md5]) == Self.body)
        #expect(try await Self.check([:], payload: .sha256(Self.sha256)) == Self.body)
        for algorithm in AWSChecksumAlgorithm.allCases {
            #expect(
                try await Self.check([algorithm.headerName: ChunkedBody.checksum(algorithm, Self.body), "Content-MD5": Self.md5])
                    == Self.body)
        }
        #expect(try AWSBodyCheck(headers: [], payload: .unsigned).isEmpty)
    }

    @Test("a body that does not match Content-MD5 is BadDigest")
    func md5Mismatch() async {
        let error = await expectSigV4Error(.badDigest, message: "The Content-MD5 you specified did not match what we received.") {
            _ = try await Self.check(["Content-MD5": Self.md5], body: Self.body.dropLast())
        }
        #expect(error?.detail("ExpectedDigest") == Self.md5)
    }

    @Test("a Content-MD5 that is not base64 of 16 bytes is InvalidDigest", arguments: ["", "not base64!", "AAAA"])
    func md5Invalid(_ value: String) async {
        await expectSigV4Error(.invalidDigest, message: "The Content-MD5 you specified is not valid.") {
            _ = try await Self.check(["Content-MD5": value])
        }
    }

    @Test("a body that does not match its x-amz-checksum-* is BadDigest", arguments: AWSChecksumAlgorithm.allCases)
    func checksumMismatch(_ algorithm: AWSChecksumAlgorithm) async {
        await expectSigV4Error(.badDigest, message: "The \(algorithm.rawValue) you specified did not match the calculated checksum.") {
            _ = try await Self.check([algorithm.headerName: ChunkedBody.checksum(algorithm, Self.body)], body: Self.body.dropFirst())
        }
    }

    @Test("a checksum header of the wrong length, or two of them, is InvalidRequest")
    func checksumInvalid() async {
        await expectSigV4Error(.invalidRequest, message: "Value for x-amz-checksum-crc32 header is invalid.") {
            _ = try await Self.check(["x-amz-checksum-crc32": ChunkedBody.checksum(.sha1, Self.body)])
        }
        await expectSigV4Error(
            .invalidRequest, message: "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."
        ) {
            _ = try await Self.check([
                "x-amz-checksum-crc32": ChunkedBody.checksum(.crc32, Self.body),
                "x-amz-checksum-sha1": ChunkedBody.checksum(.sha1, Self.body),
            ])
        }
    }

    @Test("a body that does not hash to x-amz-content-sha256 is XAmzContentSHA256Mismatch")
    func contentSHA256Mismatch() async {
        let error = await expectSigV4Error(.xAmzContentSHA256Mismatch) {
            _ = try await Self.check([:], payload: .sha256(Self.sha256), body: Self.body + Data([0]))
        }
        #expect(error?.detail("ClientComputedContentSHA256") == Self.sha256 && error?.code.status == 400)
    }

    @Test("checks the decoded payload of an aws-chunked body")
    func afterDecoding() async throws {
        let payload = Self.body.prefix(20_000)
        let wire = ChunkedBody.encode(payload, chunkSizes: [10_000, 10_000], chain: nil)
        let decoder = try AWSChunkedDecoder(mode: .streamingUnsignedTrailer, chain: nil, decodedContentLength: 20_000, trailer: nil)
        let md5 = Data(Insecure.MD5.hash(data: payload)).base64EncodedString()
        let check = try AWSBodyCheck(headers: [SigV4Request.Field("Content-MD5", md5)], payload: .streamingUnsignedTrailer)
        #expect(check.contentSHA256 == nil)
        #expect(try await check.verify(decoder.decode(ChunkedBody.stream(wire, pieceSizes: [999]))).collect() == payload)
    }
}
