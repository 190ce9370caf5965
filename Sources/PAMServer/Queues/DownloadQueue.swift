import Foundation
import Logging
import PAMCore
import ServiceLifecycle

/// Builds requested bundles in the background, so `POST /api/download` answers at once.
///
/// Bounded: `buildsAtOnce` bundles are built at a time (each reads its photos from disk into a
/// zip; more at once would only share the disk), and at most `maximumWaiting` requests wait for
/// their turn; beyond that a request is refused (``Submission/busy``) rather than held, since each
/// holds an address in memory and a bundle on disk to come.
///
/// On shutdown it stops taking requests and finishes the ones it has: a request holds an e-mail
/// address or phone number, which PAM never stores, so finishing is how no request is lost.
public actor DownloadQueue: Service {
    struct Job: Sendable {
        var labels: [String]
        var recipient: Recipient
    }

    /// What became of a request.
    public enum Submission: Sendable, Equatable {
        case queued
        /// As many requests as the queue holds are waiting: try again shortly.
        case busy
        case shuttingDown
    }

    private let download: DownloadService
    private let buildsAtOnce: Int
    private let maximumWaiting: Int
    private let logger: Logger
    private let stream: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation
    private var accepting = true
    /// Requests queued and not yet finished (waiting or being built).
    private var unfinished = 0

    public init(
        download: DownloadService, buildsAtOnce: Int = 2, maximumWaiting: Int = 64, logger: Logger = Logger(label: "pam.download-queue")
    ) {
        self.download = download
        self.buildsAtOnce = max(1, buildsAtOnce)
        self.maximumWaiting = max(0, maximumWaiting)
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: Job.self)
    }

    /// Whether a request would be queued now (checked before a request's queries; `submit` decides).
    public var hasRoom: Bool { accepting && unfinished < buildsAtOnce + maximumWaiting }

    /// Queues a bundle, unless the queue is full or the server is shutting down.
    public func submit(labels: [String], recipient: Recipient) -> Submission {
        guard accepting else { return .shuttingDown }
        guard unfinished < buildsAtOnce + maximumWaiting else { return .busy }
        unfinished += 1
        continuation.yield(Job(labels: labels, recipient: recipient))
        return .queued
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var building = 0
                for await job in stream {
                    if building >= buildsAtOnce {
                        await group.next()
                        building -= 1
                    }
                    building += 1
                    group.addTask {
                        await self.process(job)
                        await self.finished()
                    }
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            Task { await self.stopAccepting() }
        }
    }

    private func finished() { unfinished -= 1 }

    private func stopAccepting() {
        accepting = false
        continuation.finish()
    }

    private func process(_ job: Job) async {
        do {
            _ = try await download.requestDownload(labels: job.labels, recipient: job.recipient)
        } catch {
            logger.error("bundle failed", metadata: ["channel": "\(job.recipient.channel)", "error": "\(error)"])
            // The request was answered 202: tell the recipient rather than leave them waiting.
            do {
                _ = try await download.notifyFailure(labels: job.labels, recipient: job.recipient)
            } catch {
                logger.error("bundle failure notice not delivered", metadata: ["channel": "\(job.recipient.channel)", "error": "\(error)"])
            }
        }
    }
}
