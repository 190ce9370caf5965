import Testing

/// One named check of a conformance suite. An adapter's tests run a suite as one parameterized
/// test over its `checks`, so each check passes or fails as a test case of its own, under its name:
///
///     @Test("ObjectStore conformance", arguments: ObjectStoreConformance.checks)
///     func conformance(_ check: ObjectStoreConformance.Check) async throws {
///         try await check.run(ObjectStoreConformance.Subject(store: …, bucket: …, presigned: …))
///     }
///
/// Each case gets a fresh subject, so the checks are independent of each other and of their order.
public struct ConformanceCheck<Subject>: Sendable, Identifiable, CustomTestStringConvertible {
    /// What the check proves, as a sentence; also its test case's name and identity.
    public let name: String
    private let body: @Sendable (Subject) async throws -> Void

    public init(_ name: String, _ body: @escaping @Sendable (Subject) async throws -> Void) {
        self.name = name
        self.body = body
    }

    public var id: String { name }
    public var testDescription: String { name }

    /// Runs the check on `subject`; failures are recorded as issues of the running test.
    public func run(_ subject: Subject) async throws { try await body(subject) }
}
