import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Closes the connection once a response that says `Connection: close` has been written.
///
/// Hummingbird honours `Connection: close` only when the *request* carries it; after any other
/// answer it reads (and discards) the rest of the request body, for as long as the client sends
/// it. An early 413 must not do that: the server has refused the body, so once the refusal is on
/// the wire it ends its side (FIN, so the client reads the answer and then the end), keeps
/// discarding what is still in flight for `linger`, so that the client is not reset before it has
/// read the answer, and then closes the connection.
final class CloseAfterResponseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let linger: TimeAmount
    private var closeAfterEnd = false

    init(linger: TimeAmount = .seconds(2)) {
        self.linger = linger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            closeAfterEnd = head.headerFields[.connection]?.lowercased() == "close"
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closeAfterEnd else {
                context.write(data, promise: promise)
                return
            }
            closeAfterEnd = false
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.writeAndFlush(data, promise: written)
            let channelContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let linger = self.linger
            written.futureResult.whenComplete { _ in
                let context = channelContext.value
                context.close(mode: .output, promise: nil)
                context.eventLoop.scheduleTask(in: linger) { channelContext.value.close(promise: nil) }
            }
        }
    }
}

@available(*, unavailable)
extension CloseAfterResponseHandler: Sendable {}
