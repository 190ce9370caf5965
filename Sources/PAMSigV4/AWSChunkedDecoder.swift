import Crypto
import Foundation
import PAMCore

/// Decodes an `aws-chunked` body (`x-amz-content-sha256: STREAMING-…`) into its payload, as it
/// streams, checking what S3 checks.
///
/// The body is chunks `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`, a final empty chunk,
/// then, for the `-TRAILER` modes, trailing headers (`x-amz-checksum-crc32:<base64>\r\n`, and
/// `x-amz-trailer-signature:<sig>\r\n` when signed) and an empty line. Signed chunks are held until
/// their signature is checked, so memory is one chunk; unsigned ones pass through piece by piece.
///
/// The decoded stream ends normally only once every chunk signature, the trailer's signature and
/// checksum, and the decoded length have been checked; otherwise it throws a `SigV4Error` (403
/// `SignatureDoesNotMatch`, 400 `BadDigest`, `IncompleteBody`, `InvalidChunkSizeError`,
/// `MalformedTrailerError`). A consumer that commits only on a normal end, as `ObjectStore.put`
/// does, never stores a body that failed.
public struct AWSChunkedDecoder: Sendable {
    /// S3's smallest chunk, except for the last one.
    public static let minimumChunkSize = 8192

    public let mode: SigV4PayloadMode
    /// The request's signing chain; required when `mode` signs chunks.
    public let chain: SigV4ChunkChain?
    /// `x-amz-decoded-content-length`, the payload's length, checked when known.
    public let decodedContentLength: Int64?
    /// The checksum `x-amz-trailer` announced.
    public let trailer: AWSChecksumAlgorithm?
    /// The largest signed chunk held in memory; larger ones are refused (`InvalidChunkSizeError`).
    public var maximumSignedChunkSize = 16 << 20

    /// A decoder for `mode`; `trailer` is the `x-amz-trailer` header's value.
    public init(mode: SigV4PayloadMode, chain: SigV4ChunkChain?, decodedContentLength: Int64?, trailer: String?) throws {
        precondition(mode.isChunked, "AWSChunkedDecoder decodes the STREAMING-… payload modes only")
        precondition(!mode.signsChunks || chain != nil, "signed chunks need the request's signing chain")
        self.mode = mode
        self.chain = chain
        self.decodedContentLength = decodedContentLength
        if let trailer = trailer?.trimmingCharacters(in: .whitespaces), !trailer.isEmpty {
            guard mode.hasTrailer, let algorithm = AWSChecksumAlgorithm(headerName: trailer) else {
                throw SigV4Error(.invalidRequest, "The value specified in the x-amz-trailer header is not supported")
            }
            self.trailer = algorithm
        } else {
            self.trailer = nil
        }
    }

    /// The decoder of a verified request's body; nil when the body is not aws-chunked.
    public init?(_ authentication: SigV4Authentication, request: SigV4ReceivedRequest) throws {
        guard authentication.payload.isChunked else { return nil }
        var length: Int64?
        if let text = request.header("x-amz-decoded-content-length") {
            guard let value = Int64(text), value >= 0 else {
                throw SigV4Error(
                    .invalidArgument, "x-amz-decoded-content-length is not a length",
                    details: SigV4Claim.argument("x-amz-decoded-content-length", text))
            }
            length = value
        }
        try self.init(
            mode: authentication.payload, chain: authentication.chain, decodedContentLength: length,
            trailer: request.header("x-amz-trailer"))
    }

    /// The payload of `body`.
    public func decode(_ body: ByteStream) -> ByteStream {
        let state = AWSChunkedState(self, ByteStreamReader(body))
        return ByteStream(count: decodedContentLength) { try await state.next() }
    }
}

/// One decoding in progress: where in the framing it is, the signature chain so far, the running
/// trailer checksum and the decoded length.
private final class AWSChunkedState: @unchecked Sendable {
    // Unchecked: a ByteStream is pulled by one consumer at a time, so the state is never shared.
    private enum Phase {
        case header
        case unsignedData(remaining: Int)
        case done
    }

    private let decoder: AWSChunkedDecoder
    private let input: ByteStreamReader
    private var phase = Phase.header
    private var previousSignature: String
    private var checksum: RunningChecksum?
    private var decoded: Int64 = 0
    private var chunkNumber = 0
    private var previousChunkSize: Int?

    init(_ decoder: AWSChunkedDecoder, _ input: ByteStreamReader) {
        self.decoder = decoder
        self.input = input
        previousSignature = decoder.chain?.seedSignature ?? ""
        checksum = decoder.trailer.map(RunningChecksum.init)
    }

    func next() async throws -> Data? {
        while true {
            switch phase {
            case .done:
                return nil
            case .unsignedData(let remaining):
                guard let piece = try await input.bytes(upTo: remaining) else { throw SigV4Error.incompleteBody() }
                phase = remaining == piece.count ? .header : .unsignedData(remaining: remaining - piece.count)
                if remaining == piece.count { try await expectLineEnd() }
                return take(piece)
            case .header:
                let (size, signature) = try await chunkHeader()
                if size == 0 {
                    try verifyChunk(signature, sha256: SigV4ChunkChain.emptySHA256)
                    try await readTrailers()
                    if let expected = decoder.decodedContentLength, expected != decoded {
                        throw SigV4Error.lengthMismatch(expected: expected, provided: decoded)
                    }
                    phase = .done
                    return nil
                }
                guard decoder.mode.signsChunks else {
                    phase = .unsignedData(remaining: size)
                    continue
                }
                guard size <= decoder.maximumSignedChunkSize else {
                    throw SigV4Error(
                        .invalidChunkSizeError, "Chunks larger than \(decoder.maximumSignedChunkSize) bytes are not accepted",
                        details: [.init("Chunk", String(chunkNumber)), .init("BadChunkSize", String(size))])
                }
                let chunk = try await input.exactly(size)
                try await expectLineEnd()
                try verifyChunk(signature, sha256: Data(SHA256.hash(data: chunk)).hexString)
                return take(chunk)
            }
        }
    }

    /// Counts and checksums decoded bytes on their way out.
    private func take(_ piece: Data) -> Data {
        checksum?.update(piece)
        decoded += Int64(piece.count)
        return piece
    }

    /// `10000;chunk-signature=<64 hex>`: the size, and the signature when the mode signs chunks.
    private func chunkHeader() async throws -> (size: Int, signature: String?) {
        guard let line = try await input.line(limit: 4096) else { throw SigV4Error.incompleteBody() }
        let text = String(decoding: line, as: UTF8.self)
        let parts = text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
        let sizeText = parts[0].trimmingCharacters(in: .whitespaces)
        guard (1...15).contains(sizeText.utf8.count), let size = Int(sizeText, radix: 16), size >= 0 else {
            throw SigV4Error.incompleteBody()
        }
        var signature: String?
        if parts.count > 1 {
            let extensionText = parts[1].trimmingCharacters(in: .whitespaces)
            guard extensionText.hasPrefix("chunk-signature=") else { throw SigV4Error.incompleteBody() }
            signature = String(extensionText.dropFirst("chunk-signature=".count))
        }
        if decoder.mode.signsChunks, signature == nil { throw SigV4Error.incompleteBody() }
        chunkNumber += 1
        if size > 0, let previous = previousChunkSize, previous < AWSChunkedDecoder.minimumChunkSize {
            throw SigV4Error(
                .invalidChunkSizeError, "Only the last chunk is allowed to have a size less than 8192 bytes",
                details: [.init("Chunk", String(chunkNumber - 1)), .init("BadChunkSize", String(previous))])
        }
        previousChunkSize = size
        if let expected = decoder.decodedContentLength, decoded + Int64(size) > expected {
            throw SigV4Error.lengthMismatch(expected: expected, provided: decoded + Int64(size))
        }
        return (size, signature)
    }

    private func expectLineEnd() async throws {
        guard try await input.exactly(2) == Data("\r\n".utf8) else { throw SigV4Error.incompleteBody() }
    }

    /// Checks a chunk's signature against the chain and moves the chain on.
    private func verifyChunk(_ signature: String?, sha256: String) throws {
        guard decoder.mode.signsChunks, let chain = decoder.chain, let signature else { return }
        let expected = chain.chunkSignature(previous: previousSignature, chunkSHA256: sha256)
        guard expected == signature.lowercased() else {
            throw SigV4Error.signatureDoesNotMatch(
                accessKeyID: "", stringToSign: chain.chunkStringToSign(previous: previousSignature, chunkSHA256: sha256),
                provided: signature, canonicalRequest: nil)
        }
        previousSignature = expected
    }

    /// The trailing headers after the final chunk, up to the empty line that ends the body.
    private func readTrailers() async throws {
        var trailers: [(name: String, value: String)] = []
        var skippedBlank = false
        while let line = try await input.line(limit: 4096) {
            if line.isEmpty {
                // AWS's own example writes an empty line between the final chunk and its trailer.
                if decoder.mode.hasTrailer, trailers.isEmpty, !skippedBlank, !(try await input.isAtEnd()) {
                    skippedBlank = true
                    continue
                }
                break
            }
            let text = String(decoding: line, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":"), decoder.mode.hasTrailer else { throw SigV4Error.malformedTrailer() }
            trailers.append(
                (
                    text[..<colon].trimmingCharacters(in: .whitespaces).lowercased(),
                    text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                ))
        }
        guard decoder.mode.hasTrailer else { return }
        let signatures = trailers.filter { $0.name == "x-amz-trailer-signature" }
        let headers = trailers.filter { $0.name != "x-amz-trailer-signature" }
        if decoder.mode.signsChunks, let chain = decoder.chain {
            guard signatures.count == 1 else { throw SigV4Error.malformedTrailer() }
            let canonical = headers.sorted { $0.name < $1.name }.map { "\($0.name):\($0.value)\n" }.joined()
            let accepted = [SigV4ChunkChain.trailerAlgorithm, "AWS4-HMAC-SHA256-PAYLOAD"].map {
                chain.trailerSignature(previous: previousSignature, canonicalTrailers: canonical, algorithm: $0)
            }
            guard accepted.contains(signatures[0].value.lowercased()) else {
                throw SigV4Error.signatureDoesNotMatch(
                    accessKeyID: "", stringToSign: chain.trailerStringToSign(previous: previousSignature, canonicalTrailers: canonical),
                    provided: signatures[0].value, canonicalRequest: nil)
            }
        }
        let checksums = headers.filter { $0.name.hasPrefix("x-amz-checksum-") }
        guard let checksum else {
            guard checksums.isEmpty else { throw SigV4Error.malformedTrailer() }
            return
        }
        guard checksums.count == 1, checksums[0].name == checksum.algorithm.headerName else { throw SigV4Error.malformedTrailer() }
        guard let expected = checksum.algorithm.digest(base64: checksums[0].value) else {
            throw SigV4Error(.invalidRequest, "Value for \(checksum.algorithm.headerName) trailing header is invalid.")
        }
        guard checksum.digest() == expected else { throw checksum.mismatch() }
    }
}
