import Foundation
import PAMTestSupport
import Testing

/// `pam bench import` runs end to end on a tiny count; its figures are not checked (debug build, shared machine).
@Suite("pam bench import")
struct ImportBenchTests {
    @Test("pam bench import --count 4 imports, prints the decode-only bound, the ratio and moto's pipeline on the same photos")
    func tinyRun() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pam-bench-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        // An earlier run's state, left by an interrupted run, and one of an older pam's fixed name.
        for leftover in ["state-earlier", "state"] {
            let folder = work.appendingPathComponent(leftover).appendingPathComponent("buckets")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("old".utf8).write(to: folder.appendingPathComponent("photo.jpg"))
        }
        let run = try await ExternalProcess.run(
            ["bench", "import", "--count", "4", "--work", work.path], executable: try CLITests.pamExecutable(), in: CLITests.packageRoot)
        #expect(run.status == 0, "\(run.transcript)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("Imported 4, skipped 0 (already stored), failed 0") }, "\(run.output)")
        #expect(lines.contains { $0.hasPrefix("bench import: 4 photos in ") && $0.contains("peak memory") }, "\(run.output)")
        #expect(
            lines.contains { $0.hasPrefix("decode only at 1/8 scale, same 4 photos in memory (median of 3 passes): one core ") },
            "\(run.output)")
        #expect(lines.contains { $0.hasPrefix("PAM import = ") && $0.contains("-core decode-only bound") }, "\(run.output)")
        #expect(lines.contains { $0.hasPrefix("moto pipeline: 4 photos in ") && $0.contains("photos/s") }, "\(run.output)")
        #expect(lines.contains { $0.hasPrefix("PAM import is ") && $0.hasSuffix("x moto's pipeline (photos/s)") }, "\(run.output)")
        // The measured state is removed, and so are earlier ones; the generated photos are kept for the next run.
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path) == ["photos-4"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("photos-4").path).count == 4)
    }
}
