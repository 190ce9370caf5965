import Foundation
import PAMCore
import Testing

@testable import PAMServer

/// Wrong-password throttling, on a clock the tests move.
@Suite("Sign-in throttle")
struct SignInThrottleTests {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    /// Counts how often the password was actually compared.
    final class Checks: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func check(_ result: Bool) -> @Sendable () -> Bool {
            {
                self.lock.withLock { self.count += 1 }
                return result
            }
        }
    }

    @Test("after 5 wrong passwords even the right one is refused, unchecked, until the back-off passes")
    func locksAfterFiveFailures() async {
        let throttle = SignInThrottle(clock: clock)
        let checks = Checks()
        for _ in 0..<5 { #expect(await throttle.attempt(username: "photographer", checks.check(false)) == .failed) }
        #expect(await throttle.attempt(username: "photographer", checks.check(true)) == .throttled(retryAfter: 60))
        #expect(checks.value == 5)
        clock.advance(by: 59)
        #expect(await throttle.attempt(username: "photographer", checks.check(true)) == .throttled(retryAfter: 1))
        clock.advance(by: 1)
        #expect(await throttle.attempt(username: "photographer", checks.check(true)) == .succeeded)
        #expect(checks.value == 6)
        // A success clears the count: four more failures do not lock.
        for _ in 0..<4 { #expect(await throttle.attempt(username: "photographer", checks.check(false)) == .failed) }
        #expect(await throttle.attempt(username: "photographer", checks.check(true)) == .succeeded)
    }

    @Test("each failure after the lock-out doubles the back-off, up to 15 minutes")
    func backOffDoubles() async {
        let throttle = SignInThrottle(clock: clock)
        for _ in 0..<5 { _ = await throttle.attempt(username: "ana", { false }) }
        var expected: TimeInterval = 60
        for _ in 0..<8 {
            guard case .throttled(let wait) = await throttle.attempt(username: "ana", { true }) else {
                Issue.record("not throttled")
                return
            }
            #expect(wait == expected)
            clock.advance(by: wait)
            #expect(await throttle.attempt(username: "ana", { false }) == .failed)
            expected = min(expected * 2, 900)
        }
        #expect(expected == 900)
    }

    @Test("failures further apart than the window are forgotten")
    func windowForgets() async {
        let throttle = SignInThrottle(clock: clock)
        for _ in 0..<20 {
            #expect(await throttle.attempt(username: "ana", { false }) == .failed)
            clock.advance(by: 15 * 60 + 1)
        }
        #expect(await throttle.attempt(username: "ana", { true }) == .succeeded)
    }

    @Test("locks are per username, and 20 failures across usernames lock everyone")
    func globalLock() async {
        let throttle = SignInThrottle(clock: clock)
        for _ in 0..<5 { _ = await throttle.attempt(username: "mallory", { false }) }
        #expect(await throttle.attempt(username: "mallory", { true }) == .throttled(retryAfter: 60))
        #expect(await throttle.attempt(username: "photographer", { true }) == .succeeded)
        // Spread over many names, so no single name reaches 5 (5 above + 15 here = 20).
        for index in 0..<15 { #expect(await throttle.attempt(username: "guess-\(index)", { false }) == .failed) }
        #expect(await throttle.attempt(username: "photographer", { true }) == .throttled(retryAfter: 60))
        #expect(await throttle.attempt(username: "someone-new", { true }) == .throttled(retryAfter: 60))
        clock.advance(by: 60)
        #expect(await throttle.attempt(username: "photographer", { true }) == .succeeded)
    }

    @Test("concurrent guesses cannot slip past the count: only 5 passwords are compared")
    func concurrentGuesses() async {
        let throttle = SignInThrottle(clock: clock)
        let checks = Checks()
        let outcomes = await withTaskGroup(of: SignInThrottle.Outcome.self) { group in
            for _ in 0..<50 { group.addTask { await throttle.attempt(username: "photographer", checks.check(false)) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(checks.value == 5)
        #expect(outcomes.filter { $0 == .failed }.count == 5)
        #expect(outcomes.filter { if case .throttled = $0 { true } else { false } }.count == 45)
    }

    @Test("guessing many usernames keeps a bounded number of them")
    func boundedMemory() async {
        var policy = SignInThrottle.Policy()
        policy.maxGlobalFailures = .max
        policy.maxTrackedUsers = 10
        let throttle = SignInThrottle(policy: policy, clock: clock)
        for index in 0..<100 { _ = await throttle.attempt(username: "name-\(index)", { false }) }
        #expect(await throttle.trackedUsers <= 10)
    }
}
