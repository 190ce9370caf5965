import Crypto
import Foundation
import PAMCore
import PAMSigV4
import PAMTestSupport

/// Builds aws-chunked bodies as SDKs write them, for the decoder's tests, and hands bytes to it in
/// pieces of chosen sizes.
enum ChunkedBody {
    /// The wire form of `payload` cut into `chunkSizes` (which sum to its length): signed chunks
    /// when `chain` is given, then the final empty chunk and, when given, the trailer.
    static func encode(
        _ payload: Data, chunkSizes: [Int], chain: SigV4ChunkChain?, trailer: (name: String, value: String)? = nil,
        blankBeforeTrailer: Bool = false
    ) -> Data {
        var wire = Data()
        var previous = chain?.seedSignature ?? ""
        var offset = payload.startIndex
        for size in chunkSizes + [0] {
            let chunk = payload[offset..<offset + size]
            offset += size
            var header = String(size, radix: 16)
            if let chain {
                previous = chain.chunkSignature(previous: previous, chunk: Data(chunk))
                header += ";chunk-signature=" + previous
            }
            wire += Data((header + "\r\n").utf8)
            if size > 0 { wire += chunk + Data("\r\n".utf8) }
        }
        if let trailer {
            if blankBeforeTrailer { wire += Data("\r\n".utf8) }
            wire += Data("\(trailer.name):\(trailer.value)\r\n".utf8)
            if let chain {
                let signature = chain.trailerSignature(previous: previous, canonicalTrailers: "\(trailer.name):\(trailer.value)\n")
                wire += Data("x-amz-trailer-signature:\(signature)\r\n".utf8)
            }
        }
        return wire + Data("\r\n".utf8)
    }

    /// The base64 checksum S3 expects of `payload`.
    static func checksum(_ algorithm: AWSChecksumAlgorithm, _ payload: Data) -> String {
        func bigEndian(_ value: UInt32) -> Data { withUnsafeBytes(of: value.bigEndian) { Data($0) } }
        let digest: Data =
            switch algorithm {
            case .crc32: bigEndian(CRC32.checksum(payload))
            case .crc32c: bigEndian(CRC32.checksum(payload, .castagnoli))
            case .sha1: Data(Insecure.SHA1.hash(data: payload))
            case .sha256: Data(SHA256.hash(data: payload))
            }
        return digest.base64EncodedString()
    }

    /// `data` as a stream of pieces of `sizes` (cycled), counting the pieces pulled.
    static func stream(_ data: Data, pieceSizes sizes: [Int], pulls: Counter? = nil) -> ByteStream {
        let cursor = Cursor(data, sizes)
        return ByteStream {
            _ = pulls?.next()
            return cursor.next()
        }
    }

    /// A fixed-seed generator, so every run cuts the same way.
    struct Generator {
        var state: UInt64
        mutating func next(_ range: ClosedRange<Int>) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound + Int((state >> 33) % UInt64(range.count))
        }
    }

    private final class Cursor: @unchecked Sendable {
        private let lock = NSLock()
        private let data: Data
        private let sizes: [Int]
        private var offset = 0
        private var turn = 0
        init(_ data: Data, _ sizes: [Int]) {
            self.data = data
            self.sizes = sizes
        }
        func next() -> Data? {
            lock.withLock {
                guard offset < data.count else { return nil }
                let size = min(sizes[turn % sizes.count], data.count - offset)
                turn += 1
                defer { offset += size }
                return Data(data[data.startIndex + offset..<data.startIndex + offset + size])
            }
        }
    }
}
