import Foundation
import PAMCore
import Testing

/// A delivered message as its adapter's reader finds it where it was delivered (the outbox file,
/// the emulator's record of a publish): the raw recipient, subject (nil for SMS) and body, with
/// line ends as `\n`.
public struct DeliveredMessage: Sendable, Hashable {
    public var recipient: String
    public var subject: String?
    public var body: String

    public init(recipient: String, subject: String?, body: String) {
        self.recipient = recipient
        self.subject = subject
        self.body = body.replacingOccurrences(of: "\r\n", with: "\n")
    }
}

/// What every `Notifier` must do: deliver to both channels exactly the message it was given (to
/// the right recipient), with nothing of a hostile text able to forge lines, headers or the
/// reading order, and return a receipt free of PII.
public enum NotifierConformance {
    /// What a check runs on: the notifier, an address and a number to deliver to, and `read`,
    /// which finds the delivered message from its receipt, the way the adapter's users would.
    public struct Subject: Sendable {
        public var notifier: any Notifier
        public var email: String
        public var phone: String
        public var read: @Sendable (DeliveryReceipt, Recipient) async throws -> DeliveredMessage

        public init(
            notifier: any Notifier, email: String, phone: String,
            read: @escaping @Sendable (DeliveryReceipt, Recipient) async throws -> DeliveredMessage
        ) {
            self.notifier = notifier
            self.email = email
            self.phone = phone
            self.read = read
        }
    }

    public typealias Check = ConformanceCheck<Subject>

    /// Every check, for one parameterized test per adapter.
    public static let checks: [Check] = [
        Check("both channels get exactly the message, with a receipt free of PII") {
            try await deliversTheMessage($0.notifier, email: $0.email, phone: $0.phone, read: $0.read)
        },
        Check("control, line-forging and bidi characters never reach the message") {
            try await hostileTextIsNeutralised($0.notifier, email: $0.email, phone: $0.phone, read: $0.read)
        },
    ]

    public static func deliversTheMessage(
        _ notifier: any Notifier, email: String, phone: String,
        read: (DeliveryReceipt, Recipient) async throws -> DeliveredMessage
    ) async throws {
        let body =
            "Your bundle of 2 photos labelled Sky, Water is ready.\n\nDownload it within 24 hours:\nhttps://example.com/a.zip?x=1&y=a%2Fb c"
        let message = PAMCore.Notification(subject: "Your PAM photos are ready", body: body)
        for recipient in [Recipient.email(email), .phone(phone)] {
            let receipt = try await notifier.deliver(message, to: recipient)
            #expect(!receipt.messageID.isEmpty)
            #expect(!receipt.messageID.contains(email) && !receipt.messageID.contains(phone))
            #expect(!"\(recipient)".contains(email) && !"\(recipient)".contains(phone))
            let delivered = try await read(receipt, recipient)
            #expect(delivered.recipient == (recipient == .email(email) ? email : phone))
            #expect(trimmed(delivered.body) == body)
            if case .email = recipient { #expect(delivered.subject == "Your PAM photos are ready") }
        }
    }

    /// CR/LF, a fake header block, a lone "." line, C0/C1 controls and bidi overrides do not
    /// reach the delivered message; the visible text around them does.
    public static func hostileTextIsNeutralised(
        _ notifier: any Notifier, email: String, phone: String,
        read: (DeliveryReceipt, Recipient) async throws -> DeliveredMessage
    ) async throws {
        let body =
            "labelled Flower, x\r\nBcc: evil@example.com\r\n\r\nURGENT: sign in at\u{202E}moc.live\u{202C} now\n.\nend\u{7}\u{85}\u{2066}x\u{2069}\u{200F}\u{61C}"
        let subject = "Ready\r\nBcc: evil@example.com\u{0}"
        for recipient in [Recipient.email(email), .phone(phone)] {
            let delivered = try await read(
                try await notifier.deliver(PAMCore.Notification(subject: subject, body: body), to: recipient), recipient)
            #expect(trimmed(delivered.body) == "labelled Flower, x\nBcc: evil@example.com\n\nURGENT: sign in atmoc.live now\n .\nend\nx")
            if case .email = recipient { #expect(delivered.subject == "Ready Bcc: evil@example.com") }
            let forbidden = delivered.body.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
                    || [0x61C, 0x200E, 0x200F].contains($0.value) || (0x202A...0x202E).contains($0.value)
                    || (0x2066...0x2069).contains($0.value)
            }
            #expect(forbidden.isEmpty)
            #expect(!delivered.body.split(separator: "\n", omittingEmptySubsequences: false).contains("."))
        }
    }

    static func trimmed(_ text: String) -> String {
        var text = text
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
