import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

@Suite("SQLiteTopicRegistry")
struct SQLiteTopicRegistryTests {
    static let email = Recipient.email("ada.lovelace@example.com")
    static let phone = Recipient.phone("+447700900123")

    @Test("topics: created once, listed in order and by page, deleted with their subscriptions; kept by a new connection")
    func topics() async throws {
        try await withTemporaryState { state in
            let registry = try SQLiteTopicRegistry(path: state.state.topics)
            for name in ["b", "a", "c", "a"] { try await registry.createTopic(name) }
            #expect(try await registry.topics(after: nil, limit: 10) == ["a", "b", "c"])
            #expect(try await registry.topics(after: "a", limit: 1) == ["b"])
            let mail = try await registry.subscribe(Self.email, to: "a")
            _ = try await registry.subscribe(Self.phone, to: "b")
            try await registry.deleteTopic("a")
            try await registry.deleteTopic("a")
            #expect(try await !registry.topicExists("a"))
            #expect(try await registry.subscriptions(of: nil, after: nil, limit: 10).map(\.topic) == ["b"])
            #expect(try await !registry.unsubscribe(id: mail.id))

            let reopened = try SQLiteTopicRegistry(path: state.state.topics)
            #expect(try await reopened.topics(after: nil, limit: 10) == ["b", "c"])
            #expect(try await reopened.subscriptions(of: "b", after: nil, limit: 10).map(\.recipient) == [Self.phone])
        }
    }

    @Test("subscriptions: one per recipient and topic, even when subscribed at once; none to a missing topic; removed by id")
    func subscriptions() async throws {
        try await withTemporaryState { state in
            let registry = try SQLiteTopicRegistry(path: state.state.topics)
            try await registry.createTopic("t")
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 { group.addTask { try await registry.subscribe(Self.email, to: "t").id } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            let text = try await registry.subscribe(Self.phone, to: "t")
            let listed = try await registry.subscriptions(of: "t", after: nil, limit: 10)
            #expect(Set(listed.map(\.recipient)) == [Self.email, Self.phone] && listed.map(\.id) == listed.map(\.id).sorted())
            #expect(try await registry.subscriptions(of: "t", after: listed[0].id, limit: 10) == [listed[1]])
            await expectCode(.notFound) { _ = try await registry.subscribe(Self.email, to: "missing") }
            #expect(try await registry.unsubscribe(id: text.id))
            #expect(try await registry.subscriptions(of: "t", after: nil, limit: 10).map(\.recipient) == [Self.email])
            // The description, which logs may show, hides the address ("lovelace": the random id's hex could spell "ada").
            #expect(!"\(listed[0])".contains("lovelace") && !"\(listed[1])".contains("7700900123"))
        }
    }
}
