import Foundation

/// A recipient's subscription to a topic (the AWS endpoint's SNS). It holds the address: the one
/// place besides a delivered message where PAM keeps one, because delivering to the topic needs it.
public struct TopicSubscription: Sendable, Hashable, CustomStringConvertible {
    /// Opaque and unique (a lower-case UUID).
    public var id: String
    public var topic: String
    public var recipient: Recipient

    public init(id: String, topic: String, recipient: Recipient) {
        self.id = id
        self.topic = topic
        self.recipient = recipient
    }

    /// Without the address (`Recipient`'s description hides it).
    public var description: String { "subscription \(id) of \(topic) (\(recipient))" }
}

/// Named topics and their subscribers, kept across restarts (SNS's topics in AWS).
public protocol TopicRegistry: Sendable {
    /// Creates the topic unless it exists (creating it again changes nothing).
    func createTopic(_ name: String) async throws
    func topicExists(_ name: String) async throws -> Bool
    /// Topic names in ascending order, those after `after` (exclusive), at most `limit`.
    func topics(after: String?, limit: Int) async throws -> [String]
    /// Deletes the topic and its subscriptions; deleting an absent topic succeeds.
    func deleteTopic(_ name: String) async throws
    /// Subscribes `recipient` to `topic`; the same recipient on the same topic keeps its one
    /// subscription (which is returned). Throws `.notFound` when the topic does not exist.
    func subscribe(_ recipient: Recipient, to topic: String) async throws -> TopicSubscription
    /// Removes the subscription; false when there is none with this id.
    func unsubscribe(id: String) async throws -> Bool
    /// Subscriptions of `topic` (of every topic when nil) in ascending id order, those after
    /// `after` (exclusive), at most `limit`.
    func subscriptions(of topic: String?, after: String?, limit: Int) async throws -> [TopicSubscription]
}
