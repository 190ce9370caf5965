import Foundation
import PAMCore
import _CryptoExtras

/// The one check of a Cognito-shaped id token, used by every `TokenVerifier`: RS256 under the
/// key its `kid` names, then the claims.
///
/// A token is valid when `iss` is `issuer`, `aud` (a string, or an array of strings) contains
/// `audience`, `token_use` is `tokenUse`, `now < exp + leeway`, and `sub` is a non-empty string.
/// Refusals throw `PAMError` `.invalidSignature`, `.foreignIssuer` for a genuine token of another
/// issuer, or `.expired` for a token otherwise valid;
/// a foreign issuer's message names the expected issuer (the server shows it: a token minted for
/// another port of the local pool tells its holder why).
public struct IDTokenValidator: Sendable {
    /// The user pool's `iss`.
    public var issuer: String
    /// The app client id the token must be for.
    public var audience: String
    /// The required `token_use` (Cognito: `id` for id tokens, `access` for access tokens).
    public var tokenUse: String
    /// Tolerated clock difference between the issuer and this verifier, for `exp`.
    public var leeway: TimeInterval

    public init(issuer: String, audience: String, tokenUse: String = "id", leeway: TimeInterval) {
        self.issuer = issuer
        self.audience = audience
        self.tokenUse = tokenUse
        self.leeway = leeway
    }

    /// The user of `compact`, whose key is `key(kid)` (which throws for an unknown id).
    public func identity(
        of compact: String, clock: any WallClock,
        key: @Sendable (String) async throws -> _RSA.Signing.PublicKey
    ) async throws -> UserIdentity {
        try identity(from: try await verifiedClaims(of: compact, key: key), now: clock.now())
    }

    /// As ``identity(of:clock:key:)``, remembering in `verified` the claims of a token that passed,
    /// so that the same token string again skips the parsing and the RS256 check (its claims,
    /// expiry included, are checked every time). For a verifier whose keys do not change.
    public func identity(
        of compact: String, clock: any WallClock, verified: VerifiedTokenCache,
        key: @Sendable (String) async throws -> _RSA.Signing.PublicKey
    ) async throws -> UserIdentity {
        if let claims = verified.claims(of: compact) { return try identity(from: claims, now: clock.now()) }
        let claims = try await verifiedClaims(of: compact, key: key)
        let user = try identity(from: claims, now: clock.now())
        verified.remember(claims, of: compact)
        return user
    }

    /// The claims of `compact` once its RS256 signature under `key(kid)` holds.
    private func verifiedClaims(
        of compact: String, key: @Sendable (String) async throws -> _RSA.Signing.PublicKey
    ) async throws -> [String: JSONValue] {
        let token = try JSONWebToken(compact: compact)
        guard token.header.alg == "RS256", let kid = token.header.kid else {
            throw PAMError(.invalidSignature, "the token is not signed with RS256 and a key id")
        }
        try token.verifyRS256(try await key(kid))
        return token.claims
    }

    /// The user the verified `claims` speak for, at time `now`.
    public func identity(from claims: [String: JSONValue], now: Date) throws -> UserIdentity {
        guard claims["iss"]?.string == issuer else {
            throw PAMError(
                .foreignIssuer,
                "the token's issuer is not this user pool (\(issuer)): was it minted for another user pool or port?")
        }
        guard claims["aud"]?.strings.contains(audience) == true else {
            throw PAMError(.invalidSignature, "the token is for another client")
        }
        guard claims["token_use"]?.string == tokenUse else { throw PAMError(.invalidSignature, "the token is not an \(tokenUse) token") }
        guard let subject = claims["sub"]?.string, !subject.isEmpty else { throw PAMError(.invalidSignature, "the token has no subject") }
        guard let expiry = claims["exp"]?.number else { throw PAMError(.invalidSignature, "the token has no expiry") }
        guard now.timeIntervalSince1970 < expiry + leeway else { throw PAMError(.expired, "the token has expired") }
        return UserIdentity(
            subject: subject, username: claims["cognito:username"]?.string ?? subject,
            email: claims["email"]?.string, phone: claims["phone_number"]?.string)
    }
}
