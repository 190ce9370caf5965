import Crypto
import Foundation
import PAMCore
import PAMWebToken
import _CryptoExtras

/// Emulates a Cognito user pool for one local user: issues RS256 id and access tokens with
/// Cognito's claims, publishes the JWKS, and verifies id tokens. The RSA key is generated once
/// and kept in the state folder (`StateDirectory.signInKey`, PEM, mode 0600), so tokens survive
/// restarts.
///
/// Its id tokens are checked by `IDTokenValidator` with no leeway: this one clock issues and
/// verifies them, so there is no clock difference to tolerate.
public struct LocalIdentityProvider: TokenVerifier {
    /// `iss` of the tokens: the emulator's base URL, so the JWKS is at `{issuer}/.well-known/jwks.json`.
    public var issuer: String { issuerSource() }
    let issuerSource: @Sendable () -> String
    public let clientID: String
    public let user: LocalUser
    public let tokenLifetime: TimeInterval
    let key: _RSA.Signing.PrivateKey
    let keyID: String
    let clock: any WallClock
    /// Tokens already checked (their signature; the claims are checked at every use).
    let verified = VerifiedTokenCache()

    /// Loads the signing key from `state`, creating it on first use.
    public init(
        state: StateDirectory, issuer: String, clientID: String, user: LocalUser, tokenLifetime: TimeInterval = 3600,
        clock: any WallClock = SystemClock()
    ) throws {
        try self.init(state: state, issuer: { issuer }, clientID: clientID, user: user, tokenLifetime: tokenLifetime, clock: clock)
    }

    /// A user pool whose issuer is `address` as it stands when a token is issued or checked, so
    /// `pam serve --port 0` can settle its port after the provider was made.
    public init(
        state: StateDirectory, address: ServiceAddress, clientID: String, user: LocalUser, tokenLifetime: TimeInterval = 3600,
        clock: any WallClock = SystemClock()
    ) throws {
        try self.init(state: state, issuer: { address.text }, clientID: clientID, user: user, tokenLifetime: tokenLifetime, clock: clock)
    }

    private init(
        state: StateDirectory, issuer: @escaping @Sendable () -> String, clientID: String, user: LocalUser,
        tokenLifetime: TimeInterval, clock: any WallClock
    ) throws {
        self.issuerSource = issuer
        self.clientID = clientID
        self.user = user
        self.tokenLifetime = tokenLifetime
        self.clock = clock
        self.key = try Self.loadOrCreateKey(state)
        self.keyID = Base64URL.encode(Data(SHA256.hash(data: key.publicKey.derRepresentation).prefix(12)))
    }

    /// Whether `username` and `password` are the configured user's, compared in constant time.
    public func checkPassword(username: String, password: String) -> Bool {
        user.matches(username: username, password: password)
    }

    /// An id token and an access token for the user, as the hosted UI's implicit grant returns them.
    public func issueTokens() throws -> (idToken: String, accessToken: String, expiresIn: Int) {
        let now = clock.now().timeIntervalSince1970.rounded(.down)
        let issued = JSONValue.number(now)
        let expiry = JSONValue.number(now + tokenLifetime)
        var id: [String: JSONValue] = [
            "sub": .string(user.subject), "aud": .string(clientID), "iss": .string(issuer), "token_use": "id",
            "cognito:username": .string(user.username), "email": .string(user.email), "email_verified": true,
            "auth_time": issued, "iat": issued, "exp": expiry, "jti": .string(UUID().uuidString.lowercased()),
        ]
        if let phone = user.phone {
            id["phone_number"] = .string(phone)
            id["phone_number_verified"] = true
        }
        let access: [String: JSONValue] = [
            "sub": .string(user.subject), "client_id": .string(clientID), "iss": .string(issuer), "token_use": "access",
            "scope": "openid email phone", "username": .string(user.username), "auth_time": issued, "iat": issued, "exp": expiry,
            "jti": .string(UUID().uuidString.lowercased()),
        ]
        return (
            try JSONWebToken.signRS256(claims: id, keyID: keyID, key: key),
            try JSONWebToken.signRS256(claims: access, keyID: keyID, key: key), Int(tokenLifetime)
        )
    }

    /// The JSON Web Key Set with the public key, as `/.well-known/jwks.json` serves it.
    public func jwks() throws -> Data {
        try JSONWebKeySet(keys: [keyID: key.publicKey]).data()
    }

    public func verify(idToken: String) async throws -> UserIdentity {
        let validator = IDTokenValidator(issuer: issuer, audience: clientID, tokenUse: "id", leeway: 0)
        let (keyID, publicKey) = (keyID, key.publicKey)
        return try await validator.identity(of: idToken, clock: clock, verified: verified) { kid in
            guard kid == keyID else { throw PAMError(.invalidSignature, "the token is signed by an unknown key") }
            return publicKey
        }
    }

    /// The key in `state`, made and written (atomically, fsynced, mode 0600) on first use.
    static func loadOrCreateKey(_ state: StateDirectory) throws -> _RSA.Signing.PrivateKey {
        let file = state.signInKey
        if let pem = try? String(contentsOf: file, encoding: .utf8) {
            do { return try _RSA.Signing.PrivateKey(pemRepresentation: pem) } catch {
                throw PAMError(.io, "the sign-in key file is not a valid RSA private key", path: file.path, underlying: error)
            }
        }
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        try AtomicFile.write(Data(key.pemRepresentation.utf8), to: file, temporaryFolder: state.temporary, permissions: 0o600)
        // Another process may have won the race: everyone uses what is on disk.
        do {
            return try _RSA.Signing.PrivateKey(pemRepresentation: String(contentsOf: file, encoding: .utf8))
        } catch {
            throw PAMError(.io, "cannot read the sign-in key back", path: file.path, underlying: error)
        }
    }
}
