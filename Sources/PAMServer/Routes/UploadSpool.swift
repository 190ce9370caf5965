import Foundation
import Hummingbird
import PAMCore

/// Streams request bodies into temporary files, so an upload is never held whole in memory:
/// memory stays flat whatever the size of the bodies and however many arrive at once.
struct UploadSpool: Sendable {
    /// Where the temporary files go (the state folder's `tmp/`, the local store's own, which takes
    /// a spooled photo as the object rather than copying it: `ObjectStore.put(_:file:options:checking:)`).
    let folder: URL

    /// Streams `body` into a fresh file, then runs `work` with the file and its size; the file is
    /// deleted afterwards, whatever happens (unless `work` gave it to the store). More than `limit`
    /// bytes (with or without a Content-Length) is a 413, and stops the reading there.
    func withSpooledBody<T>(
        _ body: RequestBody, limit: Int, ref: ObjectRef,
        _ work: (_ file: URL, _ size: Int64) async throws -> T
    ) async throws -> T {
        // `isDirectory: false`: without it, URL asks the file system whether the name is a folder.
        let file = folder.appendingPathComponent("upload-\(UUID().uuidString).part", isDirectory: false)
        // unlink(2) itself, ENOENT ignored: after an accepted upload the store has taken the file, and
        // FileManager.removeItem would look it up first.
        defer { unlink(file.path) }
        let size = try await write(body, to: file, limit: limit, ref: ref)
        return try await work(file, size)
    }

    private func write(_ body: RequestBody, to file: URL, limit: Int, ref: ObjectRef) async throws -> Int64 {
        // One file, created here (FileManager.createFile would make and rename a file of its own
        // first); the folder is created only when it is missing, not looked up for every upload.
        // errno is taken at once, before anything else can change it.
        let create = { () -> (descriptor: Int32, code: Int32) in
            let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            return (descriptor, descriptor < 0 ? errno : 0)
        }
        var (descriptor, code) = create()
        if descriptor < 0, code == ENOENT {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            (descriptor, code) = create()
        }
        guard descriptor >= 0 else {
            throw PAMError(.io, "cannot create a temporary file: \(String(cString: strerror(code)))", ref: ref, path: file.path)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? handle.close() }
        var size = 0
        for try await buffer in body {
            size += buffer.readableBytes
            guard size <= limit else {
                throw ServerError(
                    status: .contentTooLarge, message: "the object is over the \(limit)-byte limit",
                    s3Code: "EntityTooLarge", resource: ref.key)
            }
            try buffer.withUnsafeReadableBytes { try handle.write(contentsOf: $0) }
        }
        return Int64(size)
    }
}
