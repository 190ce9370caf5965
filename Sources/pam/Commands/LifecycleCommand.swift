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
        let report = try await wiring.lifecycle.run()
        // Expired photos leave the label table, as after any deletion.
        for ref in report.expired where ref.bucket == wiring.config.storageBucket { _ = try await wiring.analysis.analyze(ref) }
        print(
            "Expired \(report.expiredBundles) bundle(s); moved \(report.tieredObjects) photo(s) to INTELLIGENT_TIERING; "
                + "aborted \(report.abortedUploads) incomplete upload(s).")
    }
}
