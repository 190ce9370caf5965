import Foundation
import Logging
import PAMCore
import ServiceLifecycle

/// Analyses photos as they arrive, a bounded number at once; photos whose labels the upload
/// check handed over need no labelling, and are recorded together (``AnalysisBatches``).
///
/// Durable without a queue file: a photo is pending exactly while it lacks the analysed tag or
/// its deletion is on record (``DeletionMark``, written with the deletion itself), so at start-up
/// every such photo is queued again, and analysis is idempotent, so a photo queued twice (or
/// analysed by a run that was killed) never counts twice.
public actor AnalysisQueue: Service {
    private let analysis: AnalysisService
    private let concurrency: Int
    private let logger: Logger
    private let stream: AsyncStream<ObjectRef>
    private let continuation: AsyncStream<ObjectRef>.Continuation
    private var queued = Set<ObjectRef>()
    /// Photos stored again while queued or being analysed: analysed once more when their turn ends.
    private var again = Set<ObjectRef>()
    /// Labels detected while an upload was checked, for the version its ETag names: taken by the
    /// photo's next turn (``AnalysisService/analyze(_:labeled:)`` uses them only for that version).
    private var labeled: [ObjectRef: LabeledVersion] = [:]
    /// Photos with labels in hand, recorded and tagged together; their ETag is read first, so a
    /// photo deleted or overwritten before its turn is treated as ``AnalysisService/analyze(_:labeled:)`` treats it.
    private let batches: AnalysisBatches

    public init(analysis: AnalysisService, concurrency: Int, logger: Logger = Logger(label: "pam.analysis-queue")) {
        self.analysis = analysis
        self.batches = AnalysisBatches(analysis: analysis, checkingFirst: true)
        self.concurrency = max(1, concurrency)
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: ObjectRef.self)
    }

    /// Queues a photo stored, replaced or deleted (non-photos are ignored): its turn analyses it,
    /// or takes it out of the label table when it is gone. A photo already queued gets one more
    /// turn after its current one, since it may have changed meanwhile.
    ///
    /// `labeled`: the labels the upload check detected in the version just stored, which the
    /// photo's next turn uses instead of labelling it again while the object keeps that ETag.
    public func enqueue(_ ref: ObjectRef, labeled: LabeledVersion? = nil) {
        guard PhotoKey.isJPEG(ref.key) else { return }
        if let labeled { self.labeled[ref] = labeled }
        guard queued.insert(ref).inserted else {
            again.insert(ref)
            return
        }
        continuation.yield(ref)
    }

    /// Photos queued or being analysed.
    public var pending: Int { queued.count }

    public func run() async throws {
        do {
            for ref in try await analysis.pendingPhotos() { enqueue(ref) }
            if !queued.isEmpty { logger.info("recovered pending photos", metadata: ["count": "\(queued.count)"]) }
        } catch {
            logger.error("cannot list pending photos", metadata: ["error": "\(error)"])
        }
        let continuation = self.continuation
        await withGracefulShutdownHandler {
            // A child answers whether it was one of the `concurrency` analyses that label.
            await withTaskGroup(of: Bool.self) { group in
                var active = 0
                for await ref in stream {
                    if let labeled = labeled.removeValue(forKey: ref) {
                        group.addTask {
                            await self.finish(ref, await self.batches.record(ref, labeled))
                            return false
                        }
                        continue
                    }
                    while active >= concurrency {
                        if await group.next() == true { active -= 1 }
                    }
                    active += 1
                    group.addTask {
                        await self.finish(ref, await Result { try await self.analysis.analyze(ref) })
                        return true
                    }
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            // Stop taking work; what is running finishes, what is queued stays untagged and is
            // found again at the next start.
            continuation.finish()
        }
    }

    private func finish(_ ref: ObjectRef, _ outcome: Result<AnalysisOutcome, any Error>) {
        switch outcome {
        case .success(.analyzed(let labels, _)):
            logger.debug("photo analysed", metadata: ["key": "\(ref.key)", "labels": "\(labels.count)"])
        case .success(.removed(let change)):
            logger.debug("deleted photo taken out of the table", metadata: ["key": "\(ref.key)", "labels": "\(change.removed.count)"])
        case .success:
            break
        case .failure(let error):
            logger.error("analysis failed", metadata: ["key": "\(ref.key)", "error": "\(error)"])
        }
        finished(ref)
    }

    private func finished(_ ref: ObjectRef) {
        if again.remove(ref) != nil {
            continuation.yield(ref)
        } else {
            queued.remove(ref)
        }
    }
}
