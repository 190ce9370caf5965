/// A label with the number of images it was detected in.
public struct LabelCount: Sendable, Hashable, Codable {
    public var label: String
    public var count: Int

    public init(label: String, count: Int) {
        self.label = label
        self.count = count
    }
}

/// What one `LabelTable.record` changed: the labels the image newly counts under, and the labels
/// it no longer counts under (each count went down by one). Both sorted.
public struct LabelChange: Sendable, Hashable {
    public var added: [String]
    public var removed: [String]

    public init(added: [String] = [], removed: [String] = []) {
        self.added = added
        self.removed = removed
    }

    /// True when the table already held exactly these labels for the image.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty }
}

/// Labels with their counts and images (the reference's DynamoDB table `Label`/`Count`/`Images`).
public protocol LabelTable: Sendable {
    /// Sets the labels of `imageKey` to exactly `labels`: the image is counted once under each of
    /// them, and removed (its count down by one) from every label it had before and no longer has,
    /// such as after the object was overwritten with another photo. Each (label, image) pair counts
    /// once, however often, concurrently or after a crash this is called with the same labels.
    @discardableResult
    func record(imageKey: String, labels: [String]) async throws -> LabelChange

    /// `record(imageKey:labels:)` for each of `records`, in order, answering each one's change: all
    /// of them or, when it throws, none (a table that cannot do them at once does them one by one,
    /// each as safe on its own).
    func record(_ records: [(imageKey: String, labels: [String])]) async throws -> [LabelChange]

    /// Every label with its count.
    func allLabels() async throws -> [LabelCount]

    /// The union of the images showing any of `labels`, without duplicates, sorted.
    func images(withAnyOf labels: [String]) async throws -> [String]
}

extension LabelTable {
    /// One record after another (a table that has no cheaper way of doing many).
    public func record(_ records: [(imageKey: String, labels: [String])]) async throws -> [LabelChange] {
        var changes: [LabelChange] = []
        changes.reserveCapacity(records.count)
        for record in records { changes.append(try await self.record(imageKey: record.imageKey, labels: record.labels)) }
        return changes
    }
}
