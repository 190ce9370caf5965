import Foundation
import Testing

/// The file-drop notifier's outbox files, read back (its own tests, and SNS on `pam serve`, which
/// delivers into the same outbox).
extension DeliveredMessage {
    /// The outbox file as a mail or SMS reader sees it: the `.eml`'s To, Subject and decoded
    /// body, or the SMS JSON's `to` and `message`.
    public init(outboxFile path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        if path.hasSuffix(".json") {
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
            self.init(recipient: try #require(json["to"]), subject: nil, body: try #require(json["message"]))
            return
        }
        let text = String(decoding: data, as: UTF8.self)
        let split = try #require(text.range(of: "\r\n\r\n"))
        let headers = text[..<split.lowerBound].components(separatedBy: "\r\n")
        func header(_ name: String) -> String? {
            headers.first { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) }
        }
        let to = try #require(header("To")).trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        var body = String(text[split.upperBound...])
        if header("Content-Transfer-Encoding") == "quoted-printable" { body = Self.decodeQuotedPrintable(body) }
        self.init(recipient: to, subject: header("Subject"), body: body)
    }

    public static func decodeQuotedPrintable(_ encoded: String) -> String {
        var bytes: [UInt8] = []
        let joined = Array(encoded.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < joined.count {
            if joined[index] == UInt8(ascii: "="), index + 2 < joined.count,
                let byte = UInt8(String(decoding: joined[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(joined[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
