import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Closes the connection of a client that sends a request body too slowly (``RequestDeadline``),
/// so that a trickle of bytes cannot hold a connection slot for ever: the idle time-out restarts
/// with every body chunk. (Heads need no rule of their own: the idle time-out sees whole heads
/// only, so one must arrive within it.)
///
/// The client is charged only for time the server was reading: while the server asks for no more
/// bytes (the route has not taken the body yet, a pipelined request waits behind an answer) the
/// clock stands still. One timer per request, set once a read leaves the body unfinished and
/// moved on when it fires early (bytes arrived meanwhile, or the server was not reading). An answer
/// written before the body ended (a refusal) does not stop it, and from then on the body is charged
/// by the clock: a server that has answered may never read that body (after `Connection: close`
/// Hummingbird stops reading), and the client must not hold the connection on that account.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The request whose body is arriving: when its head came, the body bytes since, the time
    /// since then that the server was not reading, and whether it has been answered already.
    private struct Body {
        var since: NIODeadline
        var bytes = 0
        var notReading = TimeAmount.zero
        var answered = false
    }

    private let rule: RequestDeadline
    private let logger: Logger
    private var body: Body?
    /// Since when the server has asked for no bytes (a read served, none asked for since).
    private var notReadingSince: NIODeadline?
    private var timer: Scheduled<Void>?

    init(_ rule: RequestDeadline, logger: Logger) {
        self.rule = rule
        self.logger = logger
    }

    func handlerRemoved(context: ChannelHandlerContext) { stop() }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: body = Body(since: .now())
        case .body(let buffer): body?.bytes &+= buffer.readableBytes
        case .end:
            body = nil
            cancelTimer()
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        notReadingSince = now
        // Only a body still unfinished after a read needs a timer (most requests end in their first read).
        if timer == nil, let deadline = deadline(now: now) { arm(at: deadline, context: context) }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { body?.answered = true }
        context.write(data, promise: promise)
    }

    func read(context: ChannelHandlerContext) {
        if let since = notReadingSince, let current = body, !current.answered {
            body?.notReading = current.notReading + (.now() - max(since, current.since))
        }
        notReadingSince = nil
        context.read()
    }

    /// The body's deadline, the time the server was not reading (so far) added.
    private func deadline(now: NIODeadline) -> NIODeadline? {
        guard let body else { return nil }
        let pause = body.answered ? .zero : notReadingSince.map { now - max($0, body.since) } ?? .zero
        return rule.deadline(since: body.since + body.notReading + pause, bytes: body.bytes)
    }

    private func arm(at deadline: NIODeadline, context: ChannelHandlerContext) {
        cancelTimer()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            handler.check(context: context)
        }
    }

    /// The timer fired: closes the connection when the body's deadline has passed, else waits for it
    /// (while the server is not reading, for another time-out).
    private func check(context: ChannelHandlerContext) {
        guard context.channel.isActive, let body else { return }
        let now = NIODeadline.now()
        if notReadingSince != nil, !body.answered { return arm(at: now + rule.timeout, context: context) }
        guard let deadline = deadline(now: now) else { return }
        guard deadline <= now else { return arm(at: deadline, context: context) }
        logger.info(
            "connection closed: request body too slow",
            metadata: [
                "received": "\(body.bytes)",
                "allowed": "\(rule.minimumRate) bytes/s after \(Double(rule.timeout.nanoseconds) / 1e9) s",
            ])
        context.close(promise: nil)
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }

    private func stop() {
        body = nil
        cancelTimer()
    }
}

@available(*, unavailable)
extension RequestDeadlineHandler: Sendable {}
