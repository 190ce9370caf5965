import ArgumentParser
import Foundation
import PAMCore
import PAMLocal

/// `pam bench zip`: a state holding ~1 GB of photo-sized objects under one label, then
/// `pam download` of that label, timed end to end; reports bundle MB/s and peak memory, beside two
/// peers timed the same way in the same run on the same files: Python's `zipfile` writing a stored
/// zip of them, and `cat` of them into one file (the copy bound).
struct ZipBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zip", abstract: "Build a zip bundle of about --megabytes MB and measure its speed and memory.")

    @Option(help: "Bundle size in MB (10^6 bytes).")
    var megabytes = 1000

    @Option(help: "Size of each stored object in KiB (a photo is 100–300).")
    var objectKib = 256

    @Option(help: "Working folder.")
    var work = BenchWork.folder("bench-zip")

    func validate() throws {
        guard (1...100_000).contains(megabytes), (1...1_048_576).contains(objectKib) else {
            throw ValidationError("--megabytes must be 1…100000 and --object-kib 1…1048576")
        }
    }

    func run() async throws {
        let state = try BenchWork.freshState(in: try BenchWork.prepare(work))
        let objectBytes = objectKib * 1024
        let count = max(1, megabytes * 1_000_000 / objectBytes)
        print("Storing \(count) objects of \(objectKib) KiB labelled Bench (not timed) …")
        // The local store is what is measured, whatever PAM_BACKEND says.
        let wiring = try Wiring(state: state, baseURL: URL(string: "http://127.0.0.1:8080")!, environment: [:])
        var generator = SystemRandomNumberGenerator()
        var body = Data((0..<objectBytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        for index in 0..<count {
            body.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(index)) { Data($0) })
            let ref = ObjectRef(bucket: wiring.config.storageBucket, key: String(format: "bench-%06d.jpg", index))
            try await wiring.store.put(ref, body: .data(body), options: PutOptions(contentType: "image/jpeg"))
            try await wiring.table.record(imageKey: ref.key, labels: ["Bench"])
        }
        // Photos are normally stored long before they are bundled: flush them to disk first, so
        // the kernel's write-back of the seed data does not compete with the measurement.
        sync()
        print("Building the bundle with pam download …")
        let result = try ChildRun.pam(["download", "--state", state.path, "--label", "Bench", "--email", "bench@example.com"])
        print(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        let zips = try FileManager.default.contentsOfDirectory(
            at: StateDirectory(state).objects.appendingPathComponent(wiring.config.workingBucket),
            includingPropertiesForKeys: [.fileSizeKey])
        let size = try zips.reduce(0) { $0 + (try $1.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) }
        let megabytes = Double(size) / 1e6
        print(
            String(
                format: "bench zip: %.0f MB bundle (%d entries) in %.2f s end to end = %.0f MB/s (CPU %.2f s); peak memory %.0f MB",
                megabytes, count, result.seconds, megabytes / result.seconds, result.cpuSeconds, result.peakMegabytes))

        let files = try (0..<count).map { index in
            let ref = ObjectRef(bucket: wiring.config.storageBucket, key: String(format: "bench-%06d.jpg", index))
            guard let file = wiring.localFile(ref) else { throw PAMError(.notFound, "no stored photo to compare with", ref: ref) }
            return file.path
        }
        let peerOutput = state.appendingPathComponent("peer.out").path
        let python = try ChildRun.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", Self.pythonZip, peerOutput] + files)
        try? FileManager.default.removeItem(atPath: peerOutput)
        let cat = try ChildRun.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", #"out="$1"; shift; cat "$@" > "$out""#, "sh", peerOutput] + files)
        try? FileManager.default.removeItem(atPath: peerOutput)
        print(
            String(
                format:
                    "peers, same files, same run: Python zipfile (stored) %.2f s = %.0f MB/s (CPU %.2f s); cat into one file %.2f s = %.0f MB/s (CPU %.2f s)",
                python.seconds, megabytes / python.seconds, python.cpuSeconds, cat.seconds, megabytes / cat.seconds, cat.cpuSeconds))
        print(String(format: "PAM is %.1fx Python's zipfile and %.2fx cat", python.seconds / result.seconds, cat.seconds / result.seconds))
        var load = [0.0, 0, 0]
        getloadavg(&load, 3)
        print("CRC-32 engine: \(CRC32.engine); load average " + String(format: "%.2f %.2f %.2f", load[0], load[1], load[2]))
    }

    /// Python's standard library zipping the files (argv[2:]) stored, under their base names, into argv[1].
    static let pythonZip = """
        import os, sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as archive:
            for path in sys.argv[2:]:
                archive.write(path, os.path.basename(path))
        """
}
