import Foundation
import PAMCore

/// A `LabelTable` in memory: each image's set of labels, the counts derived from them. One actor
/// does every record whole, so repeated and concurrent records are atomic, as the port requires.
/// Image keys are compared byte for byte, as on SQLite and DynamoDB. Passes `LabelTableConformance`.
public actor InMemoryLabelTable: LabelTable {
    /// Labels by the image key's UTF-8 bytes (NFC and NFD spellings are two images).
    private var labelsOfImage: [Data: Set<String>] = [:]

    public init() {}

    @discardableResult
    public func record(imageKey: String, labels: [String]) async throws -> LabelChange {
        let key = Data(imageKey.utf8)
        let before = labelsOfImage[key] ?? []
        let after = Set(labels)
        labelsOfImage[key] = after.isEmpty ? nil : after
        return LabelChange(added: after.subtracting(before).sorted(), removed: before.subtracting(after).sorted())
    }

    /// Every label with its count, most frequent first, then by name (as the SQLite table lists them).
    public func allLabels() async throws -> [LabelCount] {
        var counts: [String: Int] = [:]
        for labels in labelsOfImage.values {
            for label in labels { counts[label, default: 0] += 1 }
        }
        return counts.map { LabelCount(label: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
    }

    public func images(withAnyOf labels: [String]) async throws -> [String] {
        let wanted = Set(labels)
        return labelsOfImage.filter { !$0.value.isDisjoint(with: wanted) }.keys
            .sorted { $0.lexicographicallyPrecedes($1) }
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// The labels `imageKey` counts under, sorted.
    public func labels(ofImage imageKey: String) -> [String] { (labelsOfImage[Data(imageKey.utf8)] ?? []).sorted() }
}
