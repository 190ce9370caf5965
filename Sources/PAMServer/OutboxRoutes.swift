import Foundation
import Hummingbird
import PAMCore

/// Dev convenience for the web page: `GET /api/outbox` lists the newest delivered messages (ids
/// and channels only), and `GET /outbox/{id}` shows one. Both need the API's bearer token: a
/// message holds an address and a live link, and its id alone must not be a key to it.
struct OutboxRoutes: Sendable {
    let outbox: any OutboxReader
    let authenticator: BearerAuthenticator

    func register(on router: Router<BasicRequestContext>) {
        router.get("api/outbox") { request, _ in
            _ = try await authenticator.authenticate(request)
            let entries = try outbox.recent(limit: 20).map { ["id": $0.id, "channel": $0.channel, "url": "/outbox/\($0.id)"] }
            let data = try JSONSerialization.data(withJSONObject: ["messages": entries], options: [.withoutEscapingSlashes])
            return APIRoutes.json(String(decoding: data, as: UTF8.self))
        }
        router.get("outbox/:id") { request, context in
            _ = try await authenticator.authenticate(request)
            guard let id = context.parameters.get("id"), let message = try outbox.message(id: id) else {
                throw ServerError(status: .notFound, message: "no such message")
            }
            // Shown as text so the browser displays it rather than downloading it.
            let type = message.contentType == "application/json" ? "application/json" : "text/plain; charset=utf-8"
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: message.data)))
        }
    }
}
