import Foundation
import Logging
import PAMCore

/// Delivers notifications as files in the outbox folder: an RFC 5322 `.eml` for e-mail, a small
/// `.json` for SMS. The address is written only inside the message file — never into its name,
/// the logs, or anywhere else.
public struct FileDropNotifier: Notifier {
    let outbox: URL
    let temporary: URL
    let sender: String
    let clock: any WallClock
    let logger: Logger

    public init(
        state: StateDirectory, sender: String = "PAM <no-reply@pam.localhost>", clock: any WallClock = SystemClock(),
        logger: Logger = Logger(label: "pam.notifier")
    ) throws {
        try state.create()
        self.outbox = state.outbox
        self.temporary = state.temporary
        self.sender = sender
        self.clock = clock
        self.logger = logger
    }

    public func deliver(_ notification: PAMCore.Notification, to recipient: Recipient) async throws -> DeliveryReceipt {
        // Defence in depth: whatever the caller put in, no control or bidi character, no header
        // line and no lone "." line reaches the message.
        let notification = PAMCore.Notification(subject: MessageText.line(notification.subject), body: MessageText.body(notification.body))
        let now = clock.now()
        let id = UUID().uuidString.lowercased()
        let stamp = DateText.compact(now)
        let file: URL
        let contents: Data
        switch recipient {
        case .email(let address):
            file = outbox.appendingPathComponent("\(stamp)-\(id).eml")
            contents = Data(email(notification, to: address, id: id, date: now).utf8)
        case .phone(let number):
            file = outbox.appendingPathComponent("\(stamp)-\(id).json")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            contents = try encoder.encode(SMS(id: id, to: number, sentAt: DateText.iso8601(now), message: notification.body))
        }
        do {
            // The message holds the address and a live link: readable by its owner only.
            try AtomicFile.write(contents, to: file, temporaryFolder: temporary, permissions: 0o600)
        } catch {
            throw PAMError(.notification, "cannot write the message to the outbox", path: file.path, underlying: error)
        }
        logger.info("message delivered to outbox", metadata: ["channel": "\(recipient.channel)"])
        return DeliveryReceipt(messageID: id, location: file.path)
    }

    private struct SMS: Encodable {
        var id: String
        var to: String
        var sentAt: String
        var message: String
    }

    /// A plain-text RFC 5322 message (CRLF line ends, RFC 2047 subject); the body is sent as is
    /// when it is ASCII with short enough lines, else quoted-printable.
    func email(_ notification: PAMCore.Notification, to address: String, id: String, date: Date) -> String {
        let headers = [
            "From: \(sender)",
            "To: <\(address)>",
            "Subject: \(MailEncoding.headerWord(notification.subject))",
            "Date: \(DateText.email(date))",
            "Message-ID: <\(id)@pam.localhost>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(MailEncoding.transferEncoding(for: notification.body))",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + MailEncoding.encodeBody(notification.body) + "\r\n"
    }
}
