import Foundation
import PAMCore
import Testing
import _CryptoExtras

@testable import PAMWebToken

@Suite("Verified token cache")
struct VerifiedTokenCacheTests {
    /// Counts the key look-ups, i.e. the signature checks.
    final class KeyLookups: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        let key: _RSA.Signing.PublicKey
        init(_ key: _RSA.Signing.PublicKey) { self.key = key }
        var value: Int { lock.withLock { count } }
        func lookUp(_ kid: String) throws -> _RSA.Signing.PublicKey {
            lock.withLock { count += 1 }
            guard kid == "k1" else { throw PAMError(.invalidSignature, "unknown key") }
            return key
        }
    }

    static let key = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    static func token(expiry: Double, subject: String = "sub-1") throws -> String {
        try JSONWebToken.signRS256(
            claims: [
                "iss": "http://pool", "aud": "client", "token_use": "id", "sub": .string(subject), "exp": .number(expiry),
            ], keyID: "k1", key: key)
    }

    @Test("a token seen again skips the signature check; its expiry and issuer are still checked at every use")
    func remembered() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_000))
        let lookups = KeyLookups(Self.key.publicKey)
        let cache = VerifiedTokenCache()
        let validator = IDTokenValidator(issuer: "http://pool", audience: "client", leeway: 0)
        let token = try Self.token(expiry: 2_000)
        for _ in 0..<3 {
            let user = try await validator.identity(of: token, clock: clock, verified: cache) { try lookups.lookUp($0) }
            #expect(user.subject == "sub-1")
        }
        #expect(lookups.value == 1, "one signature check for three uses")
        let otherPool = IDTokenValidator(issuer: "http://other-pool", audience: "client", leeway: 0)
        await #expect { _ = try await otherPool.identity(of: token, clock: clock, verified: cache) { try lookups.lookUp($0) } } throws: {
            ($0 as? PAMError)?.code == .foreignIssuer
        }
        clock.advance(by: 1_000)
        await #expect { _ = try await validator.identity(of: token, clock: clock, verified: cache) { try lookups.lookUp($0) } } throws: {
            ($0 as? PAMError)?.code == .expired
        }
    }

    @Test("a refused token is not remembered; a tampered copy of a remembered one is checked and refused")
    func refusalsAreNotRemembered() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_000))
        let lookups = KeyLookups(Self.key.publicKey)
        let cache = VerifiedTokenCache()
        let validator = IDTokenValidator(issuer: "http://pool", audience: "client", leeway: 0)
        let expired = try Self.token(expiry: 500)
        for _ in 0..<2 {
            await #expect {
                _ = try await validator.identity(of: expired, clock: clock, verified: cache) { try lookups.lookUp($0) }
            } throws: {
                ($0 as? PAMError)?.code == .expired
            }
        }
        #expect(lookups.value == 2, "checked each time")
        let good = try Self.token(expiry: 2_000)
        _ = try await validator.identity(of: good, clock: clock, verified: cache) { try lookups.lookUp($0) }
        let parts = good.split(separator: ".").map(String.init)
        let forged = [parts[0], try Self.token(expiry: 2_000, subject: "mallory").split(separator: ".")[1].description, parts[2]]
            .joined(separator: ".")
        await #expect { _ = try await validator.identity(of: forged, clock: clock, verified: cache) { try lookups.lookUp($0) } } throws: {
            ($0 as? PAMError)?.code == .invalidSignature
        }
    }

    @Test("bounded: past its limit it starts afresh")
    func bounded() throws {
        let cache = VerifiedTokenCache(limit: 2)
        cache.remember(["sub": "a"], of: "a")
        cache.remember(["sub": "b"], of: "b")
        cache.remember(["sub": "b"], of: "b")
        #expect(cache.claims(of: "a") != nil && cache.claims(of: "b") != nil)
        cache.remember(["sub": "c"], of: "c")
        #expect(cache.claims(of: "a") == nil && cache.claims(of: "b") == nil)
        #expect(cache.claims(of: "c")?["sub"] == "c")
    }
}
