import Foundation
import PAMCore
import PAMLocal
import Testing

/// `pam serve` applies the lifecycle rules at start-up and then every `lifecycleIntervalSeconds`.
@Suite("pam serve lifecycle")
struct ServeLifecycleTests {
    /// A copy of `Emulator/pam.json` with `changes` applied.
    static func config(in folder: URL, _ changes: [String: Any]) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("pam-\(UUID().uuidString.prefix(6)).json")
        var settings = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: CLITests.packageRoot.appendingPathComponent("Emulator/pam.json")))
                as? [String: Any])
        for (key, value) in changes { settings[key] = value }
        try JSONSerialization.data(withJSONObject: settings).write(to: file)
        return file.path
    }

    /// Polls `condition` every 100 ms until it holds or `timeout` passes.
    static func eventually(timeout: TimeInterval = 60, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    @Test("an old bundle expires and an old photo is tiered at start-up; a bundle that ages later goes at the next interval")
    func startupAndInterval() async throws {
        let folder = CLITests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = StateDirectory(folder.appendingPathComponent("state"))
        // Objects written by a store whose clock says two days ago: past both one-day rules.
        let twoDaysAgo = ManualClock(Date().addingTimeInterval(-2 * 86_400))
        let past = try FileSystemObjectStore(
            state: state, buckets: ["pam-storage", "pam-working"],
            baseURL: URL(string: "http://127.0.0.1")!, clock: twoDaysAgo)
        let oldBundle = ObjectRef(bucket: "pam-working", key: "old-bundle.zip")
        let oldPhoto = ObjectRef(bucket: "pam-storage", key: "old-lake.jpg")
        let freshBundle = ObjectRef(bucket: "pam-working", key: "fresh-bundle.zip")
        try await past.put(oldBundle, body: .data(Data("PK old".utf8)), options: PutOptions(contentType: "application/zip"))
        try await past.put(
            oldPhoto, body: .data(try Data(contentsOf: try #require(ServeTests.photos.first))),
            options: PutOptions(contentType: "image/jpeg", tags: ["rekognition": "complete"]))
        let now = try FileSystemObjectStore(
            state: state, buckets: ["pam-storage", "pam-working"], baseURL: URL(string: "http://127.0.0.1")!)
        try await now.put(freshBundle, body: .data(Data("PK fresh".utf8)), options: PutOptions(contentType: "application/zip"))

        let server = try ServerProcess(state: state.root, config: try Self.config(in: folder, ["lifecycleIntervalSeconds": 1]))
        try await server.start()
        func exists(_ ref: ObjectRef) async throws -> Bool {
            do {
                _ = try await now.head(ref)
                return true
            } catch let error as PAMError where error.code == .notFound { return false }
        }
        func passes() -> Int { server.log().components(separatedBy: "lifecycle applied").count - 1 }

        // The start-up pass.
        #expect(try await Self.eventually { passes() >= 1 }, "no lifecycle pass logged: \(server.log())")
        #expect(try await !exists(oldBundle))
        #expect(try await now.head(oldPhoto).storageClass == .intelligentTiering)
        #expect(try await exists(freshBundle), "a bundle younger than a day stays")
        let firstPasses = passes()

        // A bundle that is already old when it appears, after the start-up pass has finished: only
        // a later pass, on the interval, can expire it.
        try await past.put(
            ObjectRef(bucket: "pam-working", key: "aged-later.zip"), body: .data(Data("PK later".utf8)),
            options: PutOptions(contentType: "application/zip"))
        #expect(
            try await Self.eventually { try await !exists(ObjectRef(bucket: "pam-working", key: "aged-later.zip")) },
            "the interval pass did not expire the bundle: \(server.log())")
        #expect(passes() > firstPasses)
        #expect(try await exists(freshBundle))
        #expect(try await server.stop() == 0)
    }
}
