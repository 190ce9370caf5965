import Foundation

/// The claims of tokens whose signature has been checked, by token string, so a client that sends
/// the same token with every request costs one RS256 check (`IDTokenValidator`). Bounded: past
/// `limit` tokens it starts afresh. Holds claims only; every use checks them again (expiry too).
public final class VerifiedTokenCache: @unchecked Sendable {
    private let lock = NSLock()
    private var claimsByToken: [String: [String: JSONValue]] = [:]
    private let limit: Int

    public init(limit: Int = 64) { self.limit = max(1, limit) }

    /// The claims of `token` when its signature was checked before.
    func claims(of token: String) -> [String: JSONValue]? { lock.withLock { claimsByToken[token] } }

    /// Remembers the claims of `token`, whose signature has just been checked.
    func remember(_ claims: [String: JSONValue], of token: String) {
        lock.withLock {
            if claimsByToken.count >= limit, claimsByToken[token] == nil { claimsByToken.removeAll(keepingCapacity: true) }
            claimsByToken[token] = claims
        }
    }
}
