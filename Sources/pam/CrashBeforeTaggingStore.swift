import Foundation
import PAMCore

/// A test hook, not a feature: `PAM_FAULT_AFTER_RECORD=<n>` makes the process kill itself
/// (SIGKILL, no clean-up) when the n-th analysis, its labels already written to the table, is
/// about to tag its photo as analysed — the one window where a crash leaves a photo counted but
/// untagged. The crash-recovery test uses it to land a crash exactly there.
///
/// The same count covers an import's batches (`addTag(_:toUnchanged:)`): the crash then leaves
/// every photo of the batch counted and untagged.
///
/// The variable is read once, when the wiring is built; without it the store is not wrapped and
/// nothing on the analysis path changes. Every call but the analysed tag goes to `base` as is.
struct CrashBeforeTaggingStore: ForwardingObjectStore {
    static let variable = "PAM_FAULT_AFTER_RECORD"

    let base: any ObjectStore
    let analyzedTag: (key: String, value: String)
    let crashAt: Int
    private let taggings = Counter()

    /// The wrapped store when `PAM_FAULT_AFTER_RECORD` is set, nil when it is not.
    static func fromEnvironment(_ environment: [String: String], store: any ObjectStore, config: PipelineConfig) throws
        -> CrashBeforeTaggingStore?
    {
        guard let text = environment[variable], !text.isEmpty else { return nil }
        guard let count = Int(text), count > 0 else {
            throw PAMError(.invalidArgument, "\(variable) must be a positive count, not '\(text)'")
        }
        return CrashBeforeTaggingStore(base: store, analyzedTag: config.analyzedTag, crashAt: count)
    }

    func setTags(_ ref: ObjectRef, _ tags: [String: String]) async throws {
        // Analysis tags a photo only after the table holds its labels.
        if tags[analyzedTag.key] == analyzedTag.value, taggings.increment() == crashAt {
            kill(getpid(), SIGKILL)
            _exit(137) // not reached
        }
        try await base.setTags(ref, tags)
    }

    /// An import tags many analyses at once, their labels all in the table by then: the crash lands
    /// before any of them is tagged when the n-th is among them.
    func addTag(_ tag: (key: String, value: String), toUnchanged objects: [(ref: ObjectRef, etag: String)]) async throws -> [Bool] {
        if tag == analyzedTag {
            for _ in objects where taggings.increment() == crashAt {
                kill(getpid(), SIGKILL)
                _exit(137) // not reached
            }
        }
        return try await base.addTag(tag, toUnchanged: objects)
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() -> Int {
            lock.withLock {
                value += 1
                return value
            }
        }
    }
}
