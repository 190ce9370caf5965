import Foundation
import PAMCore

/// Whole writes to an open file descriptor: `write(2)` until every byte is out, retried on
/// `EINTR`; a failure is `PAMError(.io)` with `what` (what was being written) and the system's reason.
enum FileDescriptorWriter {
    static func writeAll(_ data: Data, to descriptor: Int32, what: String, ref: ObjectRef? = nil, path: String? = nil) throws {
        try data.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                guard written > 0 else {
                    if written < 0, errno == EINTR { continue }
                    throw PAMError(.io, "cannot write \(what): \(String(cString: strerror(errno)))", ref: ref, path: path)
                }
                done += written
            }
        }
    }
}
