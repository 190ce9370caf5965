import Foundation
import PAMCore

/// The user pool behind the local hosted UI (`SignInRoutes`): PAMLocal's `LocalIdentityProvider`,
/// conformed to this by the wiring, so the server depends on no adapter.
public protocol SignInProvider: Sendable {
    /// The app client id the hosted UI serves.
    var clientID: String { get }
    /// Whether `username` and `password` are the user's, compared in constant time.
    func checkPassword(username: String, password: String) -> Bool
    /// An id token and an access token for the user, as the implicit grant returns them.
    func issueTokens() throws -> (idToken: String, accessToken: String, expiresIn: Int)
    /// The JSON Web Key Set that verifies the tokens, as `/.well-known/jwks.json` serves it.
    func jwks() throws -> Data
}
