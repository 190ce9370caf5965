import Foundation

/// Where a notification goes. The address is PII: it is never logged or stored outside the
/// delivered message, so `description` does not show it.
public enum Recipient: Sendable, Hashable, CustomStringConvertible {
    case email(String)
    case phone(String)

    /// A validated e-mail address (a pragmatic subset of RFC 5322's addr-spec).
    public static func email(validating address: String) throws -> Recipient {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let allowedLocal = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-")
        let allowedDomain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        guard address.utf8.count <= 254, parts.count == 2,
            let local = parts.first, let domain = parts.last,
            !local.isEmpty, local.utf8.count <= 64, !domain.isEmpty,
            local.unicodeScalars.allSatisfy(allowedLocal.contains),
            domain.unicodeScalars.allSatisfy(allowedDomain.contains),
            !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
            domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
            !domain.hasPrefix("-")
        else { throw PAMError(.invalidArgument, "the e-mail address is not valid") }
        return .email(address)
    }

    /// A validated E.164 phone number: `+` then 8 to 15 digits, the first not 0.
    public static func phone(validating number: String) throws -> Recipient {
        let digits = number.dropFirst()
        guard number.hasPrefix("+"), (8...15).contains(digits.count),
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0"
        else { throw PAMError(.invalidArgument, "the phone number is not a valid E.164 number (+ and 8 to 15 digits)") }
        return .phone(number)
    }

    /// "email" or "sms": safe to log.
    public var channel: String {
        switch self {
        case .email: "email"
        case .phone: "sms"
        }
    }

    public var description: String { "<\(channel) recipient>" }
}

/// A message to deliver: a subject and a text body holding the download link.
public struct Notification: Sendable, Hashable {
    public var subject: String
    public var body: String

    public init(subject: String, body: String) {
        self.subject = subject
        self.body = body
    }
}

/// Proof of delivery, free of PII.
public struct DeliveryReceipt: Sendable, Hashable {
    /// An opaque message id.
    public var messageID: String
    /// Where the message can be found (the outbox file for local delivery), if anywhere.
    public var location: String?

    public init(messageID: String, location: String? = nil) {
        self.messageID = messageID
        self.location = location
    }
}

/// Delivers a message to an e-mail address or phone number (SNS in AWS).
public protocol Notifier: Sendable {
    func deliver(_ notification: Notification, to recipient: Recipient) async throws -> DeliveryReceipt
}
