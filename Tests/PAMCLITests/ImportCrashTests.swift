import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// `pam import` killed (SIGKILL) where a crash costs the most: a batch's labels are in the table
/// and none of its photos is tagged yet. Running the same import again finishes it.
@Suite("pam import after a crash")
struct ImportCrashTests {
    @Test(
        "an import killed after recording a batch's labels, before tagging it, finishes when run again: every photo stored once, tagged, counted once"
    )
    func finishesAfterACrash() async throws {
        let folder = CLITests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = StateDirectory(folder.appendingPathComponent("state"))
        let photos = ServeTests.photos
        try #require(photos.count >= 20)
        let pam = try CLITests.pamExecutable()

        // The test hook kills the import when the third photo is about to be tagged as analysed.
        let crashAt = 3
        let crashed = try await ExternalProcess.run(
            ["import", "--state", state.root.path, "Fixtures/photos"], executable: pam, in: CLITests.packageRoot,
            environment: ["PAM_FAULT_AFTER_RECORD": "\(crashAt)"])
        #expect(crashed.killedBySignal && crashed.status == SIGKILL, "\(crashed.output) \(crashed.errors)")

        // The crash landed in the window: photos stored (and counted) but not tagged, fewer tagged
        // than the crash point. (A quarter of the fixtures have no label, so "counted" is not
        // checked photo by photo here; the counts after the second run are.)
        let table = try SQLiteLabelTable(path: state.itemStore)
        let store = try FileSystemObjectStore(
            state: state, buckets: ["pam-storage", "pam-working"], baseURL: URL(string: "http://127.0.0.1")!)
        var tagged = Set<String>()
        var untagged = Set<String>()
        for try await info in store.listAll(bucket: "pam-storage") {
            if try await store.tags(info.ref)["rekognition"] == "complete" {
                tagged.insert(info.ref.key)
            } else {
                untagged.insert(info.ref.key)
            }
        }
        #expect(!untagged.isEmpty && tagged.count < crashAt, "tagged \(tagged.count), untagged \(untagged.count)")

        let again = try await ExternalProcess.run(
            ["import", "--state", state.root.path, "Fixtures/photos"], executable: pam, in: CLITests.packageRoot)
        #expect(again.status == 0 && !again.killedBySignal, "\(again.errors)")
        #expect(again.output.contains("skipped") && again.output.contains("failed 0 — \(photos.count) photos"), "\(again.output)")
        var stored = 0
        for try await info in store.listAll(bucket: "pam-storage") {
            stored += 1
            #expect(try await store.tags(info.ref)["rekognition"] == "complete", "\(info.ref.key) is tagged")
        }
        #expect(stored == photos.count, "each photo stored once")
        let counts = Dictionary(uniqueKeysWithValues: try await table.allLabels().map { ($0.label, $0.count) })
        #expect(counts == (try ServeTests.expectedCounts(photos)), "each photo counted once")
    }
}
