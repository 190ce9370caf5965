import Foundation
import PAMCore

/// Reads a `ByteStream` by lines and by counts, whatever the sizes of the pieces it arrives in,
/// holding at most one piece plus what was asked for.
final class ByteStreamReader: @unchecked Sendable {
    // Unchecked: a ByteStream is pulled by one consumer at a time, so the state is never shared.
    private var iterator: ByteStream.AsyncIterator
    private var buffer = Data()
    private var offset = 0
    private var ended = false

    init(_ stream: ByteStream) { iterator = stream.makeAsyncIterator() }

    private var available: Int { buffer.count - offset }

    /// Pulls the next piece; false at the end of the stream.
    private func fill() async throws -> Bool {
        if ended { return false }
        guard let piece = try await iterator.next() else {
            ended = true
            return false
        }
        if offset > 0 {
            buffer = Data(buffer[(buffer.startIndex + offset)...])
            offset = 0
        }
        buffer.append(piece)
        return true
    }

    /// The next line without its `\r\n` (or `\n`); nil at the end of the stream. A line longer than
    /// `limit`, or cut by the end of the stream, is malformed.
    func line(limit: Int) async throws -> Data? {
        var scanned = 0
        while true {
            let start = buffer.startIndex + offset
            if let newline = buffer[(start + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Data(buffer[start..<end])
                offset = newline + 1 - buffer.startIndex
                return line
            }
            scanned = available
            guard scanned <= limit else { throw SigV4Error.incompleteBody() }
            guard try await fill() else {
                if available == 0 { return nil }
                throw SigV4Error.incompleteBody()
            }
        }
    }

    /// Up to `count` bytes (at least one); nil at the end of the stream.
    func bytes(upTo count: Int) async throws -> Data? {
        if available == 0, !(try await fill()) { return nil }
        let take = min(count, available)
        let start = buffer.startIndex + offset
        offset += take
        return Data(buffer[start..<start + take])
    }

    /// Exactly `count` bytes; the stream ending first is malformed.
    func exactly(_ count: Int) async throws -> Data {
        var result = Data()
        result.reserveCapacity(count)
        while result.count < count {
            guard let piece = try await bytes(upTo: count - result.count) else { throw SigV4Error.incompleteBody() }
            result.append(piece)
        }
        return result
    }

    /// Whether the stream has no bytes left.
    func isAtEnd() async throws -> Bool {
        if available > 0 { return false }
        return !(try await fill())
    }
}
