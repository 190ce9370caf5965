import Foundation
import PAMCore

extension SNSEndpoint {
    /// SNS's limit for a message.
    static let maxMessageBytes = 256 * 1024
    /// The subject SNS gives e-mail when Publish has none.
    static let defaultSubject = "AWS Notification Message"

    /// Publish to a topic (`TopicArn` or `TargetArn`): one message per subscription, through the
    /// notifier; or to `PhoneNumber` directly, one SMS. Answers one `MessageId`.
    func publish(_ form: AWSQueryForm) async throws -> String {
        try Self.refuseOthers(form, action: "Publish", known: ["TopicArn", "TargetArn", "PhoneNumber", "Message", "Subject"])
        let message = try Self.required(form, "Message")
        guard !message.isEmpty else { throw Self.invalidParameter("Empty message") }
        guard message.utf8.count <= Self.maxMessageBytes else { throw Self.invalidParameter("Message too long") }
        let subject = try form["Subject"].map(Self.subject)
        let targets = [form["TopicArn"], form["TargetArn"], form["PhoneNumber"]].compactMap { $0 }
        guard targets.count == 1 else {
            throw Self.invalidParameter(
                targets.isEmpty
                    ? "TopicArn or TargetArn Reason: no value for required parameter"
                    : "TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be given")
        }
        let notification = PAMCore.Notification(subject: subject ?? Self.defaultSubject, body: message)
        if let number = form["PhoneNumber"] {
            guard let recipient = try? Recipient.phone(validating: number) else {
                throw Self.invalidParameter("PhoneNumber Reason: input incorrectly formatted (an E.164 number: + and 8 to 15 digits)")
            }
            _ = try await notifier.deliver(notification, to: recipient)
        } else {
            let parameter = form["TopicArn"] == nil ? "TargetArn" : "TopicArn"
            let name = try topicName(targets[0], parameter: parameter)
            guard try await store({ try await topics.topicExists(name) }) else { throw Self.topicNotFound }
            var after: String?
            while true {
                let page = try await store { try await topics.subscriptions(of: name, after: after, limit: Self.pageSize) }
                for subscription in page { _ = try await notifier.deliver(notification, to: subscription.recipient) }
                guard page.count == Self.pageSize else { break }
                after = page.last?.id
            }
        }
        return "<MessageId>\(UUID().uuidString.lowercased())</MessageId>"
    }

    /// SNS's subjects: 1 to 100 printable ASCII characters, no line break.
    static func subject(_ text: String) throws -> String {
        guard (1...100).contains(text.utf8.count), text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw invalidParameter("Subject")
        }
        return text
    }
}
