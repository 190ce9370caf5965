/// Step 3 of the pipeline: the labels with their counts, most frequent first.
public struct LabelsService: Sendable {
    let table: any LabelTable

    public init(table: any LabelTable) { self.table = table }

    /// Labels sorted by count (descending), then name — the wireframe's "Mountain (32)" order.
    public func labels() async throws -> [LabelCount] {
        try await table.allLabels().sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
    }
}
