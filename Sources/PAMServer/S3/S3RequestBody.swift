import Foundation
import Hummingbird
import PAMCore

/// A request body as a `ByteStream`, pulled as the consumer reads (so the store's write paces
/// the upload): the body an S3 request carries, before any aws-chunked decoding.
enum S3RequestBody {
    static func stream(_ body: RequestBody, count: Int64?) -> ByteStream {
        let source = Source(body.makeAsyncIterator())
        return ByteStream(count: count) { try await source.next() }
    }

    private final class Source: @unchecked Sendable {
        // Unchecked: a ByteStream is pulled by one consumer at a time, so the iterator is never shared.
        private var iterator: RequestBody.AsyncIterator

        init(_ iterator: RequestBody.AsyncIterator) { self.iterator = iterator }

        func next() async throws -> Data? {
            while let buffer = try await iterator.next() {
                if buffer.readableBytes > 0 { return Data(buffer.readableBytesView) }
            }
            return nil
        }
    }
}
