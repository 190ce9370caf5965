import Foundation

/// Names and durations of the pipeline, as in the reference stack.
public struct PipelineConfig: Sendable {
    /// Where photos go (`STORAGE_BUCKET_NAME`).
    public var storageBucket: String
    /// Where zip bundles go (`WORKING_BUCKET_NAME`).
    public var workingBucket: String
    /// The label table's name (`LABELS_TABLE_NAME`): the DynamoDB table on AWS, and the name the
    /// local label table has on `pam serve`'s AWS endpoint.
    public var labelTable: String
    /// Validity of presigned upload URLs.
    public var uploadURLLifetime: TimeInterval
    /// Validity of download links.
    public var downloadURLLifetime: TimeInterval
    /// Age after which working-bucket zips are deleted.
    public var bundleExpiry: TimeInterval
    /// Age after which storage objects move to INTELLIGENT_TIERING.
    public var tieringAge: TimeInterval
    /// The tag put on a photo once its labels are counted.
    public var analyzedTag: (key: String, value: String)
    /// Analyses running at once.
    public var concurrency: Int

    public init(
        storageBucket: String = "pam-storage", workingBucket: String = "pam-working", labelTable: String = "pam-labels",
        uploadURLLifetime: TimeInterval = 15 * 60, downloadURLLifetime: TimeInterval = 24 * 3600,
        bundleExpiry: TimeInterval = 24 * 3600, tieringAge: TimeInterval = 24 * 3600,
        analyzedTag: (key: String, value: String) = ("rekognition", "complete"),
        concurrency: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.storageBucket = storageBucket
        self.workingBucket = workingBucket
        self.labelTable = labelTable
        self.uploadURLLifetime = uploadURLLifetime
        self.downloadURLLifetime = downloadURLLifetime
        self.bundleExpiry = bundleExpiry
        self.tieringAge = tieringAge
        self.analyzedTag = analyzedTag
        self.concurrency = max(1, concurrency)
    }

    /// Whether the label table counts the object at `ref`: a `.jpg`/`.jpeg` of the storage bucket.
    public func countsPhoto(at ref: ObjectRef) -> Bool { ref.bucket == storageBucket && PhotoKey.isJPEG(ref.key) }
}
