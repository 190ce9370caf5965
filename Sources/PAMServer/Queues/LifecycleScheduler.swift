import Foundation
import Logging
import PAMCore
import ServiceLifecycle

/// Applies the lifecycle rules at start-up and then every `interval` seconds.
public struct LifecycleScheduler: Service {
    let lifecycle: LifecycleService
    let interval: TimeInterval
    let logger: Logger

    public init(lifecycle: LifecycleService, interval: TimeInterval, logger: Logger = Logger(label: "pam.lifecycle")) {
        self.lifecycle = lifecycle
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                _ = try await lifecycle.run()
            } catch {
                logger.error("lifecycle pass failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
        }
    }
}
