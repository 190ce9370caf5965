import Foundation
import PAMTestSupport
import Testing

/// `Emulator/bench/server-bench.py` runs end to end on tiny counts; its figures are not checked (debug
/// build, shared machine), what it verifies on the way is: every seeded label listed, every upload
/// stored and analysed.
@Suite("server load bench")
struct ServerBenchTests {
    @Test("server-bench.py lists the seeded labels on PAM and moto and uploads through the API until all are analysed")
    func tinyRun() async throws {
        let run = try await ExternalProcess.run(
            [
                "python3", "Emulator/bench/server-bench.py", "--pam", try CLITests.pamExecutable().path, "--photos", "300", "--labels",
                "12", "--requests", "20", "--uploads", "12", "--concurrency", "6", "--upload-kib", "200",
            ], in: CLITests.packageRoot)
        #expect(run.status == 0, "\(run.transcript)")
        for prefix in ["PAM GET /api/labels", "moto DynamoDB Scan", "PAM: API + presigned PUT", "moto: presigned PUT only"] {
            #expect(run.output.contains(prefix), "\(run.output)")
        }
        #expect(run.output.contains("uploads analysed end to end:"), "\(run.output)")
    }
}
