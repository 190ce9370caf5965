import Foundation
import PAMCore
import PAMLocal

/// A fresh state folder with the local store (the storage and working buckets) and the SQLite
/// label table, as the queue tests build them; `remove()` deletes the folder.
struct QueueTestState {
    let root: URL
    let state: StateDirectory
    let config: PipelineConfig
    let store: FileSystemObjectStore
    let table: SQLiteLabelTable

    init(concurrency: Int) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pam-queue-\(UUID().uuidString)")
        state = StateDirectory(root)
        config = PipelineConfig(concurrency: concurrency)
        store = try FileSystemObjectStore(
            state: state, buckets: [config.storageBucket, config.workingBucket], baseURL: URL(string: "http://127.0.0.1:8080")!,
            marksDeletion: config.countsPhoto(at:))
        table = try SQLiteLabelTable(path: state.itemStore)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
