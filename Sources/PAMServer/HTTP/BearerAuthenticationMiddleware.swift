import Hummingbird
import PAMCore

/// `Authorization: Bearer <id_token>`, checked by the token verifier before the route runs: the
/// one gate of the API and the outbox, so both refuse the same requests with the same 401. The
/// user goes into the context (`PAMRequestContext.identity`) for the route to read.
struct BearerAuthenticationMiddleware: RouterMiddleware {
    typealias Context = PAMRequestContext
    let tokens: any TokenVerifier

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = try await authenticate(request)
        return try await next(request, context)
    }

    /// The signed-in user, or 401.
    private func authenticate(_ request: Request) async throws -> UserIdentity {
        guard var token = request.headers[.authorization] else { throw ServerError.unauthorized }
        if token.prefix(7).lowercased() == "bearer " { token = String(token.dropFirst(7)) }
        do {
            return try await tokens.verify(idToken: Self.trimmed(token))
        } catch {
            throw ServerError(status: .unauthorized, message: Self.unauthorizedMessage(error))
        }
    }

    /// `token` without the whitespace around it; a token that starts and ends with visible ASCII
    /// (every JWT) as it is, without Foundation's character-set scan.
    static func trimmed(_ token: String) -> String {
        func visible(_ scalar: Unicode.Scalar?) -> Bool { scalar.map { $0.value > 0x20 && $0.value < 0x7F } ?? false }
        if visible(token.unicodeScalars.first), visible(token.unicodeScalars.last) { return token }
        return token.trimmingCharacters(in: .whitespaces)
    }

    /// A 401's message: "Unauthorized", except where the reason helps the token's holder and
    /// tells a forger nothing — expiry, and a token signed by this pool's key but for another
    /// issuer (minted for another port or base URL), which both verifiers check after the signature.
    static func unauthorizedMessage(_ error: any Error) -> String {
        guard let error = error as? PAMError else { return "Unauthorized" }
        switch error.code {
        case .expired: return "The token has expired"
        case .foreignIssuer: return "Unauthorized: \(error.message)"
        default: return "Unauthorized"
        }
    }
}
