import Crypto
import Foundation
import PAMCore
import PAMWebToken
import Testing
import _CryptoExtras

/// What every `TokenVerifier` must do with Cognito-shaped id tokens, as named `checks` (an
/// adapter's tests run them as one parameterized test, see `ConformanceCheck`); each takes a
/// `Pool` whose key the verifier trusts, and mints its tokens with it.
///
/// The checks are the rules the two verifiers once disagreed on (leeway, an `aud` array, an empty
/// `sub`) and the forgeries any JWT verifier must refuse (another key, `alg: none`, HS256 keyed
/// with the public key, base64url spellings other than the canonical one).
public enum TokenVerifierConformance {
    /// A verifier and the user pool it trusts.
    public struct Pool: Sendable {
        public var verifier: any TokenVerifier
        /// The private key of a key the verifier trusts, and its key id.
        public var key: _RSA.Signing.PrivateKey
        public var keyID: String
        public var issuer: String
        public var clientID: String
        /// The time on the verifier's clock, which stands still during a check.
        public var now: Date
        /// The clock difference the verifier tolerates for `exp`.
        public var leeway: TimeInterval

        public init(
            verifier: any TokenVerifier, key: _RSA.Signing.PrivateKey, keyID: String, issuer: String, clientID: String,
            now: Date, leeway: TimeInterval
        ) {
            self.verifier = verifier
            self.key = key
            self.keyID = keyID
            self.issuer = issuer
            self.clientID = clientID
            self.now = now
            self.leeway = leeway
        }

        /// The claims of a valid id token of `user`, changed by `changes` (nil removes a claim).
        public func claims(_ changes: [String: JSONValue?] = [:]) -> [String: JSONValue] {
            var claims: [String: JSONValue] = [
                "sub": .string(user.subject), "cognito:username": .string(user.username), "email": .string(user.email ?? ""),
                "phone_number": .string(user.phone ?? ""), "aud": .string(clientID), "iss": .string(issuer), "token_use": "id",
                "iat": .number(now.timeIntervalSince1970.rounded(.down)), "exp": .number(now.timeIntervalSince1970.rounded(.down) + 3600),
                "jti": .string(UUID().uuidString.lowercased()),
            ]
            for (name, value) in changes { claims[name] = value }
            return claims
        }

        /// A token of `claims`, RS256-signed with the pool's key (or `signer`) under the pool's key id.
        public func token(_ claims: [String: JSONValue], signer: _RSA.Signing.PrivateKey? = nil) throws -> String {
            try JSONWebToken.signRS256(claims: claims, keyID: keyID, key: signer ?? key)
        }

        /// The user the valid tokens speak for.
        public var user: UserIdentity {
            UserIdentity(subject: "5d4b8a1e-conformance-sub", username: "ada", email: "ada@example.org", phone: "+34600123456")
        }
    }

    public typealias Check = ConformanceCheck<Pool>

    public static let checks: [Check] = [
        Check("a valid token is accepted as its user; aud may be an array") { try await acceptsAValidToken($0) },
        Check("a token is expired from exp + leeway on; one without exp is refused") { try await refusesAnExpiredToken($0) },
        Check("a token within the leeway is accepted") { try await acceptsATokenWithinTheLeeway($0) },
        Check("a token for another app client is refused (aud a string or an array)") { try await refusesAnotherAudience($0) },
        Check("a token of another issuer is refused as .foreignIssuer") { try await refusesAnotherIssuer($0) },
        Check("only id tokens are accepted") { try await refusesAnotherTokenUse($0) },
        Check("a token without a non-empty sub is refused") { try await refusesAnEmptySubject($0) },
        Check("another key's signature or an edit after signing is refused") { try await refusesABadSignature($0) },
        Check("alg none, HS256 keyed with the public key, RS512 and no key id are refused") { try await refusesOtherAlgorithms($0) },
        Check("non-canonical base64url is refused") { try await refusesMalformedBase64URL($0) },
        Check("a header or claims naming a member twice are refused") { try await refusesDuplicateNames($0) },
    ]

    /// A valid token is accepted, as the user its claims name; `aud` may also be an array.
    public static func acceptsAValidToken(_ pool: Pool) async throws {
        #expect(try await pool.verifier.verify(idToken: try pool.token(pool.claims())) == pool.user)
        let array = try pool.token(pool.claims(["aud": ["another-client", .string(pool.clientID)]]))
        #expect(try await pool.verifier.verify(idToken: array) == pool.user)
        // Without `cognito:username` the username is the subject, as Cognito's own tokens of federated users.
        let bare = try pool.token(pool.claims(["cognito:username": nil, "email": nil, "phone_number": nil]))
        #expect(
            try await pool.verifier.verify(idToken: bare)
                == UserIdentity(subject: pool.user.subject, username: pool.user.subject, email: nil, phone: nil))
    }

    /// A token is expired from `exp + leeway` on (`.expired`); one without a numeric `exp` is refused.
    public static func refusesAnExpiredToken(_ pool: Pool) async throws {
        let now = pool.now.timeIntervalSince1970
        for expiry in [now - pool.leeway, now - pool.leeway - 1, now - pool.leeway - 86_400] {
            await expectRefusal(.expired, "exp \(expiry) at \(now)") {
                try await pool.verifier.verify(idToken: try pool.token(pool.claims(["exp": .number(expiry)])))
            }
        }
        for expiry: JSONValue? in [nil, .string("\(Int(now) + 3600)"), true, .null] {
            await expectRefusal(.invalidSignature, "exp \(String(describing: expiry))") {
                try await pool.verifier.verify(idToken: try pool.token(pool.claims(["exp": expiry])))
            }
        }
    }

    /// A token that expired less than `leeway` ago is still accepted (with no leeway: one that
    /// expires a second from now).
    public static func acceptsATokenWithinTheLeeway(_ pool: Pool) async throws {
        let expiry = pool.now.timeIntervalSince1970 - pool.leeway + 1
        #expect(try await pool.verifier.verify(idToken: try pool.token(pool.claims(["exp": .number(expiry)]))) == pool.user)
    }

    /// A token for another app client is refused, whether `aud` is a string or an array.
    public static func refusesAnotherAudience(_ pool: Pool) async throws {
        let audiences: [JSONValue?] = [
            "another-client", ["another-client"], ["another-client", "a-third"], [], .string(pool.clientID.uppercased()),
            .string(pool.clientID + " "), .array([.array([.string(pool.clientID)])]), nil,
        ]
        for audience in audiences {
            await expectRefusal(.invalidSignature, "aud \(String(describing: audience))") {
                try await pool.verifier.verify(idToken: try pool.token(pool.claims(["aud": audience])))
            }
        }
    }

    /// A token of another issuer is refused, also when signed with the pool's key, as `.foreignIssuer`
    /// (the server tells its holder why: minted for another pool or port).
    public static func refusesAnotherIssuer(_ pool: Pool) async throws {
        for issuer: JSONValue? in ["https://evil.example/pool", .string(pool.issuer + "/"), .string(pool.issuer.uppercased()), nil] {
            await expectRefusal(.foreignIssuer, "iss \(String(describing: issuer))") {
                try await pool.verifier.verify(idToken: try pool.token(pool.claims(["iss": issuer])))
            }
        }
    }

    /// Only id tokens are accepted: an access token, or one without `token_use`, is refused.
    public static func refusesAnotherTokenUse(_ pool: Pool) async throws {
        for use: JSONValue? in ["access", "ID", nil] {
            await expectRefusal(.invalidSignature, "token_use \(String(describing: use))") {
                try await pool.verifier.verify(idToken: try pool.token(pool.claims(["token_use": use])))
            }
        }
    }

    /// A token without a non-empty string `sub` is refused.
    public static func refusesAnEmptySubject(_ pool: Pool) async throws {
        for subject: JSONValue? in ["", nil, 42, .null] {
            await expectRefusal(.invalidSignature, "sub \(String(describing: subject))") {
                try await pool.verifier.verify(idToken: try pool.token(pool.claims(["sub": subject])))
            }
        }
    }

    /// Signed by another key under the trusted key id, signed under an unknown key id, or changed
    /// after signing: refused.
    public static func refusesABadSignature(_ pool: Pool) async throws {
        let other = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        await expectRefusal(.invalidSignature, "another key") {
            try await pool.verifier.verify(idToken: try pool.token(pool.claims(), signer: other))
        }
        let unknownKey = try JSONWebToken.signRS256(claims: pool.claims(), keyID: pool.keyID + "-unknown", key: pool.key)
        await expectRefusal(.invalidSignature, "an unknown key id") { try await pool.verifier.verify(idToken: unknownKey) }
        let parts = try pool.token(pool.claims()).split(separator: ".").map(String.init)
        let changed = Base64URL.encode(try JSONWebToken.encode(pool.claims(["sub": "someone-else"])))
        await expectRefusal(.invalidSignature, "changed claims") {
            try await pool.verifier.verify(idToken: "\(parts[0]).\(changed).\(parts[2])")
        }
        var flipped = Array(try #require(Base64URL.decode(parts[2])))
        flipped[flipped.count / 2] ^= 0x01
        await expectRefusal(.invalidSignature, "a changed signature byte") {
            try await pool.verifier.verify(idToken: "\(parts[0]).\(parts[1]).\(Base64URL.encode(flipped))")
        }
    }

    /// Only RS256: `alg: none` (with and without a signature), HS256 keyed with the public key
    /// (the algorithm-confusion forgery), RS512, and a header without a key id are refused.
    public static func refusesOtherAlgorithms(_ pool: Pool) async throws {
        let claims = try JSONWebToken.encode(pool.claims())
        let rsa = try pool.token(pool.claims())
        let none = try JSONWebToken.sign(header: .init(alg: "none", kid: pool.keyID), claims: claims) { _ in Data() }
        let noneSigned = try JSONWebToken.sign(header: .init(alg: "none", kid: pool.keyID), claims: claims) { _ in
            try #require(Base64URL.decode(rsa.split(separator: ".")[2]))
        }
        let publicKeys = [Data(pool.key.publicKey.pemRepresentation.utf8), pool.key.publicKey.derRepresentation]
        let hmac = try publicKeys.map { secret in
            try JSONWebToken.sign(header: .init(alg: "HS256", kid: pool.keyID), claims: claims) { input in
                Data(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: secret)))
            }
        }
        let rs512 = try JSONWebToken.sign(header: .init(alg: "RS512", kid: pool.keyID), claims: claims) { input in
            try pool.key.signature(for: SHA512.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        }
        let noKeyID = try JSONWebToken.sign(header: .init(alg: "RS256", kid: nil), claims: claims) { input in
            try pool.key.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        }
        let forgeries = [("none", none), ("none, signed", noneSigned), ("RS512", rs512), ("no kid", noKeyID)] + hmac.map { ("HS256", $0) }
        for (name, token) in forgeries {
            await expectRefusal(.invalidSignature, name) { try await pool.verifier.verify(idToken: token) }
        }
    }

    /// Only the canonical base64url spelling of a valid token is accepted: padding, the standard
    /// alphabet, changed unused bits of a last character, whitespace and a wrong number of parts
    /// are refused, although a lax decoder reads the same bytes from most of them.
    public static func refusesMalformedBase64URL(_ pool: Pool) async throws {
        let token = try pool.token(pool.claims())
        let parts = token.split(separator: ".").map(String.init)
        var spellings: [(String, String)] = [
            ("padding", token + String(repeating: "=", count: (4 - parts[2].count % 4) % 4)), ("more padding", token + "===="),
            ("padded header", "\(parts[0])==.\(parts[1]).\(parts[2])"),
            ("standard alphabet", token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")),
            ("a space", "\(parts[0]).\(parts[1]) .\(parts[2])"), ("a newline", "\(parts[0]).\(parts[1]).\n\(parts[2])"),
            ("four parts", token + ".\(parts[2])"), ("two parts", "\(parts[0]).\(parts[1])"), ("empty", ""), ("dots", ".."),
            ("not base64url", "not.a.jwt!"), ("UTF-8", "\(parts[0]).\(parts[1]).\(parts[2].dropLast())é"),
        ]
        // The signature's last character carries unused bits when its length is not a multiple of three.
        let signature = try #require(Base64URL.decode(parts[2]))
        if signature.count % 3 != 0 {
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            let last = try #require(alphabet.firstIndex(of: parts[2].last!))
            spellings.append(("unused bits", "\(parts[0]).\(parts[1]).\(parts[2].dropLast())\(alphabet[last ^ 1])"))
        }
        for (name, spelling) in spellings where spelling != token {
            await expectRefusal(.invalidSignature, name) { try await pool.verifier.verify(idToken: spelling) }
        }
        // The valid spelling itself still verifies: the refusals above are the spelling's.
        #expect(try await pool.verifier.verify(idToken: token) == pool.user)
    }

    /// A header or claims object naming a member twice is refused, whichever copy would be valid:
    /// parsers disagree on which one counts (RFC 7519 allows only the last, or a refusal).
    public static func refusesDuplicateNames(_ pool: Pool) async throws {
        let claims = String(decoding: try JSONWebToken.encode(pool.claims()), as: UTF8.self)
        let header = String(decoding: try JSONWebToken.encode(JSONWebToken.Header(alg: "RS256", kid: pool.keyID)), as: UTF8.self)
        let cases: [(String, header: String, claims: String)] = [
            ("sub first", header, #"{"sub":"mallory","# + claims.dropFirst()),
            ("sub last", header, String(claims.dropLast()) + #","sub":"mallory"}"#),
            ("escaped name", header, #"{"s\u0075b":"mallory","# + claims.dropFirst()),
            ("same value", header, #"{"sub":"\#(pool.user.subject)","# + claims.dropFirst()),
            ("header alg", #"{"alg":"none","# + header.dropFirst(), claims),
        ]
        for (name, header, claims) in cases {
            let input = Base64URL.encode(Data(header.utf8)) + "." + Base64URL.encode(Data(claims.utf8))
            let signature = try pool.key.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5)
            await expectRefusal(.invalidSignature, name) {
                try await pool.verifier.verify(idToken: input + "." + Base64URL.encode(signature.rawRepresentation))
            }
        }
        // The same names in different objects are not duplicates.
        let nested = try pool.token(pool.claims(["address": ["sub": "street", "email": "x"]]))
        #expect(try await pool.verifier.verify(idToken: nested) == pool.user)
    }

    /// Expects `body` to throw `PAMError` with `code`.
    static func expectRefusal(
        _ code: PAMError.Code, _ comment: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> UserIdentity
    ) async {
        do {
            let identity = try await body()
            Issue.record("accepted (\(comment)) as \(identity.username)", sourceLocation: sourceLocation)
        } catch let error as PAMError {
            #expect(error.code == code, "\(comment): \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(comment): not a PAMError: \(error)", sourceLocation: sourceLocation)
        }
    }
}
