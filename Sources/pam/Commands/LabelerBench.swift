import ArgumentParser
import Foundation
import PAMCore
import PAMLocal

/// `pam bench labeler DIR`: how close the labeler runs to the decoder's own speed. Decode-only (at
/// the labeler's DCT scale) and the full labeler are timed in the same run, on the same in-memory
/// files, on one thread, alternating round by round so both see the same machine state.
struct LabelerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labeler",
        abstract: "Images/s of decode-only vs the full labeler on the same photos, and single-image latency.")

    @Argument(help: "Folder (or files) of JPEG photos.")
    var paths: [String]

    @Option(help: "Timed passes over the files for each of the two measurements.")
    var rounds = 10

    func validate() throws {
        guard (1...10_000).contains(rounds) else { throw ValidationError("--rounds must be 1…10000") }
    }

    func run() async throws {
        let labeler = HistogramLabeler()
        var files: [Data] = []
        var sizes: [String: Int] = [:]
        let decoder = try TurboJPEGDecoder()
        for file in try PhotoFiles.find(paths) {
            let data: Data
            do { data = try Data(contentsOf: file.url) } catch {
                throw PAMError(.io, "cannot read the file", path: file.name, underlying: error)
            }
            // Only files the labeler accepts are timed; the others are named and left out.
            do {
                try labeler.decodeOnly(data)
                let header = try decoder.readHeader(data)
                let scaled = TurboJPEGDecoder.scaledSize(width: header.width, height: header.height, atLeast: HistogramLabeler.workingSize)
                sizes["\(header.width)x\(header.height) → \(scaled.width)x\(scaled.height)", default: 0] += 1
                files.append(data)
            } catch {
                FileHandle.standardError.write(Data("skipped: \(file.name): \(error)\n".utf8))
            }
        }
        guard !files.isEmpty else { throw ValidationError("no decodable JPEG in \(paths.joined(separator: " "))") }
        let megabytes = Double(files.reduce(0) { $0 + $1.count }) / 1e6
        print(
            String(
                format: "%d photos (%.1f MB) in memory; decoded at the labeler's scale: %@", files.count, megabytes,
                sizes.sorted { $0.value > $1.value }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")))

        // One untimed pass of each warms caches, tables and the allocator.
        for data in files {
            try labeler.decodeOnly(data)
            _ = try labeler.labels(forJPEG: data, query: HistogramLabeler.pipelineQuery)
        }
        var decodeTimes: [Double] = []
        var labelTimes: [Double] = []
        decodeTimes.reserveCapacity(files.count * rounds)
        labelTimes.reserveCapacity(files.count * rounds)
        var labelCount = 0
        for _ in 0..<rounds {
            for data in files {
                let start = ContinuousClock.now
                try labeler.decodeOnly(data)
                decodeTimes.append(Self.seconds(ContinuousClock.now - start))
            }
            for data in files {
                let start = ContinuousClock.now
                labelCount &+= try labeler.labels(forJPEG: data, query: HistogramLabeler.pipelineQuery).count
                labelTimes.append(Self.seconds(ContinuousClock.now - start))
            }
        }
        let decodeRate = Double(decodeTimes.count) / decodeTimes.reduce(0, +)
        let labelRate = Double(labelTimes.count) / labelTimes.reduce(0, +)
        print("\(rounds) rounds x \(files.count) photos, single-threaded, same run:")
        print(Self.line("decode only", rate: decodeRate, times: decodeTimes))
        print(Self.line("full labeler", rate: labelRate, times: labelTimes))
        print(
            String(
                format:
                    "labeler throughput = %.1f %% of decode-only (features and model add %.1f %% on top of decoding); %.1f labels per photo",
                100 * labelRate / decodeRate, 100 * (decodeRate / labelRate - 1), Double(labelCount) / Double(labelTimes.count)))
    }

    static func line(_ name: String, rate: Double, times: [Double]) -> String {
        let sorted = times.sorted()
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))] }
        return String(
            format: "  %@ %7.0f images/s   latency median %.3f ms, p95 %.3f ms",
            name.padding(toLength: 13, withPad: " ", startingAt: 0) as NSString, rate, percentile(0.5) * 1000, percentile(0.95) * 1000)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
