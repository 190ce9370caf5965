import Foundation
import PAMCore

/// Reads a `ByteStream` in pieces of a given size, whatever the size of its chunks, keeping a
/// running CRC-32 per piece.
struct ChunkReader {
    /// One piece of the body and its CRC-32.
    struct Piece {
        var data: Data
        var crc: CRC32
    }

    private var iterator: ByteStream.AsyncIterator
    private var carry = Data()
    /// Whether the stream has ended and nothing is left over.
    private(set) var isFinished = false
    private var ended = false

    init(_ stream: ByteStream) {
        iterator = stream.makeAsyncIterator()
    }

    /// Up to `size` bytes; fewer only at the end of the stream.
    mutating func read(upTo size: Int) async throws -> Piece {
        var data = Data()
        data.reserveCapacity(min(size, 1 << 20))
        if !carry.isEmpty {
            data = carry.prefix(size)
            carry = carry.count > size ? Data(carry.dropFirst(size)) : Data()
        }
        while data.count < size, !ended {
            guard let chunk = try await iterator.next() else {
                ended = true
                break
            }
            let room = size - data.count
            if chunk.count <= room {
                data.append(chunk)
            } else {
                data.append(chunk.prefix(room))
                carry = Data(chunk.dropFirst(room))
            }
        }
        if data.count == size, carry.isEmpty, !ended {
            // Peek, so a body of exactly `size` bytes is known to be finished.
            if let chunk = try await iterator.next() { carry = chunk } else { ended = true }
        }
        isFinished = ended && carry.isEmpty
        var crc = CRC32()
        crc.update(data)
        return Piece(data: data, crc: crc)
    }
}
