import Foundation

/// The signed-in user an id token speaks for (Cognito's id-token claims PAM uses).
public struct UserIdentity: Sendable, Hashable {
    /// The user's stable id (`sub`).
    public var subject: String
    /// `cognito:username`.
    public var username: String
    /// The `email` claim: PII, never logged.
    public var email: String?
    /// The `phone_number` claim: PII, never logged.
    public var phone: String?

    public init(subject: String, username: String, email: String?, phone: String?) {
        self.subject = subject
        self.username = username
        self.email = email
        self.phone = phone
    }
}

/// Verifies the `Authorization: Bearer` id tokens the API receives: signature, expiry, audience,
/// issuer and `token_use` (the local sign-in emulator, or a real Cognito user pool).
public protocol TokenVerifier: Sendable {
    /// The token's user; throws `PAMError` with `.invalidSignature`, `.foreignIssuer`
    /// (signed by the pool's key for another issuer) or `.expired` otherwise.
    func verify(idToken: String) async throws -> UserIdentity
}
