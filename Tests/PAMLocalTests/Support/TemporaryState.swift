import Foundation
import Logging
import PAMCore
import PAMLocal

/// A fresh state folder per test, removed afterwards, with the local adapters opened on it.
struct TemporaryState {
    let root: URL
    let state: StateDirectory
    let config = PipelineConfig(concurrency: 4)
    let clock: ManualClock

    static let baseURL = URL(string: "http://127.0.0.1:8080")!

    init(clock: ManualClock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pam-test-\(UUID().uuidString)")
        state = StateDirectory(root)
        self.clock = clock
    }

    func store() throws -> FileSystemObjectStore {
        try FileSystemObjectStore(
            state: state, buckets: [config.storageBucket, config.workingBucket], baseURL: Self.baseURL, clock: clock,
            marksDeletion: config.countsPhoto(at:))
    }

    func table() throws -> SQLiteLabelTable { try SQLiteLabelTable(path: state.itemStore) }

    func notifier(logger: Logger = Logger(label: "test")) throws -> FileDropNotifier {
        try FileDropNotifier(state: state, clock: clock, logger: logger)
    }

    /// Every regular file under the state folder, relative to it.
    func files() -> [String] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return walker.compactMap { item -> String? in
            guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { return nil }
            return String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
        }.sorted()
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Runs `body` with a fresh state folder and removes it afterwards.
func withTemporaryState<T>(clock: ManualClock? = nil, _ body: (TemporaryState) async throws -> T) async throws -> T {
    let state = try clock.map { try TemporaryState(clock: $0) } ?? TemporaryState()
    defer { state.remove() }
    return try await body(state)
}
