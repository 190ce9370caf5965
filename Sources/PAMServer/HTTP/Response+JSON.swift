import Foundation
import Hummingbird

extension Response {
    /// A JSON answer from already encoded text.
    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A JSON answer from a `JSONSerialization` object, slashes unescaped (URLs stay readable).
    static func json(object: Any) throws -> Response {
        json(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]), as: UTF8.self))
    }
}
