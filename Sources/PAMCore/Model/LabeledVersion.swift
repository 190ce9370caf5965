/// Labels already detected for one version of a stored photo, named by the version's ETag: what an
/// upload check that labelled the bytes hands to that upload's analysis
/// (``AnalysisService/analyze(_:labeled:)``), so the photo is decoded once. The analysis uses them
/// only while the stored object still has this ETag; another version is labelled from the store.
public struct LabeledVersion: Sendable, Hashable {
    /// The ETag of the stored version the labels were detected on.
    public var etag: String
    public var labels: [DetectedLabel]

    public init(etag: String, labels: [DetectedLabel]) {
        self.etag = etag
        self.labels = labels
    }
}
