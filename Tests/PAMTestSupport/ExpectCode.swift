import PAMCore
import Testing

/// Expects `body` to throw a `PAMError` with `code`.
public func expectCode(_ code: PAMError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected a \(code) error, but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as PAMError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a \(code) PAMError, got \(error)", sourceLocation: sourceLocation)
    }
}
