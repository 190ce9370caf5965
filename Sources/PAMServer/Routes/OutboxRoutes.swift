import Foundation
import Hummingbird
import PAMCore

/// Dev convenience for the web page: `GET /api/outbox` lists the newest delivered messages (ids
/// and channels only), and `GET /outbox/{id}` shows one. Registered behind the API's
/// `BearerAuthenticationMiddleware`: a message holds an address and a live link, and its id alone
/// must not be a key to it.
struct OutboxRoutes: Sendable {
    let outbox: any OutboxReader

    func register(on router: some RouterMethods<PAMRequestContext>) {
        router.get("api/outbox") { _, _ in
            let entries = try outbox.recent(limit: 20).map { ["id": $0.id, "channel": $0.channel, "url": "/outbox/\($0.id)"] }
            return try Response.json(object: ["messages": entries])
        }
        router.get("outbox/:id") { _, context in
            guard let id = context.parameters.get("id"), let message = try outbox.message(id: id) else {
                throw ServerError(status: .notFound, message: "no such message")
            }
            // Shown as text so the browser displays it rather than downloading it.
            let type = message.contentType == "application/json" ? "application/json" : "text/plain; charset=utf-8"
            return Response(
                status: .ok, headers: [.contentType: type, .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: message.data)))
        }
    }
}
