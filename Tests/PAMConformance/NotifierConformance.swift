import Foundation
import PAMCore
import Testing

/// What every `Notifier` must do: deliver to both channels and return a receipt free of PII.
public enum NotifierConformance {
    public static func runAll(_ notifier: any Notifier, email: String, phone: String) async throws {
        let message = PAMCore.Notification(subject: "Your PAM photos are ready", body: "Download: https://example.com/a.zip?x=1")
        for recipient in [Recipient.email(email), .phone(phone)] {
            let receipt = try await notifier.deliver(message, to: recipient)
            #expect(!receipt.messageID.isEmpty)
            #expect(!receipt.messageID.contains(email) && !receipt.messageID.contains(phone))
            #expect(!"\(recipient)".contains(email) && !"\(recipient)".contains(phone))
        }
    }
}
