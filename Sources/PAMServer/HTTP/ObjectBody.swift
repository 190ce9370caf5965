import Hummingbird
import PAMCore

/// An object's body as a response body: the bytes of `range` out of the stored stream, streamed
/// chunk by chunk (the object endpoint and the S3 endpoint's GetObject answer with it).
enum ObjectBody {
    static func response(_ stream: ByteStream, range wanted: Range<Int64>) -> ResponseBody {
        ResponseBody(contentLength: Int(wanted.count)) { writer in
            var offset: Int64 = 0
            for try await chunk in stream {
                let chunkRange = offset..<offset + Int64(chunk.count)
                offset += Int64(chunk.count)
                let lower = max(chunkRange.lowerBound, wanted.lowerBound)
                let upper = min(chunkRange.upperBound, wanted.upperBound)
                if lower < upper {
                    let slice = chunk[
                        chunk.startIndex + Int(lower - chunkRange.lowerBound)..<chunk.startIndex + Int(upper - chunkRange.lowerBound)]
                    try await writer.write(ByteBuffer(bytes: slice))
                }
                if offset >= wanted.upperBound { break }
            }
            try await writer.finish(nil)
        }
    }
}
