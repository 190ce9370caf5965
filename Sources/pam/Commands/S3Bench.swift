import ArgumentParser
import Foundation

/// `pam bench s3`: PutObject and GetObject of 256 KiB objects through boto3 against this `pam`'s
/// AWS endpoint and against moto_server, in one run with the same client code
/// (`Emulator/bench/s3-bench.py`, which starts and stops both servers); prints requests/s, p50
/// and p99 of each and the ratio.
struct S3Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s3", abstract: "Compare PutObject/GetObject through boto3 on pam serve's AWS endpoint and on moto_server.")

    @Option(help: "Objects put, then got, on each server.")
    var count = 500

    @Option(help: "Size of each object in KiB.")
    var objectKib = 256

    @Option(help: "Concurrent boto3 requests.")
    var threads = 4

    @Option(help: "The bench script (run from the PAM checkout: it also starts Emulator/moto/serve.py).")
    var script = "Emulator/bench/s3-bench.py"

    func validate() throws {
        guard (1...1_000_000).contains(count), (1...65536).contains(objectKib), (1...256).contains(threads) else {
            throw ValidationError("--count must be 1…1000000, --object-kib 1…65536 and --threads 1…256")
        }
        guard FileManager.default.fileExists(atPath: script) else {
            throw ValidationError("cannot find the bench script \(script): run pam bench s3 from the PAM checkout or give --script")
        }
    }

    func run() async throws {
        var pam = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: pam.path), let own = Bundle.main.executableURL { pam = own }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", script, "--pam", pam.path, "--count", String(count), "--object-kib", String(objectKib), "--threads", String(threads),
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ExitCode(process.terminationStatus) }
    }
}
