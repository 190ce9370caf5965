import NIOCore

/// How long a client may take to send a request body (``RequestDeadlineHandler``), as Apache's
/// `mod_reqtimeout` rules it: the body must have arrived within ``timeout`` of its request's head,
/// extended by one second for every ``minimumRate`` bytes received.
/// A client sending exactly that rate keeps its connection for the whole body, as with Apache.
struct RequestDeadline: Sendable, Hashable {
    /// Time allowed for a body before the bytes received extend it.
    var timeout: TimeAmount
    /// Bytes a second that extend the allowance by one second each.
    var minimumRate: Int

    init(timeout: TimeAmount, minimumRate: Int) {
        self.timeout = timeout
        self.minimumRate = max(1, minimumRate)
    }

    /// When the body of a request whose head arrived at `since` must have ended, `bytes` of it received.
    func deadline(since: NIODeadline, bytes: Int) -> NIODeadline {
        // One second per `minimumRate` bytes, capped at a year: no overflow for any count.
        let earned = min(Double(bytes) / Double(minimumRate), 365 * 86_400)
        return since + timeout + .nanoseconds(Int64(earned * 1e9))
    }
}
