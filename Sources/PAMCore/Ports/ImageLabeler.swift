import Foundation

/// A `Labeler` that also labels image bytes handed to it (Rekognition's DetectLabels with
/// `Image.Bytes`), for the AWS endpoint's Rekognition.
public protocol ImageLabeler: Labeler {
    /// Labels for the image `data`, filtered and limited by `query`; the same errors as
    /// `detectLabels(in:query:)` (`.invalidImage`, `.imageTooLarge`), without a `ref`.
    func detectLabels(inImage data: Data, query: LabelQuery) async throws -> [DetectedLabel]
}
