import AsyncHTTPClient
import Foundation
import PAMCore
import PAMWebToken
import _CryptoExtras

/// `TokenVerifier` for a Cognito user pool's id tokens: RS256 signature against the pool's JWKS
/// (fetched once and cached, refetched when a token names an unknown key), expiry, audience (the
/// app client id), issuer and `token_use == "id"`.
public actor CognitoTokenVerifier: TokenVerifier {
    /// The pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<pool id>`.
    public nonisolated let issuer: String
    /// The app client id the tokens must be for.
    public nonisolated let clientID: String
    private let fetchJWKS: @Sendable () async throws -> Data
    private let clock: any WallClock
    /// Issuer, audience (the client id), `token_use == "id"`, and 60 s leeway for `exp`: the
    /// pool's clock is not this machine's.
    private let validator: IDTokenValidator
    /// How long keys are trusted before the set is fetched again.
    private let cacheLifetime: TimeInterval
    private var keys: [String: _RSA.Signing.PublicKey] = [:]
    private var fetched: Date?

    /// A verifier for the user pool `userPoolID` in `region`, fetching its JWKS from
    /// `<issuer>/.well-known/jwks.json`, or from `jwksURL` (an emulator's) when given.
    public init(
        region: String, userPoolID: String, clientID: String, jwksURL: URL? = nil, issuer: String? = nil,
        clock: any WallClock = SystemClock()
    ) {
        let issuer = issuer ?? "https://cognito-idp.\(region).amazonaws.com/\(userPoolID)"
        let url = jwksURL?.absoluteString ?? issuer + "/.well-known/jwks.json"
        self.init(issuer: issuer, clientID: clientID, clock: clock) {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            let response = try await AWSHTTP.shared.execute(request, timeout: .seconds(10))
            guard response.status.code == 200 else {
                throw PAMError(.invalidSignature, "the user pool's JWKS could not be fetched (HTTP \(response.status.code))")
            }
            return Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        }
    }

    /// A verifier with its own JWKS source (tests, other identity providers).
    public init(
        issuer: String, clientID: String, leeway: TimeInterval = 60, cacheLifetime: TimeInterval = 3600,
        clock: any WallClock = SystemClock(), fetchJWKS: @escaping @Sendable () async throws -> Data
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.validator = IDTokenValidator(issuer: issuer, audience: clientID, tokenUse: "id", leeway: leeway)
        self.cacheLifetime = cacheLifetime
        self.clock = clock
        self.fetchJWKS = fetchJWKS
    }

    public func verify(idToken: String) async throws -> UserIdentity {
        try await validator.identity(of: idToken, clock: clock) { kid in try await self.key(kid) }
    }

    /// The key `kid`, from the cache while it is fresh; an unknown key id refetches the set at
    /// most once a minute, so a flood of forged key ids cannot hammer the pool.
    private func key(_ kid: String) async throws -> _RSA.Signing.PublicKey {
        let age = fetched.map { clock.now().timeIntervalSince($0) } ?? .infinity
        if let key = keys[kid], age < cacheLifetime { return key }
        if age >= 60 || keys[kid] != nil {
            keys = try JSONWebKeySet(parsing: try await fetchJWKS()).keys
            fetched = clock.now()
        }
        guard let key = keys[kid] else { throw PAMError(.invalidSignature, "the token's key is not one of the user pool's") }
        return key
    }
}
