import NIOCore
import Testing

@testable import PAMServer

@Suite("How long a client may take to send a request body")
struct RequestDeadlineTests {
    let rule = RequestDeadline(timeout: .seconds(20), minimumRate: 500)
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test("a body gets the time-out, extended by a second for every minimum-rate bytes received")
    func body() {
        #expect(rule.deadline(since: start, bytes: 0) == start + .seconds(20))
        #expect(rule.deadline(since: start, bytes: 500) == start + .seconds(21))
        #expect(rule.deadline(since: start, bytes: 250) == start + .milliseconds(20_500))
        // 25 MB at the minimum rate: 50,000 s more.
        #expect(rule.deadline(since: start, bytes: 25_000_000) == start + .seconds(50_020))
    }

    @Test("any byte count stays in range; a rate under one byte a second is one")
    func extremes() {
        let far = rule.deadline(since: start, bytes: .max)
        #expect(far > start + .hours(24) && far < start + .hours(24 * 366))
        #expect(RequestDeadline(timeout: .seconds(1), minimumRate: 0).minimumRate == 1)
    }
}
