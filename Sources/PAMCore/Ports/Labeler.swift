import Foundation

/// Detects labels in an image stored in a bucket (Rekognition's DetectLabels on an S3 object).
public protocol Labeler: Sendable {
    /// Labels for the object at `ref`, filtered and limited by `query`.
    /// Throws `PAMError` with code `.invalidImage` when the object is not a decodable JPEG, and
    /// `.imageTooLarge` when its dimensions or byte size are over the labeler's limits.
    func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel]
}
