import Foundation
import PAMCore
import PAMTestSupport
import Testing

/// The in-memory fakes the service tests run on are held to the same suites as the real adapters,
/// so what the services do on them is what they do on files, SQLite, S3 or DynamoDB.
@Suite("In-memory fakes")
struct InMemoryFakesConformanceTests {
    static let bucket = "pam-conformance"

    @Test("InMemoryObjectStore: ObjectStore conformance", arguments: ObjectStoreConformance.checks)
    func objectStore(_ check: ObjectStoreConformance.Check) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let store = InMemoryObjectStore(buckets: [Self.bucket], clock: clock)
        let probe = ObjectStoreConformance.PresignedProbe(fetch: { await store.fetch($0) }, elapse: { clock.advance(by: $0) })
        try await check.run(ObjectStoreConformance.Subject(store: store, bucket: Self.bucket, presigned: probe))
    }

    @Test("InMemoryLabelTable: LabelTable conformance", arguments: LabelTableConformance.checks)
    func labelTable(_ check: LabelTableConformance.Check) async throws {
        try await check.run(LabelTableConformance.Subject(table: InMemoryLabelTable(), atomic: true))
    }

    @Test("InMemoryLabeler: Labeler conformance", arguments: LabelerConformance.checks)
    func labeler(_ check: LabelerConformance.Check) async throws {
        let store = InMemoryObjectStore(buckets: [Self.bucket])
        try await check.run(LabelerConformance.Subject(labeler: InMemoryLabeler(store: store), store: store, bucket: Self.bucket))
    }

    @Test("InMemoryNotifier: Notifier conformance", arguments: NotifierConformance.checks)
    func notifier(_ check: NotifierConformance.Check) async throws {
        let notifier = InMemoryNotifier()
        let subject = NotifierConformance.Subject(notifier: notifier, email: "ada@example.com", phone: "+447700900123") { receipt, _ in
            try #require(await notifier.message(for: receipt))
        }
        try await check.run(subject)
    }

    @Test("InMemoryLabeler finds the labels a made photo carries, and other bytes for another variant")
    func madePhotos() async throws {
        let store = InMemoryObjectStore(buckets: [Self.bucket])
        let labeler = InMemoryLabeler(store: store)
        let first = InMemoryLabeler.photo(labels: ["Sky", "Water"])
        let second = InMemoryLabeler.photo(labels: ["Sky", "Water"], variant: 1)
        #expect(first != second)
        for (name, data) in [("a.jpg", first), ("b.jpg", second)] {
            let ref = ObjectRef(bucket: Self.bucket, key: name)
            try await store.put(ref, body: .data(data), options: PutOptions())
            #expect(
                try await labeler.detectLabels(in: ref, query: .default) == [
                    DetectedLabel(name: "Sky", confidence: 90), DetectedLabel(name: "Water", confidence: 90),
                ])
        }
    }
}
