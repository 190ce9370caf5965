import Foundation
import PAMCore

/// Whole-file writes that readers never see half-done: write a temporary file in the same file
/// system, flush it, then rename it over the destination.
enum AtomicFile {
    static func write(_ data: Data, to destination: URL, temporaryFolder: URL, permissions: Int = 0o644) throws {
        let temporary = temporaryFolder.appendingPathComponent("\(UUID().uuidString).part")
        do {
            try FileManager.default.createDirectory(at: temporaryFolder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: permissions]) else {
                throw PAMError(.io, "cannot create a temporary file", path: temporary.path)
            }
            // Exactly these permissions, whatever the umask, before any byte is written.
            guard chmod(temporary.path, mode_t(permissions)) == 0 else {
                throw PAMError(.io, "cannot set the permissions of a temporary file", path: temporary.path)
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try rename(temporary, to: destination)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? PAMError { throw error }
            throw PAMError(.io, "cannot write the file", path: destination.path, underlying: error)
        }
    }

    /// POSIX rename: atomic, and replaces an existing file (FileManager's move does not).
    static func rename(_ source: URL, to destination: URL) throws {
        guard Foundation.rename(source.path, destination.path) == 0 else {
            let code = errno
            throw PAMError(.io, "cannot move a file into place: \(String(cString: strerror(code)))", path: destination.path)
        }
    }
}
