import ArgumentParser
import Foundation
import PAMCore
import PAMLocal

/// `pam bench import`: N distinct 1024x768 photos made from the fixtures (crops and flips), then
/// `pam import` into a fresh state, timed end to end (process start to exit).
struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import N distinct photos made from the fixtures into a fresh state.")

    @Option(help: "Source photos.")
    var photos = "Fixtures/photos"

    @Option(help: "How many distinct photos to import.")
    var count = 1000

    @Option(help: "Working folder (generated photos are kept there and reused).")
    var work = "/tmp/pam-bench-import"

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be 1…100000") }
    }

    func run() async throws {
        let workURL = URL(fileURLWithPath: work, isDirectory: true)
        let photoFolder = workURL.appendingPathComponent("photos-\(count)")
        try await Self.generate(from: photos, count: count, into: photoFolder)
        let state = try ChildRun.freshFolder(workURL.appendingPathComponent("state").path)
        // Settle the disk first: write-back of the generated photos and of the removed old state
        // is not part of the import being measured.
        sync()
        print("Importing \(count) photos from \(photoFolder.path) into a fresh state …")
        let result = try ChildRun.pam(["import", "--state", state.path, photoFolder.path])
        print(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        print(
            String(
                format: "bench import: %d photos in %.2f s end to end = %.0f photos/s; peak memory %.0f MB",
                count, result.seconds, Double(count) / result.seconds, result.peakMegabytes))
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
}
