import ArgumentParser
import Foundation
import PAMCore
import PAMLocal

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Upload and analyse photos (files or folders, recursively; .jpg/.jpeg).")

    @OptionGroup var options: StateOptions

    @Argument(help: "Photo files or folders.")
    var paths: [String]

    @Flag(help: "Import photos whose content is already stored.")
    var force = false

    @Option(help: "Photos analysed at once (default: number of cores).")
    var concurrency: Int?

    func validate() throws {
        if let concurrency, !(1...256).contains(concurrency) { throw ValidationError("--concurrency must be 1…256") }
    }

    func run() async throws {
        Wiring.bootstrapLogging(verbose: options.verbose)
        let wiring = try Wiring(options)
        let summary = try await Self.importPhotos(paths, force: force, concurrency: concurrency, wiring: wiring)
        if summary.progress.failed > 0 && summary.progress.imported + summary.progress.skipped == 0 {
            throw ExitCode(1)
        }
    }

    /// Imports and prints progress (on a terminal) and the summary; shared with `pam demo`.
    static func importPhotos(_ paths: [String], force: Bool, concurrency: Int?, wiring: Wiring) async throws -> ImportSummary {
        let files = try PhotoFiles.find(paths)
        let items = files.map { file in
            ImportItem(name: file.name) {
                do { return try Data(contentsOf: file.url) } catch {
                    throw PAMError(.io, "cannot read the file", path: file.name, underlying: error)
                }
            }
        }
        let progress = ProgressLine(label: "photos")
        let summary = try await wiring.importer(concurrency: concurrency).run(items, force: force) { progress.update($0) }
        progress.finish()
        print(summary.report)
        return summary
    }
}

extension ImportSummary {
    var report: String {
        let rate = seconds > 0 ? Double(progress.done) / seconds : 0
        var lines = [
            String(
                format: "Imported %d, skipped %d (already stored), failed %d — %d photos in %.2f s (%.0f photos/s)",
                progress.imported, progress.skipped, progress.failed, progress.total, seconds, rate)
        ]
        for failure in failures { lines.append("  failed: \(failure.name): \(failure.reason)") }
        return lines.joined(separator: "\n")
    }
}
