import Foundation
import Logging
import PAMCore
import ServiceLifecycle

/// Builds requested bundles in the background, so `POST /api/download` answers at once.
///
/// On shutdown it stops taking requests and finishes the ones it has: a request holds an e-mail
/// address or phone number, which PAM never stores, so finishing is how no request is lost.
public actor DownloadQueue: Service {
    struct Job: Sendable {
        var labels: [String]
        var recipient: Recipient
    }

    private let download: DownloadService
    private let logger: Logger
    private let stream: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation
    private var accepting = true

    public init(download: DownloadService, logger: Logger = Logger(label: "pam.download-queue")) {
        self.download = download
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: Job.self)
    }

    /// Queues a bundle; false once the server is shutting down.
    public func submit(labels: [String], recipient: Recipient) -> Bool {
        guard accepting else { return false }
        continuation.yield(Job(labels: labels, recipient: recipient))
        return true
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for await job in stream {
                    group.addTask { await self.process(job) }
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            Task { await self.stopAccepting() }
        }
    }

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
