import Foundation
import PAMCore

/// A test hook, not a feature: makes the process kill itself (SIGKILL, no clean-up) in one of the
/// two windows where a crash could leave the label table out of step with the bucket, so the
/// crash-recovery tests land a crash exactly there.
///
/// - `PAM_FAULT_AFTER_RECORD=<n>`: when the n-th analysis, its labels already written to the
///   table, is about to tag its photo as analysed (the photo is counted but untagged). The same
///   count covers an import's batches (`addTag(_:toUnchanged:)`): the crash then leaves every
///   photo of the batch counted and untagged.
/// - `PAM_FAULT_AFTER_DELETE=<n>`: right after the n-th deletion of a counted photo has committed,
///   before the caller (the S3 endpoint) queues the turn that takes it out of the table.
///
/// The variables are read once, when the wiring is built; without them the store is not wrapped
/// and nothing changes. Every other call goes to `base` as is.
struct CrashHookStore: ForwardingObjectStore {
    static let afterRecord = "PAM_FAULT_AFTER_RECORD"
    static let afterDelete = "PAM_FAULT_AFTER_DELETE"

    let base: any ObjectStore
    let config: PipelineConfig
    let taggingCrash: Int?
    let deletionCrash: Int?
    private let taggings = Counter()
    private let deletions = Counter()

    /// The wrapped store when either variable is set, nil when neither is.
    static func fromEnvironment(_ environment: [String: String], store: any ObjectStore, config: PipelineConfig) throws
        -> CrashHookStore?
    {
        let tagging = try count(afterRecord, environment)
        let deletion = try count(afterDelete, environment)
        guard tagging != nil || deletion != nil else { return nil }
        return CrashHookStore(base: store, config: config, taggingCrash: tagging, deletionCrash: deletion)
    }

    private static func count(_ variable: String, _ environment: [String: String]) throws -> Int? {
        guard let text = environment[variable], !text.isEmpty else { return nil }
        guard let count = Int(text), count > 0 else {
            throw PAMError(.invalidArgument, "\(variable) must be a positive count, not '\(text)'")
        }
        return count
    }

    func setTags(_ ref: ObjectRef, _ tags: [String: String]) async throws {
        // Analysis tags a photo only after the table holds its labels.
        if tags[config.analyzedTag.key] == config.analyzedTag.value, taggings.increment() == taggingCrash { Self.crash() }
        try await base.setTags(ref, tags)
    }

    /// An import tags many analyses at once, their labels all in the table by then: the crash lands
    /// before any of them is tagged when the n-th is among them.
    func addTag(_ tag: (key: String, value: String), toUnchanged objects: [(ref: ObjectRef, etag: String)]) async throws -> [Bool] {
        if tag == config.analyzedTag {
            for _ in objects where taggings.increment() == taggingCrash { Self.crash() }
        }
        return try await base.addTag(tag, toUnchanged: objects)
    }

    func delete(_ ref: ObjectRef) async throws {
        try await base.delete(ref)
        if config.countsPhoto(at: ref), deletions.increment() == deletionCrash { Self.crash() }
    }

    private static func crash() -> Never {
        kill(getpid(), SIGKILL)
        _exit(137) // not reached
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
