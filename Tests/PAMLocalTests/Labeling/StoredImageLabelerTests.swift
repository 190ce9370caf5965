import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

@Suite("StoredImageLabeler")
struct StoredImageLabelerTests {
    @Test("Labeler conformance", arguments: LabelerConformance.checks)
    func conformance(_ check: LabelerConformance.Check) async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            // Through a decode gate, as `pam` wires it.
            let labeler = StoredImageLabeler(store: store, gate: JPEGDecodeGate())
            try await check.run(
                LabelerConformance.Subject(
                    labeler: labeler, store: store, bucket: state.config.storageBucket,
                    maxImageBytes: StoredImageLabeler.maxImageBytes))
        }
    }
}
