import Foundation

/// An object body: a pull-based asynchronous sequence of byte chunks.
///
/// Pull-based so that a slow consumer (a zip being written, an HTTP client) applies back-pressure
/// and memory stays flat whatever the size of the body. A stream may be iterated once.
public struct ByteStream: AsyncSequence, Sendable {
    public typealias Element = Data

    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        let pull: @Sendable () async throws -> Data?
        public mutating func next() async throws -> Data? { try await pull() }
    }

    private let makeIterator: @Sendable () -> AsyncIterator
    /// The total byte count, when known in advance.
    public let count: Int64?

    /// A stream whose chunks are produced by `pull` until it returns `nil`.
    public init(count: Int64? = nil, _ pull: @escaping @Sendable () async throws -> Data?) {
        self.count = count
        self.makeIterator = { AsyncIterator(pull: pull) }
    }

    public func makeAsyncIterator() -> AsyncIterator { makeIterator() }

    /// A stream of in-memory bytes, handed out in one chunk.
    public static func data(_ data: Data) -> ByteStream {
        let box = OnceBox(data)
        return ByteStream(count: Int64(data.count)) { box.take() }
    }

    /// Reads the whole stream into memory, refusing more than `limit` bytes.
    public func collect(limit: Int = .max) async throws -> Data {
        var result = Data()
        if let count, count <= Int64(limit) { result.reserveCapacity(Int(count)) }
        for try await chunk in self {
            guard result.count + chunk.count <= limit else {
                throw PAMError(.invalidArgument, "body is larger than the limit of \(limit) bytes")
            }
            result.append(chunk)
        }
        return result
    }
}

/// Hands its value out once; later calls get nil.
private final class OnceBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Data?
    init(_ value: Data) { self.value = value }
    func take() -> Data? {
        lock.lock()
        defer { lock.unlock() }
        defer { value = nil }
        return value
    }
}
