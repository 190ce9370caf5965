import Crypto
import Foundation
import PAMAWS
import PAMCore
import PAMTestSupport
import PAMWebToken
import Testing
import _CryptoExtras

/// `CognitoTokenVerifier` with tokens signed by a key made here, published in a JWKS it fetches.
@Suite("CognitoTokenVerifier")
struct CognitoTokenVerifierTests {
    static let issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST"
    static let clientID = "client123"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A user pool in miniature: a signing key, its JWKS, and a token factory.
    struct Pool {
        let key: _RSA.Signing.PrivateKey
        let kid: String
        let fetches = FetchCount()

        init(kid: String = "key-1") throws {
            key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            self.kid = kid
        }

        var jwks: Data {
            get throws { try JSONWebKeySet(keys: [kid: key.publicKey]).data() }
        }

        func token(_ overrides: [String: Any] = [:], kid: String? = nil) throws -> String {
            var claims: [String: Any] = [
                "sub": "user-sub-1", "cognito:username": "ada", "email": "ada@example.com", "aud": CognitoTokenVerifierTests.clientID,
                "iss": CognitoTokenVerifierTests.issuer, "token_use": "id",
                "exp": CognitoTokenVerifierTests.now.timeIntervalSince1970 + 3600,
                "iat": CognitoTokenVerifierTests.now.timeIntervalSince1970,
            ]
            for (name, value) in overrides { claims[name] = value }
            let header = try JSONSerialization.data(withJSONObject: ["alg": "RS256", "kid": kid ?? self.kid, "typ": "JWT"])
            let payload = try JSONSerialization.data(withJSONObject: claims)
            let input = Base64URL.encode(header) + "." + Base64URL.encode(payload)
            let signature = try key.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5)
            return input + "." + Base64URL.encode(signature.rawRepresentation)
        }

        func verifier(clock: any WallClock = ManualClock(CognitoTokenVerifierTests.now)) throws -> CognitoTokenVerifier {
            let jwks = try self.jwks
            let fetches = self.fetches
            return CognitoTokenVerifier(
                issuer: CognitoTokenVerifierTests.issuer, clientID: CognitoTokenVerifierTests.clientID,
                clock: clock
            ) {
                fetches.add()
                return jwks
            }
        }
    }

    /// How often the key set was fetched.
    final class FetchCount: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        var count: Int { lock.withLock { value } }
        func add() { lock.withLock { value += 1 } }
    }

    @Test("accepts a valid id token and returns its user")
    func valid() async throws {
        let pool = try Pool()
        let verifier = try pool.verifier()
        let user = try await verifier.verify(idToken: try pool.token())
        #expect(user == UserIdentity(subject: "user-sub-1", username: "ada", email: "ada@example.com", phone: nil))
        _ = try await verifier.verify(idToken: try pool.token(["aud": ["other", Self.clientID]]))
        #expect(pool.fetches.count == 1, "the key set is fetched once and cached")
    }

    /// The refusals are the TokenVerifier conformance suite's (below); these are the key cache's.
    @Test("an unknown key id refetches the key set at most once a minute; known keys are trusted for an hour")
    func keyCache() async throws {
        let pool = try Pool()
        let clock = ManualClock(Self.now)
        let verifier = try pool.verifier(clock: clock)
        let later = Self.now.timeIntervalSince1970 + 86_400
        _ = try await verifier.verify(idToken: try pool.token(["exp": later]))
        #expect(pool.fetches.count == 1)
        // A rotated key the set does not have: refused, and a flood of them fetches nothing more within a minute.
        for _ in 0..<3 {
            await #expect(throws: PAMError.self) { try await verifier.verify(idToken: try pool.token(["exp": later], kid: "rotated")) }
        }
        #expect(pool.fetches.count == 1)
        clock.advance(by: 60)
        await #expect(throws: PAMError.self) { try await verifier.verify(idToken: try pool.token(["exp": later], kid: "rotated")) }
        #expect(pool.fetches.count == 2)
        _ = try await verifier.verify(idToken: try pool.token(["exp": later]))
        #expect(pool.fetches.count == 2, "a known key within the hour needs no fetch")
        clock.advance(by: 3600)
        _ = try await verifier.verify(idToken: try pool.token(["exp": later]))
        #expect(pool.fetches.count == 3, "after an hour the set is fetched again")
    }
}

/// The TokenVerifier conformance suite on the Cognito verifier: a key made here, served as the
/// pool's JWKS, and the 60 s leeway it grants the pool's clock.
@Suite("CognitoTokenVerifier: TokenVerifier conformance")
struct CognitoTokenVerifierConformanceTests {
    typealias Suite = TokenVerifierConformance

    func withPool(_ check: (Suite.Pool) async throws -> Void) async throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let jwks = try JSONWebKeySet(keys: ["conformance-key": key.publicKey]).data()
        let issuer = CognitoTokenVerifierTests.issuer
        let clientID = CognitoTokenVerifierTests.clientID
        let now = CognitoTokenVerifierTests.now
        let verifier = CognitoTokenVerifier(issuer: issuer, clientID: clientID, clock: ManualClock(now)) { jwks }
        try await check(
            Suite.Pool(
                verifier: verifier, key: key, keyID: "conformance-key", issuer: issuer, clientID: clientID,
                now: now, leeway: 60))
    }

    @Test("TokenVerifier conformance", arguments: Suite.checks)
    func conformance(_ check: Suite.Check) async throws { try await withPool(check.run) }
}

/// The verifier on a real Cognito-shaped user pool: moto's, its JWKS and its id tokens.
@Suite("CognitoTokenVerifier on moto")
struct CognitoOnMotoTests {
    @Test("verifies the id tokens of moto's user pool")
    func moto() async throws {
        let endpoint = try await MotoServer.shared.endpoint()
        let script = """
            import sys, boto3
            idp = boto3.client("cognito-idp", endpoint_url=sys.argv[1], region_name="us-east-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing")
            pool = idp.create_user_pool(PoolName="pam")["UserPool"]["Id"]
            client = idp.create_user_pool_client(UserPoolId=pool, ClientName="web")["UserPoolClient"]["ClientId"]
            idp.admin_create_user(UserPoolId=pool, Username="ada", TemporaryPassword="Temp-Passw0rd!",
                                  UserAttributes=[{"Name": "email", "Value": "ada@example.com"}])
            idp.admin_set_user_password(UserPoolId=pool, Username="ada", Password="Passw0rd!-long", Permanent=True)
            auth = idp.admin_initiate_auth(UserPoolId=pool, ClientId=client, AuthFlow="ADMIN_NO_SRP_AUTH",
                                           AuthParameters={"USERNAME": "ada", "PASSWORD": "Passw0rd!-long"})
            print(pool, client, auth["AuthenticationResult"]["IdToken"], auth["AuthenticationResult"]["AccessToken"])
            """
        let run = try await ExternalProcess.python(script, [endpoint.absoluteString])
        let parts = run.output.split(whereSeparator: \.isWhitespace).map(String.init)
        try #require(parts.count == 4, "\(run.errors)")
        let (pool, client, idToken, accessToken) = (parts[0], parts[1], parts[2], parts[3])
        let verifier = CognitoTokenVerifier(
            region: "us-east-1", userPoolID: pool, clientID: client,
            jwksURL: endpoint.appendingPathComponent(pool).appendingPathComponent(".well-known/jwks.json"))
        let user = try await verifier.verify(idToken: idToken)
        #expect(user.username == "ada" && !user.subject.isEmpty)
        #expect(user.email == nil || user.email == "ada@example.com")
        do {
            _ = try await verifier.verify(idToken: accessToken)
            Issue.record("an access token was accepted as an id token")
        } catch let error as PAMError {
            #expect(error.code == .invalidSignature)
        }
        let otherClient = CognitoTokenVerifier(
            region: "us-east-1", userPoolID: pool, clientID: "another-client",
            jwksURL: endpoint.appendingPathComponent(pool).appendingPathComponent(".well-known/jwks.json"))
        await #expect(throws: PAMError.self) { _ = try await otherClient.verify(idToken: idToken) }
    }
}
