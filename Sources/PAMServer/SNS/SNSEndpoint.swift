import Foundation
import Hummingbird
import PAMCore

/// The AWS endpoint's SNS (query protocol, form-encoded `Action=…` bodies, XML answers): topics and
/// their e-mail and SMS subscriptions, kept in a `TopicRegistry`, and Publish, which delivers one
/// message per subscription (or to a phone number directly) through the app's own notifier — an
/// RFC 5322 file in the outbox for e-mail, a JSON file for SMS. Subscriptions are confirmed at
/// once (no confirmation message). Addresses never appear in answers other than the
/// subscription listings, nor in errors or logs. Other actions answer 501 `NotImplemented`.
struct SNSEndpoint: AWSServiceEndpoint {
    let service = "sns"
    let wire = AWSWireProtocol.query(namespace: "http://sns.amazonaws.com/doc/2010-03-31/")
    let topics: any TopicRegistry
    let notifier: any Notifier
    /// The region the ARNs name (the endpoint's).
    let region: String

    /// The account every ARN names (as LocalStack's and moto's).
    static let account = "000000000000"
    /// SNS's page size for ListTopics and the subscription listings.
    static let pageSize = 100

    func operation(of call: AWSServiceCall) -> String? { Self.form(call)["Action"] }

    static func form(_ call: AWSServiceCall) -> AWSQueryForm {
        let path = call.head.path ?? ""
        let query = path.firstIndex(of: "?").map { String(path[path.index(after: $0)...]) }
        return AWSQueryForm(query: query, body: String(buffer: call.body))
    }

    func respond(to call: AWSServiceCall) async throws -> Response {
        let form = Self.form(call)
        guard let action = form["Action"], !action.isEmpty else {
            throw AWSServiceFault("MissingAction", "Missing Action")
        }
        let result: String
        switch action {
        case "CreateTopic": result = try await createTopic(form)
        case "ListTopics": result = try await listTopics(form)
        case "DeleteTopic": result = try await deleteTopic(form)
        case "Subscribe": result = try await subscribe(form)
        case "Unsubscribe": result = try await unsubscribe(form)
        case "ListSubscriptionsByTopic": result = try await listSubscriptions(form, ofTopic: true)
        case "ListSubscriptions": result = try await listSubscriptions(form, ofTopic: false)
        case "Publish": result = try await publish(form)
        default: throw AWSServiceFault.notImplemented("SNS \(action)")
        }
        return wire.queryResult(action: action, result: result, requestID: call.requestID)
    }

    // MARK: Topics

    func createTopic(_ form: AWSQueryForm) async throws -> String {
        try Self.refuseOthers(form, action: "CreateTopic", known: ["Name"])
        let name = try Self.required(form, "Name")
        if name.hasSuffix(".fifo") { throw AWSServiceFault.notImplemented("SNS FIFO topics") }
        guard Self.isTopicName(name) else { throw Self.invalidParameter("Topic Name") }
        try await store { try await topics.createTopic(name) }
        return "<TopicArn>\(Markup.escape(topicARN(name)))</TopicArn>"
    }

    func listTopics(_ form: AWSQueryForm) async throws -> String {
        try Self.refuseOthers(form, action: "ListTopics", known: ["NextToken"])
        let names = try await store { try await topics.topics(after: form["NextToken"], limit: Self.pageSize + 1) }
        let page = names.prefix(Self.pageSize)
        let members = page.map { "<member><TopicArn>\(Markup.escape(topicARN($0)))</TopicArn></member>" }.joined()
        let next = names.count > Self.pageSize ? page.last.map { "<NextToken>\(Markup.escape($0))</NextToken>" } ?? "" : ""
        return "<Topics>\(members)</Topics>\(next)"
    }

    func deleteTopic(_ form: AWSQueryForm) async throws -> String {
        try Self.refuseOthers(form, action: "DeleteTopic", known: ["TopicArn"])
        let name = try topicName(try Self.required(form, "TopicArn"), parameter: "TopicArn")
        // As SNS: deleting a topic that does not exist is not an error.
        try await store { try await topics.deleteTopic(name) }
        return ""
    }

    // MARK: Subscriptions

    /// The protocols SNS has that PAM does not deliver to (501); any other word is not a protocol.
    static let unsupportedProtocols: Set = ["http", "https", "email-json", "sqs", "application", "lambda", "firehose"]

    func subscribe(_ form: AWSQueryForm) async throws -> String {
        try Self.refuseOthers(form, action: "Subscribe", known: ["TopicArn", "Protocol", "Endpoint", "ReturnSubscriptionArn"])
        let name = try topicName(try Self.required(form, "TopicArn"), parameter: "TopicArn")
        let kind = try Self.required(form, "Protocol").lowercased()
        guard let endpoint = form["Endpoint"], !endpoint.isEmpty else { throw Self.invalidParameter("Endpoint") }
        let recipient: Recipient
        switch kind {
        case "email":
            guard let valid = try? Recipient.email(validating: endpoint) else { throw Self.invalidParameter("Email address") }
            recipient = valid
        case "sms":
            guard let valid = try? Recipient.phone(validating: endpoint) else {
                throw Self.invalidParameter("Invalid SMS endpoint (an E.164 phone number: + and 8 to 15 digits)")
            }
            recipient = valid
        case _ where Self.unsupportedProtocols.contains(kind):
            throw AWSServiceFault.notImplemented("SNS subscriptions with protocol \(kind) (email and sms are delivered)")
        default:
            throw Self.invalidParameter("Amazon SNS does not support this protocol string: \(kind)")
        }
        let subscription = try await store(notFound: Self.topicNotFound) { try await topics.subscribe(recipient, to: name) }
        return "<SubscriptionArn>\(Markup.escape(subscriptionARN(subscription)))</SubscriptionArn>"
    }

    func unsubscribe(_ form: AWSQueryForm) async throws -> String {
        try Self.refuseOthers(form, action: "Unsubscribe", known: ["SubscriptionArn"])
        let arn = try Self.required(form, "SubscriptionArn")
        guard let colon = arn.lastIndex(of: ":"), (try? topicName(String(arn[..<colon]), parameter: "SubscriptionArn")) != nil else {
            throw Self.invalidParameter("SubscriptionArn")
        }
        let removed = try await store { try await topics.unsubscribe(id: String(arn[arn.index(after: colon)...])) }
        guard removed else { throw AWSServiceFault("NotFound", "Subscription does not exist", status: 404) }
        return ""
    }

    func listSubscriptions(_ form: AWSQueryForm, ofTopic: Bool) async throws -> String {
        var topic: String?
        if ofTopic {
            try Self.refuseOthers(form, action: "ListSubscriptionsByTopic", known: ["TopicArn", "NextToken"])
            let name = try topicName(try Self.required(form, "TopicArn"), parameter: "TopicArn")
            guard try await store({ try await topics.topicExists(name) }) else { throw Self.topicNotFound }
            topic = name
        } else {
            try Self.refuseOthers(form, action: "ListSubscriptions", known: ["NextToken"])
        }
        let found = try await store { try await topics.subscriptions(of: topic, after: form["NextToken"], limit: Self.pageSize + 1) }
        let page = found.prefix(Self.pageSize)
        let members = page.map { subscription in
            let (kind, address) =
                switch subscription.recipient {
                case .email(let address): ("email", address)
                case .phone(let number): ("sms", number)
                }
            return "<member><TopicArn>\(Markup.escape(topicARN(subscription.topic)))</TopicArn><Protocol>\(kind)</Protocol>"
                + "<SubscriptionArn>\(Markup.escape(subscriptionARN(subscription)))</SubscriptionArn>"
                + "<Owner>\(Self.account)</Owner><Endpoint>\(Markup.escape(address))</Endpoint></member>"
        }.joined()
        let next = found.count > Self.pageSize ? page.last.map { "<NextToken>\(Markup.escape($0.id))</NextToken>" } ?? "" : ""
        return "<Subscriptions>\(members)</Subscriptions>\(next)"
    }

    // MARK: Names, parameters, refusals

    func topicARN(_ name: String) -> String { "arn:aws:sns:\(region):\(Self.account):\(name)" }

    func subscriptionARN(_ subscription: TopicSubscription) -> String { "\(topicARN(subscription.topic)):\(subscription.id)" }

    /// The topic an ARN of this region and account names; `InvalidParameter` for anything else.
    func topicName(_ arn: String, parameter: String) throws -> String {
        let prefix = "arn:aws:sns:\(region):\(Self.account):"
        guard arn.hasPrefix(prefix), Self.isTopicName(String(arn.dropFirst(prefix.count))) else { throw Self.invalidParameter(parameter) }
        return String(arn.dropFirst(prefix.count))
    }

    /// SNS's topic names: 1 to 256 ASCII letters, digits, hyphens and underscores.
    static func isTopicName(_ name: String) -> Bool {
        (1...256).contains(name.utf8.count)
            && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }

    static let topicNotFound = AWSServiceFault("NotFound", "Topic does not exist", status: 404)

    /// SNS's refusal of a parameter: `Invalid parameter: <what>`. Never carries an address.
    static func invalidParameter(_ what: String) -> AWSServiceFault {
        AWSServiceFault("InvalidParameter", "Invalid parameter: \(what)")
    }

    /// A required parameter, or the query protocol's `ValidationError` for its absence.
    static func required(_ form: AWSQueryForm, _ name: String) throws -> String {
        guard let value = form[name] else {
            let member = name.prefix(1).lowercased() + name.dropFirst()
            throw AWSServiceFault(
                "ValidationError",
                "1 validation error detected: Value null at '\(member)' failed to satisfy constraint: Member must not be null")
        }
        return value
    }

    /// 501 for a parameter of `action` PAM does not honour (topic attributes, tags, message
    /// attributes …), rather than ignoring it.
    static func refuseOthers(_ form: AWSQueryForm, action: String, known: Set<String>) throws {
        for field in form.fields {
            let root = String(field.name.prefix { $0 != "." })
            if root == "Action" || root == "Version" || known.contains(root) { continue }
            throw AWSServiceFault.notImplemented("SNS \(action) with \(root)")
        }
    }

    /// The registry's answer; its `.notFound` as `notFound`, any other failure as 500.
    func store<T>(notFound: AWSServiceFault? = nil, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PAMError where error.code == .notFound {
            throw notFound ?? Self.topicNotFound
        }
    }
}
