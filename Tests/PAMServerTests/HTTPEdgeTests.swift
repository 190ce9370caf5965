import Foundation
import PAMCore
import Testing

@testable import PAMServer

@Suite("HTTP edge helpers")
struct HTTPEdgeTests {
    @Test(
        "byte ranges",
        arguments: [
            ("bytes=0-9", 100, ByteRange.partial(0..<10)), ("bytes=90-", 100, .partial(90..<100)), ("bytes=-10", 100, .partial(90..<100)),
            ("bytes=95-200", 100, .partial(95..<100)), ("bytes=-500", 100, .partial(0..<100)), ("bytes=100-", 100, .unsatisfiable),
            ("bytes=5-1", 100, .whole), ("bytes=0-1,5-6", 100, .whole), ("items=0-1", 100, .whole), ("bytes=-0", 100, .unsatisfiable),
            ("bytes=x-1", 100, .whole),
        ])
    func ranges(header: String, size: Int, expected: ByteRange) {
        #expect(ByteRange.parse(header, size: Int64(size)) == expected)
    }

    @Test("the recipient comes from the body, else the token's e-mail")
    func recipients() throws {
        let user = UserIdentity(subject: "s", username: "u", email: "me@example.org", phone: nil)
        #expect(try APIRoutes.recipient([:], user: user) == .email("me@example.org"))
        #expect(try APIRoutes.recipient(["email": "you@example.org"], user: user) == .email("you@example.org"))
        #expect(try APIRoutes.recipient(["phone": "+15555550123"], user: user) == .phone("+15555550123"))
        #expect(try APIRoutes.recipient(["email": NSNull()], user: user) == .email("me@example.org"))
        for body: [String: Any] in [["email": "a@b.co", "phone": "+15555550123"], ["email": 7], ["phone": "555"], ["email": "bad"]] {
            #expect(throws: ServerError.self) { try APIRoutes.recipient(body, user: user) }
        }
        let anonymous = UserIdentity(subject: "s", username: "u", email: nil, phone: nil)
        #expect(throws: ServerError.self) { try APIRoutes.recipient([:], user: anonymous) }
    }

    @Test(
        "the request log's time: milliseconds with one decimal, rounded half up",
        arguments: [
            (Duration.zero, "0.0"), (.nanoseconds(49_999), "0.0"), (.nanoseconds(50_000), "0.1"), (.microseconds(1_250), "1.3"),
            (.microseconds(12_340), "12.3"), (.milliseconds(999_960), "999960.0"), (.seconds(2) + .microseconds(950), "2001.0"),
            (.seconds(86_400), "86400000.0"),
        ])
    func loggedMilliseconds(elapsed: Duration, expected: String) {
        #expect(RequestLogMiddleware<PAMRequestContext>.milliseconds(elapsed) == expected)
    }

    @Test(
        "the logged path hides a message id under /outbox, however many slashes, and nothing else",
        arguments: [
            ("/outbox/abc", "/outbox/{id}"), ("//outbox//abc/", "/outbox/{id}"), ("outbox/x", "/outbox/{id}"), ("/outbox", "/outbox"),
            ("/outbox/", "/outbox/"), ("/outbox//", "/outbox//"), ("/outboxes/abc", "/outboxes/abc"),
            ("/api/outbox/abc", "/api/outbox/abc"),
            ("/", "/"), ("", ""),
        ])
    func loggedPaths(path: String, expected: String) {
        #expect(LoggedPath(path: path, endpoint: nil).description == expected)
        #expect(LoggedPath(path: path, endpoint: "/outbox/{id}").description == "/outbox/{id}")
        #expect(LoggedPath(path: path, endpoint: "/api/labels").description == expected)
    }
}
