import ArgumentParser
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput and peak memory (build with -c release for real figures).",
        subcommands: [ImportBench.self, ZipBench.self, LabelerBench.self, S3Bench.self])
}
