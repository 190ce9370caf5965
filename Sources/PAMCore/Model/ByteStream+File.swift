import Foundation

extension ByteStream {
    /// A file's bytes in `chunkSize` chunks (a stored object, a spooled upload); the descriptor
    /// closes at the end or when the stream is dropped. The one file reader of the streams.
    public static func file(_ url: URL, chunkSize: Int) throws -> ByteStream {
        let reader = try FileReader(url: url, chunkSize: chunkSize)
        return ByteStream(count: reader.size) { try reader.next() }
    }

    private final class FileReader: @unchecked Sendable {
        private let lock = NSLock()
        private var handle: FileHandle?
        private let chunkSize: Int
        let size: Int64

        init(url: URL, chunkSize: Int) throws {
            do {
                let handle = try FileHandle(forReadingFrom: url)
                self.size = Int64(try handle.seekToEnd())
                try handle.seek(toOffset: 0)
                self.handle = handle
            } catch {
                throw PAMError(.io, "cannot open the file", path: url.path, underlying: error)
            }
            self.chunkSize = chunkSize
        }

        func next() throws -> Data? {
            try lock.withLock {
                guard let handle else { return nil }
                if let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty { return chunk }
                try? handle.close()
                self.handle = nil
                return nil
            }
        }

        deinit { try? handle?.close() }
    }
}
