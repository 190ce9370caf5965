import Crypto
import Foundation
import Logging
import PAMCore
import PAMSigV4

/// `Notifier` on Amazon SNS, one topic per recipient as the reference design has it: the topic is
/// created (idempotently) and subscribed to the address or number, then the message is published.
///
/// The topic's name is `<prefix>-<keyed hash of the address>`, so it says nothing about the address
/// without the key; the address appears only in the Subscribe call and never in logs or errors.
/// On real SNS an e-mail subscription must be confirmed by its owner before messages arrive.
public struct SNSNotifier: Notifier {
    public let client: AWSClient
    /// The start of every topic name (the reference's `NOTIFICATION_TOPIC`).
    public let topicPrefix: String
    private let nameKey: Data
    let logger: Logger

    static let version = "2010-03-31"

    /// `nameKey` keys the hash that names topics; keep it secret and stable, or recipients get new
    /// topics.
    public init(client: AWSClient, topicPrefix: String, nameKey: Data, logger: Logger = Logger(label: "pam.sns")) {
        self.client = client
        let cleaned = topicPrefix.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        self.topicPrefix = String((cleaned.isEmpty ? "pam-notify" : cleaned).prefix(200))
        self.nameKey = nameKey
        self.logger = logger
    }

    public func deliver(_ notification: PAMCore.Notification, to recipient: Recipient) async throws -> DeliveryReceipt {
        let (channel, address) =
            switch recipient {
            case .email(let address): ("email", address)
            case .phone(let number): ("sms", number)
            }
        do {
            let topicArn = try await createTopic(topicName(for: recipient))
            if try await !isSubscribed(topicArn, channel: channel, address: address) {
                _ = try await client.callQuery(
                    .sns, action: "Subscribe", version: Self.version,
                    parameters: [
                        ("TopicArn", topicArn), ("Protocol", channel), ("Endpoint", address), ("ReturnSubscriptionArn", "true"),
                    ])
            }
            // No control or bidi character, and no lone "." line, reaches the message (defence in depth).
            var parameters = [("TopicArn", topicArn), ("Message", MessageText.body(notification.body))]
            if channel == "email" { parameters.append(("Subject", Self.subject(notification.subject))) }
            let published = try await client.callQuery(.sns, action: "Publish", version: Self.version, parameters: parameters)
            guard let messageID = published.value("MessageId"), !messageID.isEmpty else {
                throw PAMError(.notification, "SNS Publish answered without a MessageId")
            }
            logger.info("notification published", metadata: ["channel": "\(channel)", "message": "\(messageID)"])
            return DeliveryReceipt(messageID: messageID, location: topicArn)
        } catch {
            throw Self.map(error, redacting: address)
        }
    }

    /// `<prefix>-<32 hex digits of HMAC-SHA256(key, channel:address)>`; addresses are compared
    /// case-insensitively for e-mail.
    public func topicName(for recipient: Recipient) -> String {
        let identity =
            switch recipient {
            case .email(let address): "email:" + address.lowercased()
            case .phone(let number): "sms:" + number
            }
        let digest = HMAC<SHA256>.authenticationCode(for: Data(identity.utf8), using: SymmetricKey(data: nameKey))
        return topicPrefix + "-" + String(Data(digest).hexString.prefix(32))
    }

    /// A topic-naming key derived from the secret access key, for when no key is configured (it
    /// changes when the key is rotated, and recipients then get new topics).
    public static func nameKey(derivedFrom credentials: AWSCredentials) -> Data {
        let secret = SymmetricKey(data: Data(credentials.secretAccessKey.utf8))
        return Data(HMAC<SHA256>.authenticationCode(for: Data("pam-sns-topic-names".utf8), using: secret))
    }

    func createTopic(_ name: String) async throws -> String {
        let result = try await client.callQuery(.sns, action: "CreateTopic", version: Self.version, parameters: [("Name", name)])
        guard let arn = result.value("TopicArn"), !arn.isEmpty else {
            throw PAMError(.notification, "SNS CreateTopic answered without a TopicArn")
        }
        return arn
    }

    private func isSubscribed(_ topicArn: String, channel: String, address: String) async throws -> Bool {
        var token: String?
        repeat {
            var parameters = [("TopicArn", topicArn)]
            if let token { parameters.append(("NextToken", token)) }
            let result = try await client.callQuery(.sns, action: "ListSubscriptionsByTopic", version: Self.version, parameters: parameters)
            for member in result.child("Subscriptions")?.children("member") ?? []
            where member.value("Protocol") == channel && member.value("Endpoint")?.lowercased() == address.lowercased() {
                return true
            }
            token = result.value("NextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return false
    }

    /// SNS subjects: ASCII without line breaks, at most 100 characters (controls and bidi
    /// characters dropped first, a line break one space).
    static func subject(_ text: String) -> String {
        let cleaned = String(
            MessageText.line(text).unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : " " })
        return String(cleaned.prefix(100))
    }

    /// A `PAMError` without the address, even when the service echoed it.
    static func map(_ error: any Error, redacting address: String) -> any Error {
        func redact(_ text: String) -> String { text.replacingOccurrences(of: address, with: "<recipient>", options: .caseInsensitive) }
        switch error {
        case let error as AWSServiceError:
            var clean = error
            clean.message = redact(error.message)
            return PAMError(.notification, "SNS \(error.operation) failed: \(error.code): \(clean.message)", underlying: clean)
        case let error as AWSTransportError:
            return PAMError(
                .notification, "SNS \(error.operation) failed: the service could not be reached",
                underlying: SendableErrorBox(redacting: error, address))
        case let error as PAMError:
            return error
        default:
            return PAMError(.notification, "SNS delivery failed", underlying: SendableErrorBox(redacting: error, address))
        }
    }
}

extension SendableErrorBox {
    init(redacting error: any Error, _ secret: String) {
        self.init(RedactedText(text: "\(error)".replacingOccurrences(of: secret, with: "<recipient>", options: .caseInsensitive)))
    }

    private struct RedactedText: Error, CustomStringConvertible {
        let text: String
        var description: String { text }
    }
}
