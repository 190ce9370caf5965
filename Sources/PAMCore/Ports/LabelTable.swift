/// A label with the number of images it was detected in.
public struct LabelCount: Sendable, Hashable, Codable {
    public var label: String
    public var count: Int

    public init(label: String, count: Int) {
        self.label = label
        self.count = count
    }
}

/// Labels with their counts and images (the reference's DynamoDB table `Label`/`Count`/`Images`).
public protocol LabelTable: Sendable {
    /// Records that `imageKey` shows `labels`. Each (label, image) pair counts once, however often,
    /// concurrently or after a crash, this is called. Returns the labels newly counted.
    @discardableResult
    func record(imageKey: String, labels: [String]) async throws -> [String]

    /// Every label with its count.
    func allLabels() async throws -> [LabelCount]

    /// The union of the images showing any of `labels`, without duplicates, sorted.
    func images(withAnyOf labels: [String]) async throws -> [String]
}
