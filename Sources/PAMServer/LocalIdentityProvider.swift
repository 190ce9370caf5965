import Crypto
import Foundation
import PAMCore
import _CryptoExtras

/// The one user of the local sign-in, from configuration. The password is compared in constant
/// time and never logged; e-mail and phone are PII.
public struct LocalUser: Sendable {
    public var username: String
    public var email: String
    public var phone: String?
    public var password: String

    public init(username: String, email: String, phone: String?, password: String) {
        self.username = username
        self.email = email
        self.phone = phone
        self.password = password
    }

    /// A stable `sub` derived from the username, shaped like Cognito's UUIDs.
    var subject: String {
        let digest = Array(SHA256.hash(data: Data("pam-local-user:\(username)".utf8)).prefix(16))
        return UUID(uuid: (digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6] & 0x0F | 0x40, digest[7],
                           digest[8] & 0x3F | 0x80, digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]))
            .uuidString.lowercased()
    }
}

/// Emulates a Cognito user pool for one local user: issues RS256 id and access tokens with
/// Cognito's claims, publishes the JWKS, and verifies id tokens. The RSA key is generated once
/// and kept (PEM, mode 0600) in the state folder, so tokens survive restarts.
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

    /// Loads the signing key from `keyFile`, creating it on first use.
    public init(keyFile: URL, issuer: String, clientID: String, user: LocalUser, tokenLifetime: TimeInterval = 3600,
                clock: any WallClock = SystemClock()) throws {
        try self.init(keyFile: keyFile, issuer: { issuer }, clientID: clientID, user: user, tokenLifetime: tokenLifetime, clock: clock)
    }

    /// A user pool whose issuer is `address` as it stands when a token is issued or checked, so
    /// `pam serve --port 0` can settle its port after the provider was made.
    public init(keyFile: URL, address: ServiceAddress, clientID: String, user: LocalUser, tokenLifetime: TimeInterval = 3600,
                clock: any WallClock = SystemClock()) throws {
        try self.init(keyFile: keyFile, issuer: { address.text }, clientID: clientID, user: user, tokenLifetime: tokenLifetime, clock: clock)
    }

    private init(keyFile: URL, issuer: @escaping @Sendable () -> String, clientID: String, user: LocalUser, tokenLifetime: TimeInterval,
                 clock: any WallClock) throws {
        self.issuerSource = issuer
        self.clientID = clientID
        self.user = user
        self.tokenLifetime = tokenLifetime
        self.clock = clock
        self.key = try Self.loadOrCreateKey(keyFile)
        self.keyID = Base64URL.encode(Data(SHA256.hash(data: key.publicKey.derRepresentation).prefix(12)))
    }

    /// Whether `username` and `password` are the configured user's, compared in constant time.
    public func checkPassword(username: String, password: String) -> Bool {
        let given = Array(SHA256.hash(data: Data("\(username)\u{0}\(password)".utf8)))
        let expected = Array(SHA256.hash(data: Data("\(user.username)\u{0}\(user.password)".utf8)))
        return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// An id token and an access token for the user, as the hosted UI's implicit grant returns them.
    public func issueTokens() throws -> (idToken: String, accessToken: String, expiresIn: Int) {
        let now = clock.now().timeIntervalSince1970.rounded(.down)
        var id: [String: Any] = [
            "sub": user.subject, "aud": clientID, "iss": issuer, "token_use": "id", "cognito:username": user.username,
            "email": user.email, "email_verified": true, "auth_time": Int(now), "iat": Int(now),
            "exp": Int(now + tokenLifetime), "jti": UUID().uuidString.lowercased(),
        ]
        if let phone = user.phone {
            id["phone_number"] = phone
            id["phone_number_verified"] = true
        }
        let access: [String: Any] = [
            "sub": user.subject, "client_id": clientID, "iss": issuer, "token_use": "access", "scope": "openid email phone",
            "username": user.username, "auth_time": Int(now), "iat": Int(now), "exp": Int(now + tokenLifetime),
            "jti": UUID().uuidString.lowercased(),
        ]
        return (try JSONWebToken.sign(claims: id, keyID: keyID, key: key),
                try JSONWebToken.sign(claims: access, keyID: keyID, key: key), Int(tokenLifetime))
    }

    /// The JSON Web Key Set with the public key, as `/.well-known/jwks.json` serves it.
    public func jwks() throws -> Data {
        let primitives = try key.publicKey.getKeyPrimitives()
        let jwk: [String: Any] = [
            "kty": "RSA", "alg": "RS256", "use": "sig", "kid": keyID,
            "n": Base64URL.encode(primitives.modulus), "e": Base64URL.encode(primitives.publicExponent),
        ]
        return try JSONSerialization.data(withJSONObject: ["keys": [jwk]], options: [.sortedKeys])
    }

    public func verify(idToken: String) async throws -> UserIdentity {
        let claims = try JSONWebToken.verifiedClaims(idToken, keys: [keyID: key.publicKey])
        return try Self.identity(from: claims, issuer: issuer, clientID: clientID, now: clock.now())
    }

    /// Checks Cognito's id-token claims: issuer, audience, `token_use`, expiry.
    static func identity(from claims: [String: Any], issuer: String, clientID: String, now: Date) throws -> UserIdentity {
        guard claims["iss"] as? String == issuer else {
            throw PAMError(.invalidSignature, "the token's issuer is not this user pool (\(issuer)): was it minted for another port?")
        }
        guard claims["aud"] as? String == clientID else { throw PAMError(.invalidSignature, "the token is for another client") }
        guard claims["token_use"] as? String == "id" else { throw PAMError(.invalidSignature, "the token is not an id token") }
        guard let exp = (claims["exp"] as? NSNumber)?.doubleValue else { throw PAMError(.invalidSignature, "the token has no expiry") }
        guard exp > now.timeIntervalSince1970 else { throw PAMError(.expired, "the token has expired") }
        guard let subject = claims["sub"] as? String else { throw PAMError(.invalidSignature, "the token has no subject") }
        return UserIdentity(subject: subject, username: claims["cognito:username"] as? String ?? subject,
                            email: claims["email"] as? String, phone: claims["phone_number"] as? String)
    }

    static func loadOrCreateKey(_ file: URL) throws -> _RSA.Signing.PrivateKey {
        if let pem = try? String(contentsOf: file, encoding: .utf8) {
            do { return try _RSA.Signing.PrivateKey(pemRepresentation: pem) } catch {
                throw PAMError(.io, "the sign-in key file is not a valid RSA private key", path: file.path, underlying: error)
            }
        }
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).pem")
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: Data(key.pemRepresentation.utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw PAMError(.io, "cannot write the sign-in key", path: file.path)
            }
            guard rename(temporary.path, file.path) == 0 else { throw PAMError(.io, "cannot move the sign-in key into place", path: file.path) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        // Another process may have won the race: everyone uses what is on disk.
        return try _RSA.Signing.PrivateKey(pemRepresentation: String(contentsOf: file, encoding: .utf8))
    }
}
