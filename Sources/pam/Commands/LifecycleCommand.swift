import ArgumentParser
import Foundation
import PAMCore

struct LifecycleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle",
        abstract: "Apply the bucket lifecycle: expire zips older than a day, move older photos to INTELLIGENT_TIERING.")

    @OptionGroup var options: StateOptions

    @Option(help: "Apply the rules as of this UTC ISO 8601 time instead of now (e.g. 2026-12-01T12:00:00Z).")
    var now: String?

    func validate() throws {
        if let now, DateText.parseISO8601(now) == nil {
            throw ValidationError("--now must be a UTC ISO 8601 date-time like 2026-12-01T12:00:00Z, got '\(now)'")
        }
    }

    func run() async throws {
        Wiring.bootstrapLogging(verbose: options.verbose)
        let clock: any WallClock = now.flatMap(DateText.parseISO8601).map { ManualClock($0) } ?? SystemClock()
        let wiring = try Wiring(options, clock: clock)
        // Expired photos leave the label table, as after any deletion; a failure is reported, and
        // the others still go.
        var uncounted: [(key: String, reason: String)] = []
        // Said whatever becomes of the pass (a failure later in it does not hide them).
        defer {
            for (key, reason) in uncounted {
                FileHandle.standardError.write(Data("expired photo still counted: \(key): \(reason)\n".utf8))
            }
        }
        let report = try await wiring.lifecycle.run { ref in
            guard ref.bucket == wiring.config.storageBucket else { return }
            do { _ = try await wiring.analysis.analyze(ref) } catch { uncounted.append((ref.key, ImportService.reason(error))) }
        }
        print(
            "Expired \(report.expiredBundles) bundle(s); moved \(report.tieredObjects) photo(s) to INTELLIGENT_TIERING; "
                + "aborted \(report.abortedUploads) incomplete upload(s).")
        if !uncounted.isEmpty { throw ExitCode.failure }
    }
}
