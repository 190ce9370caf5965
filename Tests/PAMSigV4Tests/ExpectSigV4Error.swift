import PAMSigV4
import Testing

/// Runs `body`, expecting it to throw a `SigV4Error` with `code` (and `message`, when given); returns it.
@discardableResult
func expectSigV4Error(
    _ code: SigV4Error.Code, message: String? = nil, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> SigV4Error? {
    do {
        try await body()
        Issue.record("expected \(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as SigV4Error {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let message { #expect(error.message == message, sourceLocation: sourceLocation) }
        return error
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
