import Foundation
import PAMTestSupport
import Testing

/// `pam serve`'s SNS driven by boto3 and the aws CLI: topics and subscriptions kept in the state
/// (across a `kill -9`), Publish delivering into the app's outbox as its notifier does, SNS's
/// refusals, and no address in the server's log.
@Suite("AWS endpoint (SNS)", .serialized)
struct SNSEndpointTests {
    static let email = "ada.lovelace@example.com"
    static let phone = "+447700900123"

    /// The outbox's messages: name → contents.
    static func outbox(_ server: ServerProcess) throws -> [String: String] {
        let folder = server.state.appendingPathComponent("outbox")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try Dictionary(
            uniqueKeysWithValues: names.map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) })
    }

    @Test("boto3: topics, e-mail and SMS subscriptions, Publish into the outbox (RFC 5322 and JSON), SNS's refusals; no address logged")
    func boto3() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let result = try await clients.python(
                """
                from botocore.config import Config
                sns = boto3.client("sns", config=Config(retries={"total_max_attempts": 1}))
                email, phone = sys.argv[1], sys.argv[2]
                arn = sns.create_topic(Name="photo-bundles")["TopicArn"]
                assert arn == "arn:aws:sns:us-east-1:000000000000:photo-bundles", arn
                assert sns.create_topic(Name="photo-bundles")["TopicArn"] == arn
                other = sns.create_topic(Name="other_topic-2")["TopicArn"]
                assert [t["TopicArn"] for t in sns.list_topics()["Topics"]] == [other, arn]
                mail = sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=email, ReturnSubscriptionArn=True)["SubscriptionArn"]
                text = sns.subscribe(TopicArn=arn, Protocol="sms", Endpoint=phone)["SubscriptionArn"]
                assert mail.startswith(arn + ":") and text.startswith(arn + ":") and mail != text, (mail, text)
                assert sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=email)["SubscriptionArn"] == mail
                listed = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
                assert sorted((s["Protocol"], s["Endpoint"], s["SubscriptionArn"], s["TopicArn"], s["Owner"]) for s in listed) == [
                    ("email", email, mail, arn, "000000000000"), ("sms", phone, text, arn, "000000000000")], listed
                assert len(sns.list_subscriptions()["Subscriptions"]) == 2
                assert sns.list_subscriptions_by_topic(TopicArn=other)["Subscriptions"] == []

                published = sns.publish(TopicArn=arn, Subject="Your photos are ready", Message="Download: https://example.com/b.zip")
                assert len(published["MessageId"]) == 36, published
                sns.publish(PhoneNumber=phone, Message="Direct text")
                sns.publish(TopicArn=other, Message="nobody listens")

                sns.unsubscribe(SubscriptionArn=text)
                assert [s["Protocol"] for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]] == ["email"]
                sns.delete_topic(TopicArn=other)
                sns.delete_topic(TopicArn=other)
                assert [t["TopicArn"] for t in sns.list_topics()["Topics"]] == [arn]

                gone = "arn:aws:sns:us-east-1:000000000000:gone"
                checks = [
                    (refusal(sns.publish, TopicArn=other, Message="x"), (404, "NotFound", "Topic does not exist")),
                    (refusal(sns.subscribe, TopicArn=gone, Protocol="email", Endpoint=email), (404, "NotFound", "Topic does not exist")),
                    (refusal(sns.list_subscriptions_by_topic, TopicArn=gone), (404, "NotFound", "Topic does not exist")),
                    (refusal(sns.unsubscribe, SubscriptionArn=text), (404, "NotFound", "Subscription does not exist")),
                    (refusal(sns.subscribe, TopicArn=arn, Protocol="email", Endpoint="not-an-address"),
                        (400, "InvalidParameter", "Invalid parameter: Email address")),
                    (refusal(sns.subscribe, TopicArn=arn, Protocol="sms", Endpoint="12345")[:2], (400, "InvalidParameter")),
                    (refusal(sns.subscribe, TopicArn=arn, Protocol="carrier-pigeon", Endpoint=email),
                        (400, "InvalidParameter", "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon")),
                    (refusal(sns.subscribe, TopicArn=arn, Protocol="https", Endpoint="https://example.com/hook")[:2], (501, "NotImplemented")),
                    (refusal(sns.create_topic, Name="no spaces"), (400, "InvalidParameter", "Invalid parameter: Topic Name")),
                    (refusal(sns.create_topic, Name="tagged", Tags=[{"Key": "a", "Value": "b"}]),
                        (501, "NotImplemented", "SNS CreateTopic with Tags is not implemented by PAM's AWS endpoint")),
                    (refusal(sns.publish, TopicArn="arn:aws:sns:eu-west-1:000000000000:photo-bundles", Message="x")[:2],
                        (400, "InvalidParameter")),
                    (refusal(sns.publish, TopicArn=arn, Message=""), (400, "InvalidParameter", "Invalid parameter: Empty message")),
                    (refusal(sns.publish, TopicArn=arn, Message="x", Subject="two\\nlines"), (400, "InvalidParameter", "Invalid parameter: Subject")),
                    (refusal(sns.publish, PhoneNumber="+0123", Message="x")[:2], (400, "InvalidParameter")),
                    (refusal(sns.get_topic_attributes, TopicArn=arn), (501, "NotImplemented", "SNS GetTopicAttributes is not implemented by PAM's AWS endpoint")),
                ]
                for got, want in checks:
                    assert got == want, (got, want)
                    assert email not in str(got) and phone not in str(got), got
                print("ok")
                """, [Self.email, Self.phone])
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)\n\(server.log())")

            let messages = try Self.outbox(server)
            let mails = messages.filter { $0.key.hasSuffix(".eml") }.map(\.value)
            let texts = messages.filter { $0.key.hasSuffix(".json") }.map(\.value)
            #expect(mails.count == 1 && texts.count == 2, "\(messages.keys.sorted())")
            let mail = try #require(mails.first)
            #expect(mail.contains("To: <\(Self.email)>\r\n") && mail.contains("Subject: Your photos are ready\r\n"), "\(mail)")
            #expect(mail.contains("\r\n\r\nDownload: https://example.com/b.zip\r\n"), "\(mail)")
            let sms = try texts.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]) }
            #expect(Set(sms.map { $0["message"] ?? "" }) == ["Download: https://example.com/b.zip", "Direct text"], "\(texts)")
            #expect(sms.allSatisfy { $0["to"] == Self.phone })

            // The log names the operations, never an address.
            let log = server.log()
            #expect(log.contains("aws sns Subscribe") && log.contains("aws sns Publish"), "\(log)")
            #expect(!log.contains(Self.email) && !log.contains(Self.phone) && !log.contains("ada.lovelace"), "\(log)")
        }
    }

    @Test("aws CLI: create-topic, subscribe, list-subscriptions-by-topic, publish, delete-topic")
    func awsCLI() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let created = try await clients.aws(["sns", "create-topic", "--name", "cli-topic", "--output", "text"])
            try #require(created.status == 0, "\(created.transcript)")
            let arn = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(arn == "arn:aws:sns:us-east-1:000000000000:cli-topic")
            let subscribed = try await clients.aws([
                "sns", "subscribe", "--topic-arn", arn, "--protocol", "email", "--notification-endpoint", Self.email,
            ])
            #expect(subscribed.status == 0, "\(subscribed.transcript)")
            let listed = try await clients.aws(["sns", "list-subscriptions-by-topic", "--topic-arn", arn, "--output", "json"])
            #expect(listed.status == 0 && listed.output.contains(Self.email), "\(listed.transcript)")
            let published = try await clients.aws([
                "sns", "publish", "--topic-arn", arn, "--subject", "From the CLI", "--message", "Hello from the aws CLI",
            ])
            #expect(published.status == 0 && published.output.contains("MessageId"), "\(published.transcript)")
            let mails = try Self.outbox(server).filter { $0.key.hasSuffix(".eml") }.map(\.value)
            #expect(mails.count == 1 && mails.first?.contains("Subject: From the CLI\r\n") == true, "\(mails)")
            let deleted = try await clients.aws(["sns", "delete-topic", "--topic-arn", arn])
            #expect(deleted.status == 0, "\(deleted.transcript)")
            let topics = try await clients.aws(["sns", "list-topics", "--output", "json"])
            #expect(topics.status == 0 && !topics.output.contains("cli-topic"), "\(topics.transcript)")
        }
    }

    @Test("topics and subscriptions survive kill -9 and a restart; Publish after it still delivers")
    func restart() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let script = """
            sns = boto3.client("sns")
            arn = sns.create_topic(Name="kept")["TopicArn"]
            sns.subscribe(TopicArn=arn, Protocol="sms", Endpoint=sys.argv[1])
            print("ok")
            """
        let before = try await AWSClients(server: server).python(script, [Self.phone])
        #expect(before.status == 0 && before.output.contains("ok"), "\(before.transcript)")
        try await server.stop(SIGKILL)
        try await server.start()
        let after = try await AWSClients(server: server).python(
            """
            sns = boto3.client("sns")
            arn = "arn:aws:sns:us-east-1:000000000000:kept"
            assert [t["TopicArn"] for t in sns.list_topics()["Topics"]] == [arn]
            assert [s["Endpoint"] for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]] == [sys.argv[1]]
            sns.publish(TopicArn=arn, Message="after the restart")
            print("ok")
            """, [Self.phone])
        #expect(after.status == 0 && after.output.contains("ok"), "\(after.transcript)\n\(server.log())")
        let texts = try Self.outbox(server).filter { $0.key.hasSuffix(".json") }.map(\.value)
        #expect(texts.count == 1 && texts.first?.contains("after the restart") == true, "\(texts)")
        try await server.stop()
    }
}
