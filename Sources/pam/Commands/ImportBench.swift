import ArgumentParser
import Dispatch
import Foundation
import PAMCore
import PAMLocal

/// `pam bench import`: N distinct 1024x768 photos made from the fixtures (crops and flips), then
/// `pam import` into a fresh state, timed end to end (process start to exit) — beside, in the same
/// run and on the same photos, the bound it is measured against (decoding them at the labeler's
/// 1/8 scale and doing nothing else, on one core and on all of them) and, when moto is installed,
/// the same pipeline through boto3 against moto_server (`Emulator/bench/import-bench.py`).
struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import N distinct photos made from the fixtures into a fresh state, beside the decode-only bound and moto.")

    @Option(help: "Source photos.")
    var photos = "Fixtures/photos"

    @Option(help: "How many distinct photos to import.")
    var count = 1000

    @Option(help: "Working folder (generated photos are kept there and reused).")
    var work = BenchWork.folder("bench-import")

    @Option(help: "The moto peer's script (run from the PAM checkout); skipped when moto or the script is missing.")
    var peerScript = "Emulator/bench/import-bench.py"

    @Flag(help: "Do not run the moto peer.")
    var noPeer = false

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be 1…100000") }
    }

    func run() async throws {
        let workURL = try BenchWork.prepare(work)
        let photoFolder = workURL.appendingPathComponent("photos-\(count)")
        try await Self.generate(from: photos, count: count, into: photoFolder)
        let state = try BenchWork.freshState(in: workURL)
        // Settle the disk first: write-back of the generated photos and of the removed old state
        // is not part of the import being measured.
        sync()
        print("Importing \(count) photos from \(photoFolder.path) into a fresh state …")
        let result = try ChildRun.pam(["import", "--state", state.path, photoFolder.path])
        print(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        let rate = Double(count) / result.seconds
        print(
            String(
                format: "bench import: %d photos in %.2f s end to end = %.0f photos/s; peak memory %.0f MB",
                count, result.seconds, rate, result.peakMegabytes))
        // After the import: the photos it holds in memory would otherwise count in the child's peak
        // (a forked child starts with its parent's resident pages).
        let lanes = ProcessInfo.processInfo.activeProcessorCount
        let bound = try Self.decodeBound(photoFolder, lanes: lanes)
        print(
            String(
                format:
                    "decode only at 1/8 scale, same %d photos in memory (median of %d passes): one core %.0f photos/s, %d cores %.0f photos/s (%.0f–%.0f)",
                count, Self.boundPasses, bound.oneCore, lanes, bound.allCores, bound.allCoresRange.lowerBound,
                bound.allCoresRange.upperBound))
        print(
            String(
                format: "PAM import = %.2f of the %d-core decode-only bound (%.2f of one core's)", rate / bound.allCores, lanes,
                rate / bound.oneCore))
        // The state goes as soon as it is measured (see BenchWork.freshState for why each run has a new one).
        try? FileManager.default.removeItem(at: state)
        if !noPeer { try Self.peer(script: peerScript, folder: photoFolder, threads: lanes, pamRate: rate) }
        var load = [Double](repeating: 0, count: 3)
        if getloadavg(&load, 3) == 3 { print(String(format: "load average %.2f %.2f %.2f", load[0], load[1], load[2])) }
    }

    /// Photos/s of decode-only at the labeler's scale over the files of `folder`, held in memory:
    /// on one thread, then on `lanes` threads (each its share of the files), after a warm-up pass;
    /// the median of ``boundPasses`` passes each (one pass swung by a fifth between runs here), with
    /// the slowest and fastest of the `lanes`-thread passes.
    static func decodeBound(_ folder: URL, lanes: Int) throws -> DecodeBound {
        let files = try PhotoFiles.find([folder.path]).map { file in
            do { return try Data(contentsOf: file.url) } catch {
                throw PAMError(.io, "cannot read the file", path: file.name, underlying: error)
            }
        }
        guard !files.isEmpty else { throw ValidationError("no photos in \(folder.path)") }
        let labeler = HistogramLabeler()
        for data in files.prefix(100) { try labeler.decodeOnly(data) }
        var one: [Double] = []
        var all: [Double] = []
        for _ in 0..<boundPasses {
            let oneStart = ContinuousClock.now
            for data in files { try labeler.decodeOnly(data) }
            one.append(Double(files.count) / LabelerBench.seconds(ContinuousClock.now - oneStart))
            let failures = FailureBox()
            let allStart = ContinuousClock.now
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                for index in stride(from: lane, to: files.count, by: lanes) {
                    do { try labeler.decodeOnly(files[index]) } catch { failures.record(error) }
                }
            }
            all.append(Double(files.count) / LabelerBench.seconds(ContinuousClock.now - allStart))
            if let error = failures.first { throw error }
        }
        return DecodeBound(
            oneCore: one.sorted()[boundPasses / 2], allCores: all.sorted()[boundPasses / 2], allCoresRange: all.min()!...all.max()!)
    }

    /// Passes of the decode-only bound (odd: the median is one of them).
    static let boundPasses = 3

    struct DecodeBound {
        var oneCore: Double
        var allCores: Double
        var allCoresRange: ClosedRange<Double>
    }

    /// Runs the moto peer on the same photos, when python3 can import boto3 and moto.
    static func peer(script: String, folder: URL, threads: Int, pamRate: Double) throws {
        let env = URL(fileURLWithPath: "/usr/bin/env")
        guard FileManager.default.fileExists(atPath: script),
            (try? ChildRun.run(env, ["python3", "-c", "import boto3, moto.server"])) != nil
        else {
            print("moto pipeline: skipped (needs boto3, moto and \(script): run from the PAM checkout after Emulator/moto/install.sh)")
            return
        }
        print("Running the same photos through boto3 against moto_server (\(threads) threads) …")
        let run = try ChildRun.run(env, ["python3", script, folder.path, "--threads", String(threads)])
        let line = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        print(line)
        if let rate = Self.photosPerSecond(in: line), rate > 0 {
            print(String(format: "PAM import is %.0fx moto's pipeline (photos/s)", pamRate / rate))
        }
    }

    /// The `= R photos/s` figure of the peer's line.
    static func photosPerSecond(in line: String) -> Double? {
        guard let range = line.range(of: " photos/s") else { return nil }
        return line[..<range.lowerBound].split(separator: " ").last.flatMap { Double($0) }
    }

    /// Writes `count` variants (reusing a complete earlier set).
    static func generate(from source: String, count: Int, into folder: URL) async throws {
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".jpg") } ?? []
        if existing.count == count { return }
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sources = try PhotoFiles.find([source]).map { try Data(contentsOf: $0.url) }
        guard !sources.isEmpty else { throw ValidationError("no photos in \(source)") }
        print("Making \(count) distinct photos from \(sources.count) fixtures (not timed) …")
        let generator = JPEGVariantGenerator()
        try await withThrowingTaskGroup(of: Void.self) { group in
            let lanes = ProcessInfo.processInfo.activeProcessorCount
            for lane in 0..<lanes {
                group.addTask {
                    for index in stride(from: lane, to: count, by: lanes) {
                        let jpeg = try generator.variant(of: sources[index % sources.count], index: index)
                        try jpeg.write(to: folder.appendingPathComponent(String(format: "variant-%05d.jpg", index)))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The first error of the decode lanes.
    private final class FailureBox: @unchecked Sendable {
        private let lock = NSLock()
        private var error: (any Error)?
        func record(_ error: any Error) { lock.withLock { if self.error == nil { self.error = error } } }
        var first: (any Error)? { lock.withLock { error } }
    }
}
