import Hummingbird
import PAMCore

/// `Authorization: Bearer <id_token>`, checked by the token verifier: the one gate of the API and
/// the outbox, so both refuse the same requests with the same 401.
struct BearerAuthenticator: Sendable {
    let tokens: any TokenVerifier

    /// The signed-in user, or 401.
    func authenticate(_ request: Request) async throws -> UserIdentity {
        guard var token = request.headers[.authorization] else { throw ServerError.unauthorized }
        if token.lowercased().hasPrefix("bearer ") { token = String(token.dropFirst(7)) }
        do {
            return try await tokens.verify(idToken: token.trimmingCharacters(in: .whitespaces))
        } catch {
            throw ServerError(status: .unauthorized, message: (error as? PAMError)?.code == .expired ? "The token has expired" : "Unauthorized")
        }
    }
}
