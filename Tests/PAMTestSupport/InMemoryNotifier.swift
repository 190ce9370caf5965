import Foundation
import PAMCore

/// A `Notifier` that keeps what it delivers, cleaned as every adapter cleans it (`MessageText`),
/// for tests to read back by receipt. Passes `NotifierConformance`.
public actor InMemoryNotifier: Notifier {
    /// One delivered message.
    public struct Delivery: Sendable {
        public var recipient: Recipient
        public var notification: PAMCore.Notification
        public var receipt: DeliveryReceipt
    }

    /// Everything delivered, oldest first.
    public private(set) var deliveries: [Delivery] = []

    public init() {}

    public func deliver(_ notification: PAMCore.Notification, to recipient: Recipient) async throws -> DeliveryReceipt {
        let cleaned = PAMCore.Notification(subject: MessageText.line(notification.subject), body: MessageText.body(notification.body))
        let id = UUID().uuidString.lowercased()
        let receipt = DeliveryReceipt(messageID: id, location: "in-memory:\(id)")
        deliveries.append(Delivery(recipient: recipient, notification: cleaned, receipt: receipt))
        return receipt
    }

    /// The message a receipt speaks for, as its recipient reads it (no subject by SMS).
    public func message(for receipt: DeliveryReceipt) -> DeliveredMessage? {
        guard let delivery = deliveries.first(where: { $0.receipt == receipt }) else { return nil }
        switch delivery.recipient {
        case .email(let address):
            return DeliveredMessage(recipient: address, subject: delivery.notification.subject, body: delivery.notification.body)
        case .phone(let number):
            return DeliveredMessage(recipient: number, subject: nil, body: delivery.notification.body)
        }
    }
}
