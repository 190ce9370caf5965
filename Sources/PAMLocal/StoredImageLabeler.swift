import Foundation
import PAMCore

/// The local `Labeler`: reads a stored photo from the object store and labels it with the
/// histogram labeler — the offline stand-in for Rekognition's DetectLabels on an S3 object.
///
/// With a ``JPEGDecodeGate`` the decode runs through it: off the cooperative pool, a bounded number
/// at once, within the gate's memory budget.
public struct StoredImageLabeler: ImageLabeler {
    let store: any ObjectStore
    let labeler: HistogramLabeler
    let gate: JPEGDecodeGate?
    /// Rekognition's limit for images stored in S3.
    public static let maxImageBytes = 15 << 20

    public init(store: any ObjectStore, labeler: HistogramLabeler = HistogramLabeler(), gate: JPEGDecodeGate? = nil) {
        self.store = store
        self.labeler = labeler
        self.gate = gate
    }

    public func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel] {
        let info = try await store.head(ref)
        guard info.size <= Self.maxImageBytes else {
            throw PAMError(.imageTooLarge, "the image is \(info.size) bytes, over the \(Self.maxImageBytes)-byte limit", ref: ref)
        }
        let data = try await store.get(ref).collect(limit: Self.maxImageBytes)
        do {
            return try await detectLabels(inImage: data, query: query)
        } catch var error as PAMError {
            error.ref = ref
            throw error
        }
    }

    /// Labels for `data` (at most `maxImageBytes`), through the gate when there is one.
    public func detectLabels(inImage data: Data, query: LabelQuery) async throws -> [DetectedLabel] {
        guard data.count <= Self.maxImageBytes else {
            throw PAMError(.imageTooLarge, "the image is \(data.count) bytes, over the \(Self.maxImageBytes)-byte limit")
        }
        guard let gate else { return try labeler.labels(forJPEG: data, query: query) }
        let labeler = self.labeler
        return try await gate.run(cost: try labeler.decodeCost(data).bytes) { try labeler.labels(forJPEG: data, query: query) }
    }
}
