import Foundation
import PAMCore

/// Slows password guessing the way Cognito does ("Password attempts exceeded").
///
/// After `maxFailures` wrong passwords for one username within `window` — or `maxGlobalFailures`
/// across all usernames, so that spreading guesses over many names does not help — every attempt
/// for it (for everyone, when global) is refused without looking at the password, a right one
/// included, until a back-off has passed. The back-off starts at `lockout` and doubles with each
/// failure after that, up to `maxLockout`. A success clears its username's failures. Checking and
/// counting happen in one step on the actor, so concurrent guesses cannot slip past the count.
actor SignInThrottle {
    struct Policy: Sendable {
        var maxFailures = 5
        var maxGlobalFailures = 20
        /// Failures older than this (since the last one) are forgotten.
        var window: TimeInterval = 15 * 60
        var lockout: TimeInterval = 60
        var maxLockout: TimeInterval = 15 * 60
        /// Usernames remembered at most (the oldest are forgotten first), so guessing names costs no memory.
        var maxTrackedUsers = 1000
    }

    enum Outcome: Equatable, Sendable {
        case succeeded
        case failed
        /// Refused without checking: try again after this many seconds.
        case throttled(retryAfter: TimeInterval)
    }

    private struct Failures {
        var count = 0
        var last = Date.distantPast
        var lockedUntil = Date.distantPast
    }

    private let policy: Policy
    private let clock: any WallClock
    private var users: [String: Failures] = [:]
    private var everyone = Failures()

    init(policy: Policy = Policy(), clock: any WallClock = SystemClock()) {
        self.policy = policy
        self.clock = clock
    }

    /// Runs `check` (the password comparison) for `username` unless sign-in is locked for it,
    /// and counts the result.
    func attempt(username: String, _ check: @Sendable () -> Bool) -> Outcome {
        let now = clock.now()
        let key = String(username.prefix(256))
        let lockedUntil = max(users[key]?.lockedUntil ?? .distantPast, everyone.lockedUntil)
        if lockedUntil > now { return .throttled(retryAfter: lockedUntil.timeIntervalSince(now)) }
        if check() {
            users[key] = nil
            return .succeeded
        }
        var failures = users[key] ?? Failures()
        count(&failures, now: now, limit: policy.maxFailures)
        users[key] = failures
        count(&everyone, now: now, limit: policy.maxGlobalFailures)
        forgetOldUsers(now: now)
        return .failed
    }

    /// Usernames with failures on record.
    var trackedUsers: Int { users.count }

    private func count(_ failures: inout Failures, now: Date, limit: Int) {
        if now.timeIntervalSince(failures.last) > policy.window { failures.count = 0 }
        failures.count += 1
        failures.last = now
        if failures.count >= limit {
            let doublings = Double(min(failures.count - limit, 30))
            failures.lockedUntil = now + min(policy.lockout * pow(2, doublings), policy.maxLockout)
        }
    }

    private func forgetOldUsers(now: Date) {
        guard users.count > policy.maxTrackedUsers else { return }
        users = users.filter { now.timeIntervalSince($0.value.last) <= policy.window || $0.value.lockedUntil > now }
        if users.count > policy.maxTrackedUsers {
            let oldest = users.sorted { $0.value.last < $1.value.last }.prefix(users.count - policy.maxTrackedUsers)
            for (name, _) in oldest { users[name] = nil }
        }
    }
}
