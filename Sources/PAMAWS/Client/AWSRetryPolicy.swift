import Foundation

/// Retries with capped exponential backoff and full jitter (AWS's "standard" retry mode).
public struct AWSRetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The backoff ceiling of the first retry; it doubles each retry.
    public var baseDelay: Duration
    /// No wait is longer than this.
    public var maxDelay: Duration
    /// Returns a number in 0..<1; injectable so tests see exact delays.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(10),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.random = random
    }

    public static let `default` = AWSRetryPolicy()
    /// One attempt only.
    public static let none = AWSRetryPolicy(maxAttempts: 1)

    /// The wait before retry number `retry` (1 for the first retry): a random share of
    /// `min(maxDelay, baseDelay × 2^(retry-1))`.
    public func delay(beforeRetry retry: Int) -> Duration {
        let ceiling = min(maxDelay, baseDelay * (1 << min(max(0, retry - 1), 30)))
        return ceiling * random()
    }

    /// Whether `error` is worth another attempt: throttling, 5xx and transient service codes, and
    /// transport failures (connection reset or refused, timeouts), but never cancellation or our own
    /// argument errors.
    public func isRetryable(_ error: any Error) -> Bool {
        switch error {
        case let error as AWSServiceError: error.isRetryable
        case is CancellationError: false
        case is AWSTransportError: true
        default: false
        }
    }
}

/// A failure to talk to the service at all: connection refused or reset, timeouts.
public struct AWSTransportError: Error, Sendable, CustomStringConvertible {
    public var service: AWSService
    public var operation: String
    public var underlying: any Error & Sendable

    public var description: String { "\(service.rawValue) \(operation): could not reach the service (\(underlying))" }
}
