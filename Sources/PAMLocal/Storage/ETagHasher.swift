import Crypto
import Foundation

/// Computes an object's ETag the way S3 does for uploads by the AWS CLI (8 MiB multipart threshold
/// and part size): the hex MD5 of the body up to one part, and for larger bodies the MD5 of the
/// parts' MD5s followed by `-N`. Parts are hashed on other threads while the body keeps streaming,
/// at most `inFlight` at a time, so memory stays bounded whatever the size.
struct ETagHasher {
    static let partSize = 8 << 20
    private var part = Data()
    private var pending: [Task<Data, Never>] = []
    private var digests: [Data] = []
    private let inFlight = 2

    init() { part.reserveCapacity(Self.partSize) }

    /// The ETag of an in-memory body, for comparing content before uploading it.
    static func etag(of data: Data) -> String {
        guard data.count > partSize else { return Data(Insecure.MD5.hash(data: data)).hexString }
        var digests = Data()
        var start = data.startIndex
        while start < data.endIndex {
            let end = min(start + partSize, data.endIndex)
            digests.append(contentsOf: Insecure.MD5.hash(data: data[start..<end]))
            start = end
        }
        return Data(Insecure.MD5.hash(data: digests)).hexString + "-\((data.count + partSize - 1) / partSize)"
    }

    mutating func add(_ chunk: Data) async {
        var rest = chunk[...]
        while !rest.isEmpty {
            let take = min(Self.partSize - part.count, rest.count)
            part.append(rest.prefix(take))
            rest = rest.dropFirst(take)
            if part.count == Self.partSize { await flush() }
        }
    }

    /// Finishes hashing and returns the ETag.
    mutating func finish() async -> String {
        if pending.isEmpty && digests.isEmpty {
            return Data(Insecure.MD5.hash(data: part)).hexString  // one part: plain MD5, hashed here
        }
        if !part.isEmpty { await flush() }
        for task in pending { digests.append(await task.value) }
        pending.removeAll()
        return Data(Insecure.MD5.hash(data: digests.reduce(Data(), +))).hexString + "-\(digests.count)"
    }

    private mutating func flush() async {
        let full = part
        pending.append(Task.detached { Data(Insecure.MD5.hash(data: full)) })
        part = Data()
        part.reserveCapacity(Self.partSize)
        if pending.count > inFlight { digests.append(await pending.removeFirst().value) }
    }
}
