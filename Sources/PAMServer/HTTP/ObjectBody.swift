import Hummingbird
import PAMCore

/// An object's GET or HEAD answer, the one shared by the presigned object endpoint and the S3
/// endpoint: status, headers (type, ETag, Last-Modified, ranges) and the bytes of `range` out of the
/// stored stream, streamed chunk by chunk.
enum ObjectBody {
    /// The answer to a GET or HEAD of `info` with these `Range` field values (RFC 9110: 200 whole,
    /// 206 one range); nil when the range cannot be satisfied — the caller answers 416 in its own
    /// error format with `Content-Range: bytes */size` (`unsatisfiedRange`).
    static func answer(_ info: ObjectInfo, rangeFieldValues: [String]) -> (
        status: HTTPResponse.Status, headers: HTTPFields, range: Range<Int64>
    )? {
        var headers: HTTPFields = [
            .contentType: info.contentType, .eTag: "\"\(info.etag)\"", .acceptRanges: "bytes",
            .lastModified: DateText.http(info.created),
        ]
        let requested = ByteRange.parse(rangeFieldValues, size: info.size)
        var range = 0..<info.size
        var status = HTTPResponse.Status.ok
        switch requested {
        case .whole: break
        case .partial(let part):
            range = part
            status = .partialContent
        case .unsatisfiable: return nil
        }
        headers[.contentRange] = requested.contentRange(size: info.size)
        headers[.contentLength] = "\(range.count)"
        return (status, headers, range)
    }

    /// `Content-Range` of a 416 for an object of `size` bytes.
    static func unsatisfiedRange(size: Int64) -> String { ByteRange.unsatisfiable.contentRange(size: size) ?? "" }

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
