import Foundation

/// S3's ETag rule, for every store that records or predicts one: a body stored in one piece (up to
/// `partSize` bytes) has the hex MD5 of its bytes; a larger one, uploaded in parts of `partSize`,
/// has the hex MD5 of its parts' MD5 digests followed by `-` and the number of parts.
///
/// The MD5 function is passed in because PAMCore has no crypto of its own.
public struct MultipartETag: Sendable {
    /// The size of every part but the last, and the largest body stored in one piece.
    public let partSize: Int
    private let md5: @Sendable (Data) -> Data

    public init(partSize: Int, md5: @escaping @Sendable (Data) -> Data) {
        precondition(partSize > 0, "a part holds at least one byte")
        self.partSize = partSize
        self.md5 = md5
    }

    /// The ETag of `body` stored whole: in one piece or in parts, as its size decides.
    public func etag(of body: Data) -> String {
        guard body.count > partSize else { return md5(body).hexString }
        var digests: [Data] = []
        var start = body.startIndex
        while start < body.endIndex {
            let end = min(start + partSize, body.endIndex)
            digests.append(md5(body[start..<end]))
            start = end
        }
        return etag(partDigests: digests)
    }

    /// The ETag of a body whose parts of `partSize` bytes (the last one shorter or equal) have
    /// these MD5 digests, in order: a body of one part was stored in one piece, so its ETag is that
    /// part's digest; more parts give the multipart form.
    public func etag(partDigests: [Data]) -> String {
        precondition(!partDigests.isEmpty, "a body has at least one part, maybe empty")
        if partDigests.count == 1 { return partDigests[0].hexString }
        return md5(partDigests.reduce(Data(), +)).hexString + "-\(partDigests.count)"
    }

    /// The ETag S3 gives an object completed from a multipart upload of parts with these MD5
    /// digests: the multipart form `<hex MD5 of the digests>-<count>`, even for a single part.
    public func completedUploadETag(partDigests: [Data]) -> String {
        md5(partDigests.reduce(Data(), +)).hexString + "-\(partDigests.count)"
    }
}
