import Crypto
import Foundation
import PAMCore

/// Computes a streamed body's ETag the way S3 does for uploads by the AWS CLI (8 MiB multipart
/// threshold and part size, ``rule``). Parts are hashed on other threads while the body keeps
/// streaming, at most `inFlight` at a time, so memory stays bounded whatever the size.
struct ETagHasher {
    /// The local store's ETags: S3's rule at the AWS CLI's part size.
    static let rule = MultipartETag(partSize: 8 << 20) { Data(Insecure.MD5.hash(data: $0)) }

    /// The ETags of whole bodies: those of one part hashed together (``MD5Lanes``), larger ones by ``rule``.
    static func etags(of bodies: [Data]) -> [String] {
        let single = bodies.indices.filter { bodies[$0].count <= rule.partSize }
        var etags = bodies.map { $0.count <= rule.partSize ? "" : rule.etag(of: $0) }
        for (index, digest) in zip(single, MD5Lanes.digests(of: single.map { bodies[$0] })) { etags[index] = digest.hexString }
        return etags
    }

    private var part = Data()
    private var pending: [Task<Data, Never>] = []
    private var digests: [Data] = []
    private let inFlight = 2

    /// Whether `part` owns a buffer of a whole part; until then it may be the first chunk itself.
    private var partReserved = false

    init() {}

    mutating func add(_ chunk: Data) async {
        // A part's first chunk is kept as it is, not copied: a body sent in one chunk smaller than
        // a part (a photo) is hashed where it lies, with no part-sized buffer at all.
        if part.isEmpty, chunk.count < Self.rule.partSize {
            part = chunk
            partReserved = false
            return
        }
        var rest = chunk[...]
        while !rest.isEmpty {
            let take = min(Self.rule.partSize - part.count, rest.count)
            if !partReserved {
                var buffer = Data()
                buffer.reserveCapacity(Self.rule.partSize)
                buffer.append(part)
                part = buffer
                partReserved = true
            }
            part.append(rest.prefix(take))
            rest = rest.dropFirst(take)
            if part.count == Self.rule.partSize { await flush() }
        }
    }

    /// Finishes hashing and returns the ETag. A body of exactly one full part is one piece, as it
    /// is for S3, so its ETag is that part's MD5.
    mutating func finish() async -> String {
        if pending.isEmpty && digests.isEmpty {
            return Data(Insecure.MD5.hash(data: part)).hexString // at most one part: hashed here
        }
        if !part.isEmpty { await flush() }
        for task in pending { digests.append(await task.value) }
        pending.removeAll()
        return Self.rule.etag(partDigests: digests)
    }

    private mutating func flush() async {
        let full = part
        pending.append(Task.detached { Data(Insecure.MD5.hash(data: full)) })
        part = Data()
        partReserved = false
        if pending.count > inFlight { digests.append(await pending.removeFirst().value) }
    }
}
