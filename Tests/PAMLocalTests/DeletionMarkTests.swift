import Foundation
import PAMCore
import PAMLocal
import Testing

/// A photo's deletion stays on record in the local store until its analysis turn has taken it out
/// of the table, so a process killed between the two (the turn was only queued in memory) leaves
/// nothing counted once it starts again.
@Suite("Deletions on record")
struct DeletionMarkTests {
    typealias Pipeline = PipelineTests.Pipeline

    /// Two fixtures whose labels differ, imported and counted.
    static func importTwo(_ pipeline: Pipeline) async throws -> (deleted: ObjectRef, kept: URL) {
        let (first, second, _, _) = try PipelineTests.differentPhotos()
        _ = try await pipeline.importFiles([first, second])
        let deleted = try #require(try await pipeline.storedPhotos().first { $0.ref.key.hasSuffix(first.lastPathComponent) }).ref
        return (deleted, second)
    }

    static func counts(_ pipeline: Pipeline) async throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try await pipeline.table.allLabels().map { ($0.label, $0.count) })
    }

    @Test("a photo deleted by a process killed before the deletion's turn is taken out at the next start, once")
    func killedBeforeTurn() async throws {
        try await withTemporaryState { state in
            let (deleted, kept): (ObjectRef, URL)
            do {
                let pipeline = try Pipeline(state)
                (deleted, kept) = try await Self.importTwo(pipeline)
                // What the server's S3 DELETE commits before it queues the turn, which the kill loses.
                try await pipeline.store.delete(deleted)
                #expect(try await Self.counts(pipeline) != (try PipelineTests.expectedCounts([kept])))
            }
            // The next start: a fresh store and table on the same state folder.
            let restarted = try Pipeline(state)
            #expect(try await restarted.analysis.pendingPhotos() == [deleted])
            guard case .removed(let change) = try await restarted.analysis.analyze(deleted) else {
                Issue.record("expected the deleted photo taken out")
                return
            }
            #expect(!change.removed.isEmpty)
            #expect(try await Self.counts(restarted) == (try PipelineTests.expectedCounts([kept])))
            #expect(try await restarted.analysis.pendingPhotos().isEmpty)
            #expect(try await restarted.store.deletionMarks(in: state.config.storageBucket).isEmpty)
        }
    }

    @Test("an import finishes the deletions left on record before it starts")
    func importFinishesDeletions() async throws {
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            let (deleted, kept) = try await Self.importTwo(pipeline)
            try await pipeline.store.delete(deleted)
            let summary = try await pipeline.importFiles([])
            #expect(summary.progress.total == 0)
            #expect(try await Self.counts(pipeline) == (try PipelineTests.expectedCounts([kept])))
            #expect(try await pipeline.store.deletionMarks(in: state.config.storageBucket).isEmpty)
        }
    }

    @Test(
        "a mark is cleared only for the deletion it records, never for a later one; a deletion of nothing, or of no counted photo, is not recorded"
    )
    func ids() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let ref = ObjectRef(bucket: state.config.storageBucket, key: "a.jpg")
            let options = PutOptions(contentType: "image/jpeg")
            func deleteVersion(_ text: String) async throws -> DeletionMark {
                try await store.put(ref, body: .data(Data(text.utf8)), options: options)
                try await store.delete(ref)
                return try #require(try await store.deletionMark(ref))
            }
            try await store.delete(ref)
            #expect(try await store.deletionMark(ref) == nil)
            let first = try await deleteVersion("one")
            let second = try await deleteVersion("two")
            #expect(second != first)
            // A turn that began before the second deletion leaves it on record.
            try await store.clearDeletionMark(first)
            #expect(try await store.deletionMarks(in: ref.bucket) == [second])
            // Marks outlive the process.
            #expect(try await state.store().deletionMarks(in: ref.bucket) == [second])
            try await store.clearDeletionMark(second)
            #expect(try await store.deletionMarks(in: ref.bucket).isEmpty)
            // Cleared, then deleted again: the new mark is not the old one, so a late clear of
            // the old one (another process's turn) leaves it.
            let third = try await deleteVersion("three")
            try await store.clearDeletionMark(first)
            try await store.clearDeletionMark(second)
            #expect(try await store.deletionMarks(in: ref.bucket) == [third])

            let notes = ObjectRef(bucket: state.config.storageBucket, key: "notes.txt")
            let bundle = ObjectRef(bucket: state.config.workingBucket, key: "bundle.jpg")
            for other in [notes, bundle] {
                try await store.put(other, body: .data(Data("x".utf8)), options: PutOptions(contentType: "text/plain"))
                try await store.delete(other)
                #expect(try await store.deletionMark(other) == nil)
            }
        }
    }

    @Test("a deletion whose turn keeps failing stays on record and does not stop an import")
    func failingTurn() async throws {
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            let (deleted, kept) = try await Self.importTwo(pipeline)
            try await pipeline.store.delete(deleted)
            // Stored again with bytes that are no photo: the turn's labelling fails every time.
            try await pipeline.store.put(deleted, body: .data(Data("not a jpeg".utf8)), options: PutOptions(contentType: "image/jpeg"))
            await #expect(throws: PAMError.self) { try await pipeline.analysis.analyze(deleted) }
            let mark = try #require(try await pipeline.store.deletionMark(deleted))
            let summary = try await pipeline.importFiles([kept])
            #expect(summary.progress.skipped == 1 && summary.progress.failed == 0)
            #expect(try await pipeline.store.deletionMarks(in: state.config.storageBucket) == [mark])
        }
    }
}
