import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// How long a client may take to send a request body (``RequestDeadlineHandler``), as Apache's
/// `mod_reqtimeout` rules it: the body must have arrived within ``timeout`` of its request's head,
/// extended by one second for every ``minimumRate`` bytes received.
///
/// The idle time-out restarts with every chunk of body, so a client sending a byte now and then kept
/// its connection for ever, and enough of them held every connection slot. (A head has no such
/// gap: the idle time-out sees only whole heads, so one must arrive within it.)
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

/// Closes a connection whose client sends a request body too slowly (``RequestDeadline``): one
/// timer per request, set for the deadline and moved on when it fires early (bytes arrived
/// meanwhile). An answer written before the body ended (a refusal) does not stop the clock.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let rule: RequestDeadline
    private let logger: Logger
    /// The request whose body is arriving: when its head came, and the body bytes since.
    private var body: (since: NIODeadline, bytes: Int)?
    private var timer: Scheduled<Void>?

    init(_ rule: RequestDeadline, logger: Logger) {
        self.rule = rule
        self.logger = logger
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelTimer() }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            body = (.now(), 0)
            arm(context: context)
        case .body(let buffer):
            body?.bytes &+= buffer.readableBytes
        case .end:
            body = nil
            cancelTimer()
        }
        context.fireChannelRead(data)
    }

    private func arm(context: ChannelHandlerContext) {
        cancelTimer()
        guard let body else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: rule.deadline(since: body.since, bytes: body.bytes)) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            handler.check(context: context)
        }
    }

    /// The timer fired: closes the connection when the body's deadline has passed, else waits for it.
    private func check(context: ChannelHandlerContext) {
        guard let body else { return }
        guard rule.deadline(since: body.since, bytes: body.bytes) <= .now() else { return arm(context: context) }
        logger.info(
            "connection closed: request body too slow",
            metadata: [
                "received": "\(body.bytes)", "allowed": "\(rule.minimumRate) bytes/s after \(rule.timeout.nanoseconds / 1_000_000_000) s",
            ])
        context.close(promise: nil)
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}

@available(*, unavailable)
extension RequestDeadlineHandler: Sendable {}
