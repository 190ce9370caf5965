import Foundation
import PAMTestSupport
import Testing

/// `pam bench s3` runs end to end on a tiny count; its figures are not checked (debug build, shared machine).
@Suite("pam bench s3")
struct S3BenchTests {
    @Test("pam bench s3 --count 3 puts and gets on pam serve and on moto and prints the table with both and the ratio")
    func tinyRun() async throws {
        let run = try await ExternalProcess.run(
            ["bench", "s3", "--count", "3", "--object-kib", "16", "--threads", "1"], executable: try CLITests.pamExecutable(),
            in: CLITests.packageRoot)
        #expect(run.status == 0, "\(run.transcript)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("operation") && $0.contains("requests/s") && $0.contains("p99 ms") }, "\(run.output)")
        for operation in ["PutObject", "GetObject"] {
            for server in ["PAM", "moto"] {
                #expect(
                    lines.contains { $0.hasPrefix(operation) && $0.split(separator: " ").dropFirst().first == Substring(server) },
                    "\(run.output)")
            }
            #expect(lines.contains { $0.hasPrefix("\(operation): PAM ") && $0.contains("x moto (requests/s)") }, "\(run.output)")
        }
    }
}
