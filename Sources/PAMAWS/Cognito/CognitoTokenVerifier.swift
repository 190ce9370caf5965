import AsyncHTTPClient
import Crypto
import _CryptoExtras
import Foundation
import Logging
import PAMCore

/// `TokenVerifier` for a Cognito user pool's id tokens: RS256 signature against the pool's JWKS
/// (fetched once and cached, refetched when a token names an unknown key), expiry, audience (the
/// app client id), issuer and `token_use == "id"`.
public actor CognitoTokenVerifier: TokenVerifier {
    /// The pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<pool id>`.
    public nonisolated let issuer: String
    /// The app client id the tokens must be for.
    public nonisolated let clientID: String
    private let fetchJWKS: @Sendable () async throws -> Data
    private let now: @Sendable () -> Date
    /// Tolerated clock difference for `exp`.
    private let leeway: TimeInterval
    /// How long keys are trusted before the set is fetched again.
    private let cacheLifetime: TimeInterval
    private var keys: [String: _RSA.Signing.PublicKey] = [:]
    private var fetched: Date?

    /// A verifier for the user pool `userPoolID` in `region`, fetching its JWKS from
    /// `<issuer>/.well-known/jwks.json`, or from `jwksURL` (an emulator's) when given.
    public init(region: String, userPoolID: String, clientID: String, jwksURL: URL? = nil, issuer: String? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        let issuer = issuer ?? "https://cognito-idp.\(region).amazonaws.com/\(userPoolID)"
        let url = jwksURL?.absoluteString ?? issuer + "/.well-known/jwks.json"
        self.init(issuer: issuer, clientID: clientID, now: now) {
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
    public init(issuer: String, clientID: String, leeway: TimeInterval = 60, cacheLifetime: TimeInterval = 3600,
                now: @escaping @Sendable () -> Date = { Date() }, fetchJWKS: @escaping @Sendable () async throws -> Data) {
        self.issuer = issuer
        self.clientID = clientID
        self.leeway = leeway
        self.cacheLifetime = cacheLifetime
        self.now = now
        self.fetchJWKS = fetchJWKS
    }

    public func verify(idToken: String) async throws -> UserIdentity {
        let token = try JSONWebToken(idToken)
        guard token.header.alg == "RS256", let kid = token.header.kid else {
            throw PAMError(.invalidSignature, "the token is not signed with RS256 and a key id")
        }
        let key = try await key(kid)
        let signature = _RSA.Signing.RSASignature(rawRepresentation: token.signature)
        guard key.isValidSignature(signature, for: SHA256.hash(data: token.signingInput), padding: .insecurePKCS1v1_5) else {
            throw PAMError(.invalidSignature, "the token's signature does not verify")
        }
        let claims = token.claims
        guard let expiry = claims["exp"]?.number else { throw PAMError(.invalidSignature, "the token has no expiry") }
        guard now().timeIntervalSince1970 < expiry + leeway else { throw PAMError(.expired, "the token has expired") }
        guard claims["iss"]?.string == issuer else { throw PAMError(.invalidSignature, "the token was issued by another user pool") }
        guard claims["token_use"]?.string == "id" else { throw PAMError(.invalidSignature, "the token is not an id token") }
        guard claims["aud"]?.strings.contains(clientID) == true else {
            throw PAMError(.invalidSignature, "the token is for another app client")
        }
        guard let subject = claims["sub"]?.string, !subject.isEmpty else { throw PAMError(.invalidSignature, "the token has no subject") }
        return UserIdentity(subject: subject, username: claims["cognito:username"]?.string ?? subject,
                            email: claims["email"]?.string, phone: claims["phone_number"]?.string)
    }

    /// The key `kid`, from the cache while it is fresh; an unknown key id refetches the set at
    /// most once a minute, so a flood of forged key ids cannot hammer the pool.
    private func key(_ kid: String) async throws -> _RSA.Signing.PublicKey {
        let age = fetched.map { now().timeIntervalSince($0) } ?? .infinity
        if let key = keys[kid], age < cacheLifetime { return key }
        if age >= 60 || keys[kid] != nil {
            keys = try Self.parseJWKS(try await fetchJWKS())
            fetched = now()
        }
        guard let key = keys[kid] else { throw PAMError(.invalidSignature, "the token's key is not one of the user pool's") }
        return key
    }

    /// The RSA signing keys of a JWKS document, by key id.
    static func parseJWKS(_ data: Data) throws -> [String: _RSA.Signing.PublicKey] {
        struct JWKS: Decodable {
            struct Key: Decodable {
                let kty: String
                let kid: String?
                let n: String?
                let e: String?
                let use: String?
                let alg: String?
            }
            let keys: [Key]
        }
        let document: JWKS
        do {
            document = try JSONDecoder().decode(JWKS.self, from: data)
        } catch {
            throw PAMError(.invalidSignature, "the user pool's JWKS is not a key set")
        }
        var keys: [String: _RSA.Signing.PublicKey] = [:]
        for key in document.keys where key.kty == "RSA" && (key.use ?? "sig") == "sig" && (key.alg ?? "RS256") == "RS256" {
            guard let kid = key.kid, let n = key.n.flatMap(JSONWebToken.base64URLDecode), let e = key.e.flatMap(JSONWebToken.base64URLDecode),
                  let publicKey = try? _RSA.Signing.PublicKey(n: n, e: e) else { continue }
            keys[kid] = publicKey
        }
        return keys
    }
}
