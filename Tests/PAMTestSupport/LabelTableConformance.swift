import Foundation
import PAMCore
import Testing

/// What every `LabelTable` must do. Each check takes an empty table.
public enum LabelTableConformance {
    /// What a check runs on: an empty table, and whether its backend promises atomic conditional
    /// updates under concurrency (SQLite, real DynamoDB): only then are the concurrent checks run
    /// concurrently. An emulator that is not atomic (moto's UpdateItem is a read-modify-write)
    /// gets the same calls one after another, so the suite never fails by chance.
    public struct Subject: Sendable {
        public var table: any LabelTable
        public var atomic: Bool

        public init(table: any LabelTable, atomic: Bool) {
            self.table = table
            self.atomic = atomic
        }
    }

    public typealias Check = ConformanceCheck<Subject>

    /// Every check, for one parameterized test per adapter.
    public static let checks: [Check] = [
        Check("each (label, image) pair counts once") { try await countsEachImageOnce($0.table) },
        Check("repeated records of the same labels count once") { try await repeatedRecordsCountOnce($0.table, concurrently: $0.atomic) },
        Check("images(withAnyOf:) is the union of the labels' images") { try await imagesAreAUnion($0.table) },
        Check("recording an overwritten image sets exactly its new labels") { try await overwriteSetsExactlyTheNewLabels($0.table) },
        Check("repeated overwrites count each change once") {
            try await repeatedOverwritesCountOnce($0.table, concurrently: $0.atomic)
        },
        Check("canonically equal keys (NFC, NFD) are two images") { try await canonicallyEqualKeysAreTwoImages($0.table) },
        Check("many records in one call change what they would one by one, in order") { try await recordsInOneCall($0.table) },
    ]

    static func counts(_ table: any LabelTable) async throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try await table.allLabels().map { ($0.label, $0.count) })
    }

    public static func countsEachImageOnce(_ table: any LabelTable) async throws {
        #expect(try await table.record(imageKey: "a.jpg", labels: ["Sky", "Water", "Sky"]) == LabelChange(added: ["Sky", "Water"]))
        #expect(try await table.record(imageKey: "a.jpg", labels: ["Sky", "Water"]) == LabelChange())
        #expect(try await table.record(imageKey: "b.jpg", labels: ["Sky"]) == LabelChange(added: ["Sky"]))
        // A later analysis that finds one more label adds only that one.
        #expect(try await table.record(imageKey: "b.jpg", labels: ["Sky", "Mountain"]) == LabelChange(added: ["Mountain"]))
        #expect(try await counts(table) == ["Sky": 2, "Water": 1, "Mountain": 1])
    }

    /// Forty records of four images, at once when `concurrently`, else one after another.
    public static func repeatedRecordsCountOnce(_ table: any LabelTable, concurrently: Bool) async throws {
        let labels = ["Forest", "Tree", "Vegetation", "Nature"]
        var newlyCounted = 0
        if concurrently {
            try await withThrowingTaskGroup(of: LabelChange.self) { group in
                for round in 0..<40 {
                    group.addTask { try await table.record(imageKey: "photo-\(round % 4).jpg", labels: labels) }
                }
                for try await change in group {
                    newlyCounted += change.added.count
                    #expect(change.removed.isEmpty)
                }
            }
        } else {
            for round in 0..<40 {
                let change = try await table.record(imageKey: "photo-\(round % 4).jpg", labels: labels)
                newlyCounted += change.added.count
                #expect(change.removed.isEmpty)
            }
        }
        #expect(newlyCounted == 4 * labels.count)
        #expect(try await counts(table) == Dictionary(uniqueKeysWithValues: labels.map { ($0, 4) }))
    }

    /// `record(_:)`: an image twice in one call (an overwrite within the batch), then the same call again.
    public static func recordsInOneCall(_ table: any LabelTable) async throws {
        try await table.record(imageKey: "old.jpg", labels: ["Snow"])
        let records: [(imageKey: String, labels: [String])] = [
            ("a.jpg", ["Sky", "Water", "Sky"]), ("b.jpg", ["Sky"]), ("old.jpg", ["Forest"]), ("a.jpg", ["Sky"]),
        ]
        #expect(
            try await table.record(records) == [
                LabelChange(added: ["Sky", "Water"]), LabelChange(added: ["Sky"]), LabelChange(added: ["Forest"], removed: ["Snow"]),
                LabelChange(removed: ["Water"]),
            ])
        #expect(try await table.record(records).map(\.isEmpty) == [false, true, true, false], "a.jpg flips back and forth")
        #expect(try await table.record([]) == [])
        #expect(try await counts(table) == ["Sky": 2, "Forest": 1])
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

    /// An object overwritten with another photo ends with exactly its new labels: the old ones
    /// lose the image (count down by one, once), the others keep theirs.
    public static func overwriteSetsExactlyTheNewLabels(_ table: any LabelTable) async throws {
        try await table.record(imageKey: "lake.jpg", labels: ["Cloud", "Sky", "Water"])
        try await table.record(imageKey: "other.jpg", labels: ["Sky", "Water"])
        #expect(try await counts(table) == ["Cloud": 1, "Sky": 2, "Water": 2])

        // The key now holds a flower photo.
        #expect(
            try await table.record(imageKey: "lake.jpg", labels: ["Flower", "Plant", "Sky"])
                == LabelChange(added: ["Flower", "Plant"], removed: ["Cloud", "Water"]))
        #expect(try await counts(table) == ["Flower": 1, "Plant": 1, "Sky": 2, "Water": 1])
        #expect(try await table.images(withAnyOf: ["Cloud", "Water"]) == ["other.jpg"])
        #expect(try await table.images(withAnyOf: ["Flower"]) == ["lake.jpg"])

        // Recording the same set again changes nothing (the re-analysis after a crash).
        #expect(try await table.record(imageKey: "lake.jpg", labels: ["Sky", "Plant", "Flower"]) == LabelChange())
        #expect(try await counts(table) == ["Flower": 1, "Plant": 1, "Sky": 2, "Water": 1])

        // A photo with no label at all leaves the image under none.
        #expect(try await table.record(imageKey: "lake.jpg", labels: []) == LabelChange(removed: ["Flower", "Plant", "Sky"]))
        #expect(try await counts(table) == ["Sky": 1, "Water": 1])
        #expect(try await table.images(withAnyOf: ["Flower", "Plant", "Sky", "Water"]) == ["other.jpg"])
    }

    /// The same overwrite recorded many times (the event repeated, at once when `concurrently`)
    /// counts each label down exactly once, and flipping back and forth ends on the last set.
    public static func repeatedOverwritesCountOnce(_ table: any LabelTable, concurrently: Bool) async throws {
        let before = ["Cloud", "Sky", "Water"]
        let after = ["Flower", "Plant"]
        for index in 0..<4 { try await table.record(imageKey: "photo-\(index).jpg", labels: before) }
        var added = 0
        var removed = 0
        func tally(_ change: LabelChange) {
            added += change.added.count
            removed += change.removed.count
        }
        if concurrently {
            try await withThrowingTaskGroup(of: LabelChange.self) { group in
                for round in 0..<32 { group.addTask { try await table.record(imageKey: "photo-\(round % 4).jpg", labels: after) } }
                for try await change in group { tally(change) }
            }
        } else {
            for round in 0..<32 { tally(try await table.record(imageKey: "photo-\(round % 4).jpg", labels: after)) }
        }
        #expect(added == 4 * after.count)
        #expect(removed == 4 * before.count)
        #expect(try await counts(table) == ["Flower": 4, "Plant": 4])

        // Back and forth on one image: each step moves every count by at most one.
        for round in 0..<6 {
            let labels = round % 2 == 0 ? before : after
            let change = try await table.record(imageKey: "photo-0.jpg", labels: labels)
            #expect(change == LabelChange(added: labels, removed: round % 2 == 0 ? after : before))
        }
        #expect(try await counts(table) == ["Flower": 4, "Plant": 4])
        #expect(try await table.images(withAnyOf: before) == [])
    }

    /// Image keys are compared byte for byte: NFC `café.jpg` and NFD `café.jpg` are two objects
    /// (Swift's String equality would merge them).
    public static func canonicallyEqualKeysAreTwoImages(_ table: any LabelTable) async throws {
        let nfc = "id-caf\u{E9}.jpg"
        let nfd = "id-cafe\u{301}.jpg"
        try await table.record(imageKey: nfc, labels: ["Cafe"])
        try await table.record(imageKey: nfd, labels: ["Cafe"])
        #expect(try await counts(table) == ["Cafe": 2])
        let images = try await table.images(withAnyOf: ["Cafe"])
        #expect(Set(images.map { Array($0.utf8) }) == [Array(nfc.utf8), Array(nfd.utf8)])
    }
}
