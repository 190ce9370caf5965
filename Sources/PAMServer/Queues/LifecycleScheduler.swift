import Foundation
import Logging
import PAMCore
import ServiceLifecycle

/// Applies the lifecycle rules at start-up and then every `interval` seconds; each object a rule
/// expired goes to `expired` (the server queues photos for analysis, which takes them out of the table).
public struct LifecycleScheduler: Service {
    let lifecycle: LifecycleService
    let interval: TimeInterval
    let expired: @Sendable (ObjectRef) async -> Void
    let logger: Logger

    public init(
        lifecycle: LifecycleService, interval: TimeInterval, logger: Logger = Logger(label: "pam.lifecycle"),
        expired: @escaping @Sendable (ObjectRef) async -> Void = { _ in }
    ) {
        self.lifecycle = lifecycle
        self.interval = interval
        self.expired = expired
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                _ = try await lifecycle.run(expired: expired)
            } catch {
                logger.error("lifecycle pass failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
        }
    }
}
