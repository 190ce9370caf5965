import Foundation
import PAMCore

/// A one-line progress display on standard error, redrawn at most ten times a second, shown only
/// when standard error is a terminal.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(label: String) { self.label = label }

    func update(_ progress: ImportProgress) {
        guard enabled else { return }
        lock.withLock {
            let now = Date()
            guard progress.done == progress.total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            let elapsed = max(now.timeIntervalSince(start), 0.001)
            let line = String(
                format: "\r\u{1B}[2K%d/%d %@  %.0f/s  (imported %d, skipped %d, failed %d)",
                progress.done, progress.total, label, Double(progress.done) / elapsed,
                progress.imported, progress.skipped, progress.failed)
            FileHandle.standardError.write(Data(line.utf8))
            drawn = true
        }
    }

    func finish() {
        lock.withLock { if drawn { FileHandle.standardError.write(Data("\n".utf8)) } }
    }
}
