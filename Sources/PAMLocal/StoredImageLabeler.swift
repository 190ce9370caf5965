import Foundation
import PAMCore

/// The local `Labeler`: reads a stored photo from the object store and labels it with the
/// histogram labeler — the offline stand-in for Rekognition's DetectLabels on an S3 object.
public struct StoredImageLabeler: Labeler {
    let store: any ObjectStore
    let labeler: HistogramLabeler
    /// Rekognition's limit for images stored in S3.
    public static let maxImageBytes = 15 << 20

    public init(store: any ObjectStore, labeler: HistogramLabeler = HistogramLabeler()) {
        self.store = store
        self.labeler = labeler
    }

    public func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel] {
        let info = try await store.head(ref)
        guard info.size <= Self.maxImageBytes else {
            throw PAMError(.imageTooLarge, "the image is \(info.size) bytes, over the \(Self.maxImageBytes)-byte limit", ref: ref)
        }
        let data = try await store.get(ref).collect(limit: Self.maxImageBytes)
        do {
            return try labeler.labels(forJPEG: data, query: query)
        } catch var error as PAMError {
            error.ref = ref
            throw error
        }
    }
}
