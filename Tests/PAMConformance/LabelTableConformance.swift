import Foundation
import PAMCore
import Testing

/// What every `LabelTable` must do. Each check takes an empty table.
public enum LabelTableConformance {
    public static func runAll(_ makeTable: () async throws -> any LabelTable) async throws {
        try await countsEachImageOnce(try await makeTable())
        try await concurrentRecordsCountOnce(try await makeTable())
        try await imagesAreAUnion(try await makeTable())
    }

    public static func countsEachImageOnce(_ table: any LabelTable) async throws {
        #expect(try await table.record(imageKey: "a.jpg", labels: ["Sky", "Water", "Sky"]).sorted() == ["Sky", "Water"])
        #expect(try await table.record(imageKey: "a.jpg", labels: ["Sky", "Water"]) == [])
        #expect(try await table.record(imageKey: "b.jpg", labels: ["Sky"]) == ["Sky"])
        // A later analysis that finds one more label adds only that one.
        #expect(try await table.record(imageKey: "b.jpg", labels: ["Sky", "Mountain"]) == ["Mountain"])
        let counts = Dictionary(uniqueKeysWithValues: try await table.allLabels().map { ($0.label, $0.count) })
        #expect(counts == ["Sky": 2, "Water": 1, "Mountain": 1])
    }

    public static func concurrentRecordsCountOnce(_ table: any LabelTable) async throws {
        let labels = ["Forest", "Tree", "Vegetation", "Nature"]
        try await withThrowingTaskGroup(of: [String].self) { group in
            for round in 0..<40 {
                group.addTask { try await table.record(imageKey: "photo-\(round % 4).jpg", labels: labels) }
            }
            var newlyCounted = 0
            for try await counted in group { newlyCounted += counted.count }
            #expect(newlyCounted == 4 * labels.count)
        }
        for entry in try await table.allLabels() { #expect(entry.count == 4, "\(entry.label)") }
    }

    public static func imagesAreAUnion(_ table: any LabelTable) async throws {
        try await table.record(imageKey: "lake.jpg", labels: ["Water", "Mountain"])
        try await table.record(imageKey: "peak.jpg", labels: ["Mountain", "Snow"])
        try await table.record(imageKey: "wood.jpg", labels: ["Forest"])
        #expect(try await table.images(withAnyOf: ["Mountain", "Water"]) == ["lake.jpg", "peak.jpg"])
        #expect(try await table.images(withAnyOf: ["Snow", "Forest"]) == ["peak.jpg", "wood.jpg"])
        #expect(try await table.images(withAnyOf: ["Unknown"]) == [])
        #expect(try await table.images(withAnyOf: []) == [])
    }
}
