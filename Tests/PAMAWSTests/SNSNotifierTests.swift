import AsyncHTTPClient
import Foundation
import Logging
import PAMCore
import PAMSigV4
import PAMTestSupport
import Testing

@testable import PAMAWS

/// `SNSNotifier` against moto.
@Suite("SNSNotifier on moto")
struct SNSNotifierTests {
    static let email = "ada.lovelace@example.com"
    static let phone = "+447700900123"

    /// A moto of its own, holding nothing but SNS: its `/moto-api/data.json` lists every model,
    /// and on the shared server an S3 object of a deleted bucket makes that listing fail (500).
    static let recordingServer = MotoServer(environmentVariable: nil, extraEnvironment: [:])

    @Test("Notifier conformance", arguments: NotifierConformance.checks)
    func conformance(_ check: NotifierConformance.Check) async throws {
        let notifier = SNSNotifier(
            client: try await Moto.client(server: Self.recordingServer), topicPrefix: Moto.uniqueName("pam-notify"),
            nameKey: Data("k1".utf8))
        let endpoint = try await Self.recordingServer.endpoint()
        try await check.run(
            NotifierConformance.Subject(notifier: notifier, email: Self.email, phone: Self.phone) { receipt, _ in
                try await Self.published(receipt, endpoint: endpoint)
            })
    }

    /// The message as moto recorded the Publish (its internal API, `/moto-api/data.json`): the
    /// topic's sent notification with the receipt's MessageId, and the topic's one subscriber.
    static func published(_ receipt: DeliveryReceipt, endpoint: URL) async throws -> DeliveredMessage {
        let topicArn = try #require(receipt.location)
        var request = HTTPClientRequest(url: endpoint.absoluteString + "/moto-api/data.json")
        request.method = .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let data = Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let sns = try #require(root["sns"] as? [String: [[String: Any]]])
        let topic = try #require(sns["Topic"]?.first { $0["arn"] as? String == topicArn })
        let sent = try #require(topic["sent_notifications"] as? [[Any]])
        let entry = try #require(sent.first { $0.first as? String == receipt.messageID })
        let subscribers = (sns["Subscription"] ?? []).filter { ($0["arn"] as? String)?.hasPrefix(topicArn + ":") == true }
        #expect(subscribers.count == 1)
        return DeliveredMessage(
            recipient: try #require(subscribers.first?["endpoint"] as? String),
            subject: entry.count > 2 ? entry[2] as? String : nil, body: try #require(entry[1] as? String))
    }

    @Test("one topic per recipient, named by a keyed hash; subscribed once; nothing about the address is logged")
    func topicPerRecipient() async throws {
        let logs = CapturedLogs()
        let client = try await Moto.client()
        let prefix = Moto.uniqueName("pam-notify")
        let notifier = SNSNotifier(client: client, topicPrefix: prefix, nameKey: Data("secret key".utf8), logger: logs.logger("sns"))
        let message = PAMCore.Notification(subject: "Your photos", body: "https://example.com/a.zip")
        let first = try await notifier.deliver(message, to: .email(Self.email))
        let second = try await notifier.deliver(message, to: .email(Self.email))
        let sms = try await notifier.deliver(message, to: .phone(Self.phone))
        #expect(first.location == second.location && first.location != sms.location)
        #expect(first.messageID != second.messageID)

        let name = notifier.topicName(for: .email(Self.email))
        #expect(name.hasPrefix(prefix + "-") && name.count == prefix.count + 33)
        // The hash part (the prefix is random: a UUID's hex could spell "ada"), deterministic here.
        let hashed = name.dropFirst(prefix.count + 1)
        #expect(!hashed.contains("ada") && !hashed.contains("example") && !name.contains("lovelace"))
        #expect(name == notifier.topicName(for: .email("Ada.Lovelace@example.com")))
        let otherKey = SNSNotifier(client: client, topicPrefix: prefix, nameKey: Data("another key".utf8))
        #expect(otherKey.topicName(for: .email(Self.email)) != name)

        // One subscription, with the address, on the recipient's topic.
        let topicArn = try #require(first.location)
        let listed = try await client.send(
            AWSClient.Request(
                service: .sns, operation: "ListSubscriptionsByTopic", method: "POST",
                headers: [SigV4Request.Field("Content-Type", "application/x-www-form-urlencoded")],
                body: Data(
                    "Action=ListSubscriptionsByTopic&Version=2010-03-31&TopicArn=\(topicArn.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                        .utf8)))
        let text = String(decoding: listed.body, as: UTF8.self)
        #expect(text.components(separatedBy: "<Endpoint>").count - 1 == 1)
        #expect(text.contains(Self.email) && text.contains("<Protocol>email</Protocol>"))

        #expect(!logs.text.isEmpty)
        // No part of the address either: "lovelace", which no hex message id or ARN can spell ("ada" can).
        #expect(
            !logs.text.contains(Self.email) && !logs.text.contains(Self.phone) && !logs.text.lowercased().contains("lovelace")
                && !logs.text.contains("7700900123"))
    }

    @Test("errors do not show the address even when the service echoes it")
    func errorsAreRedacted() async throws {
        let error = AWSServiceError(
            service: .sns, operation: "Subscribe", status: 400, code: "InvalidParameter",
            message: "Invalid parameter: Endpoint ada.lovelace@example.com is not valid")
        let mapped = SNSNotifier.map(error, redacting: Self.email)
        #expect(!"\(mapped)".contains(Self.email))
        #expect("\(mapped)".contains("InvalidParameter"))
    }
}
