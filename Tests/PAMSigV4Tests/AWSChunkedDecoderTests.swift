import Crypto
import Foundation
import PAMCore
import PAMSigV4
import PAMTestSupport
import Testing

/// The aws-chunked decoder on S3's documented examples, on bodies cut every which way, and on every
/// way a body can be wrong.
@Suite("aws-chunked decoder")
struct AWSChunkedDecoderTests {
    static let signer = SigV4Signer(
        credentials: AWSCredentials(accessKeyID: SigV4VerifierTests.keyID, secretAccessKey: SigV4VerifierTests.secret),
        region: "us-east-1", service: "s3", rules: .s3)
    /// 65 KiB of `a`, in a 64 KiB and a 1 KiB chunk: the payload of S3's examples.
    static let examplePayload = Data(repeating: UInt8(ascii: "a"), count: 66560)

    static func chain(seed: String) -> SigV4ChunkChain {
        SigV4ChunkChain(signer: signer, date: SigV4VerifierTests.exampleDate, seedSignature: seed)
    }

    static func decode(
        _ wire: Data, mode: SigV4PayloadMode, chain: SigV4ChunkChain?, length: Int64?, trailer: String? = nil, pieces: [Int] = [4096]
    ) async throws -> Data {
        let decoder = try AWSChunkedDecoder(mode: mode, chain: chain, decodedContentLength: length, trailer: trailer)
        return try await decoder.decode(ChunkedBody.stream(wire, pieceSizes: pieces)).collect()
    }

    @Test("S3's chunked upload example: the documented chunk signatures, and the body decodes to its 66,560 bytes")
    func documentedExample() async throws {
        let chain = Self.chain(seed: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
        let first = chain.chunkSignature(previous: chain.seedSignature, chunk: Self.examplePayload.prefix(65536))
        let second = chain.chunkSignature(previous: first, chunk: Self.examplePayload.suffix(1024))
        let final = chain.chunkSignature(previous: second, chunk: Data())
        #expect(first == "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648")
        #expect(second == "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497")
        #expect(final == "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9")

        let wire = ChunkedBody.encode(Self.examplePayload, chunkSizes: [65536, 1024], chain: chain)
        #expect(wire.count == 66824) // the example's Content-Length
        let auth = try SigV4VerifierTests.verifier.verify(SigV4VerifierTests.chunkedSeed)
        let decoder = try #require(try AWSChunkedDecoder(auth, request: SigV4VerifierTests.chunkedSeed))
        #expect(try await decoder.decode(ChunkedBody.stream(wire, pieceSizes: [1000])).collect() == Self.examplePayload)
    }

    @Test("S3's signed-trailer example: its chunk and trailer signatures, both ways AWS writes the trailer")
    func documentedTrailerExample() async throws {
        let chain = Self.chain(seed: "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e")
        let first = chain.chunkSignature(previous: chain.seedSignature, chunk: Self.examplePayload.prefix(65536))
        let second = chain.chunkSignature(previous: first, chunk: Self.examplePayload.suffix(1024))
        let final = chain.chunkSignature(previous: second, chunk: Data())
        #expect(first == "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2")
        #expect(second == "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7")
        #expect(final == "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992")
        #expect(ChunkedBody.checksum(.crc32c, Self.examplePayload) == "sOO8/Q==")
        // The documented trailer signature was computed with AWS4-HMAC-SHA256-PAYLOAD where SDKs
        // (Java, .NET, the CRT) write AWS4-HMAC-SHA256-TRAILER; the decoder accepts both.
        let documented = "63bddb248ad2590c92712055f51b8e78ab024eead08276b24f010b0efd74843f"
        let trailers = "x-amz-checksum-crc32c:sOO8/Q==\n"
        #expect(chain.trailerSignature(previous: final, canonicalTrailers: trailers, algorithm: "AWS4-HMAC-SHA256-PAYLOAD") == documented)
        let sdkSignature = chain.trailerSignature(previous: final, canonicalTrailers: trailers)
        #expect(
            chain.trailerStringToSign(previous: final, canonicalTrailers: trailers).hasPrefix(
                "AWS4-HMAC-SHA256-TRAILER\n20130524T000000Z\n"))

        let auth = try SigV4VerifierTests.verifier.verify(SigV4VerifierTests.trailerSeed)
        let decoder = try #require(try AWSChunkedDecoder(auth, request: SigV4VerifierTests.trailerSeed))
        for (blank, signature) in [(false, sdkSignature), (true, documented), (false, documented)] {
            let sdkWire = ChunkedBody.encode(
                Self.examplePayload, chunkSizes: [65536, 1024], chain: chain, trailer: ("x-amz-checksum-crc32c", "sOO8/Q=="),
                blankBeforeTrailer: blank)
            let wire = try #require(
                String(data: sdkWire, encoding: .utf8)?.replacingOccurrences(of: sdkSignature, with: signature).data(using: .utf8))
            #expect(try await decoder.decode(ChunkedBody.stream(wire, pieceSizes: [777])).collect() == Self.examplePayload)
        }
    }

    @Test("every mode decodes however the chunks and the pieces they arrive in are cut (fixed-seed generator)")
    func arbitraryCuts() async throws {
        var random = ChunkedBody.Generator(state: 0x5EED)
        let chain = Self.chain(seed: String(repeating: "0", count: 64))
        for _ in 0..<24 {
            let length = random.next(0...150_000)
            let payload = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ length) })
            var sizes: [Int] = []
            var left = length
            while left > 0 {
                let size = left <= 8192 ? left : random.next(8192...min(left, 70_000))
                sizes.append(size)
                left -= size
            }
            let pieces = (0..<5).map { _ in random.next(1...20_000) }
            let algorithm = AWSChecksumAlgorithm.allCases[random.next(0...3)]
            let trailer = (algorithm.headerName, ChunkedBody.checksum(algorithm, payload))
            let cases: [(SigV4PayloadMode, SigV4ChunkChain?, (String, String)?)] = [
                (.streamingSigned, chain, nil), (.streamingSignedTrailer, chain, trailer), (.streamingUnsignedTrailer, nil, trailer),
            ]
            for (mode, chain, trailer) in cases {
                let wire = ChunkedBody.encode(payload, chunkSizes: sizes, chain: chain, trailer: trailer)
                let decoded = try await Self.decode(
                    wire, mode: mode, chain: chain, length: Int64(length), trailer: trailer?.0, pieces: pieces)
                #expect(decoded == payload, "\(mode) \(length) bytes in \(sizes) arriving in \(pieces)")
            }
        }
    }

    @Test("decoding streams: the first chunk comes out before the rest of the body is read")
    func streams() async throws {
        let payload = Data(repeating: 7, count: 10 * 65536)
        let sizes = Array(repeating: 65536, count: 10)
        for (mode, chain) in [
            (SigV4PayloadMode.streamingSigned, Self.chain(seed: String(repeating: "1", count: 64))), (.streamingUnsignedTrailer, nil),
        ] {
            let wire = ChunkedBody.encode(payload, chunkSizes: sizes, chain: chain)
            let pulls = Counter()
            let decoder = try AWSChunkedDecoder(mode: mode, chain: chain, decodedContentLength: nil, trailer: nil)
            var iterator = decoder.decode(ChunkedBody.stream(wire, pieceSizes: [65536 + 100], pulls: pulls)).makeAsyncIterator()
            let first = try await iterator.next()
            #expect((first?.count ?? 0) > 0)
            #expect(pulls.next() <= 2, "\(mode) read more than the first chunk before handing it out")
        }
    }

    @Test("a changed byte in a signed chunk, or in the trailer, is SignatureDoesNotMatch")
    func tampered() async throws {
        let chain = Self.chain(seed: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
        var wire = ChunkedBody.encode(Self.examplePayload, chunkSizes: [65536, 1024], chain: chain)
        wire[wire.startIndex + 40_000] = UInt8(ascii: "b")
        let error = await expectSigV4Error(.signatureDoesNotMatch) {
            _ = try await Self.decode(wire, mode: .streamingSigned, chain: chain, length: 66560)
        }
        #expect(error?.stringToSign?.hasPrefix("AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n") == true)

        let trailer = ("x-amz-checksum-crc32c", "sOO8/Q==")
        let signedTrailer = ChunkedBody.encode(Self.examplePayload, chunkSizes: [65536, 1024], chain: chain, trailer: trailer)
        var forged = signedTrailer
        let marker = try #require(forged.range(of: Data("x-amz-trailer-signature:".utf8)))
        forged[marker.upperBound] = forged[marker.upperBound] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        await expectSigV4Error(.signatureDoesNotMatch) {
            _ = try await Self.decode(forged, mode: .streamingSignedTrailer, chain: chain, length: 66560, trailer: trailer.0)
        }
    }

    @Test("a trailer checksum that does not match the bytes is BadDigest", arguments: AWSChecksumAlgorithm.allCases)
    func wrongChecksum(_ algorithm: AWSChecksumAlgorithm) async throws {
        let other = ChunkedBody.checksum(algorithm, Data("something else".utf8))
        let chain = Self.chain(seed: String(repeating: "2", count: 64))
        for (mode, chain) in [(SigV4PayloadMode.streamingUnsignedTrailer, nil), (.streamingSignedTrailer, chain)] {
            let wire = ChunkedBody.encode(
                Self.examplePayload, chunkSizes: [65536, 1024], chain: chain, trailer: (algorithm.headerName, other))
            await expectSigV4Error(.badDigest, message: "The \(algorithm.rawValue) you specified did not match the calculated checksum.") {
                _ = try await Self.decode(wire, mode: mode, chain: chain, length: 66560, trailer: algorithm.headerName)
            }
        }
    }

    @Test("a body cut short, or with malformed framing, is IncompleteBody")
    func truncated() async throws {
        let chain = Self.chain(seed: String(repeating: "3", count: 64))
        let trailer = ("x-amz-checksum-crc32", ChunkedBody.checksum(.crc32, Self.examplePayload))
        for (mode, chain, trailer) in [
            (SigV4PayloadMode.streamingSigned, chain, nil), (.streamingSignedTrailer, chain, trailer),
            (.streamingUnsignedTrailer, nil, trailer),
        ] {
            let wire = ChunkedBody.encode(Self.examplePayload, chunkSizes: [65536, 1024], chain: chain, trailer: trailer)
            for cut in [1, 100, 1100, 66000] {
                let error = await expectSigV4Error(.incompleteBody) {
                    _ = try await Self.decode(wire.dropLast(wire.count - cut), mode: mode, chain: chain, length: 66560, trailer: trailer?.0)
                }
                #expect(error?.code.status == 400)
            }
        }
        let garbled = Data("zz;chunk-signature=00\r\nabc\r\n0\r\n\r\n".utf8)
        await expectSigV4Error(.incompleteBody) {
            _ = try await Self.decode(garbled, mode: .streamingUnsignedTrailer, chain: nil, length: nil)
        }
        let unsignedChunk = Data("3\r\nabc\r\n0\r\n\r\n".utf8)
        await expectSigV4Error(.incompleteBody) {
            _ = try await Self.decode(unsignedChunk, mode: .streamingSigned, chain: chain, length: nil)
        }
    }

    @Test("decoded bytes other than x-amz-decoded-content-length are IncompleteBody, with both numbers")
    func lengthMismatch() async throws {
        let wire = ChunkedBody.encode(Self.examplePayload, chunkSizes: [65536, 1024], chain: nil)
        for declared: Int64 in [66559, 66561, 0] {
            let error = await expectSigV4Error(
                .incompleteBody, message: "You did not provide the number of bytes specified by the Content-Length HTTP header"
            ) { _ = try await Self.decode(wire, mode: .streamingUnsignedTrailer, chain: nil, length: declared) }
            #expect(error?.detail("NumberBytesExpected") == String(declared))
        }
    }

    @Test("a chunk under 8 KiB before the last is InvalidChunkSizeError, naming the chunk")
    func smallChunk() async throws {
        let wire = ChunkedBody.encode(Self.examplePayload, chunkSizes: [1024, 65536], chain: nil)
        let error = await expectSigV4Error(.invalidChunkSizeError) {
            _ = try await Self.decode(wire, mode: .streamingUnsignedTrailer, chain: nil, length: 66560)
        }
        #expect(error?.detail("Chunk") == "1" && error?.detail("BadChunkSize") == "1024")
    }

    @Test("a trailer announced but not sent, or another one sent, is MalformedTrailerError; an unknown one InvalidRequest")
    func trailers() async throws {
        let crc32 = ("x-amz-checksum-crc32", ChunkedBody.checksum(.crc32, Self.examplePayload))
        let missing = ChunkedBody.encode(Self.examplePayload, chunkSizes: [65536, 1024], chain: nil)
        let sha = ChunkedBody.encode(
            Self.examplePayload, chunkSizes: [65536, 1024], chain: nil,
            trailer: ("x-amz-checksum-sha256", ChunkedBody.checksum(.sha256, Self.examplePayload)))
        for wire in [missing, sha] {
            await expectSigV4Error(.malformedTrailerError) {
                _ = try await Self.decode(wire, mode: .streamingUnsignedTrailer, chain: nil, length: 66560, trailer: crc32.0)
            }
        }
        let notAnnounced = ChunkedBody.encode(Self.examplePayload, chunkSizes: [65536, 1024], chain: nil, trailer: crc32)
        await expectSigV4Error(.malformedTrailerError) {
            _ = try await Self.decode(notAnnounced, mode: .streamingUnsignedTrailer, chain: nil, length: 66560)
        }
        await expectSigV4Error(.invalidRequest, message: "The value specified in the x-amz-trailer header is not supported") {
            _ = try AWSChunkedDecoder(mode: .streamingUnsignedTrailer, chain: nil, decodedContentLength: nil, trailer: "x-amz-checksum-md5")
        }
    }
}
