import Foundation

/// Ground truth for a folder of photos, in one of two forms:
/// `{"images": [{"file": "NAME.jpg", "labels": ["Sky", …]}]}` (`Fixtures/photos/labels.json`), or
/// `{"NAME.jpg": {"group": "SOURCE", "labels": ["Sky", …]}}` (`Fixtures/corpus/labels.json`; entries
/// in file-name order, the group being the cross-validation fold group).
///
/// Parsed by hand rather than with `Decodable`, so a mistake in a hand-written file is reported
/// with its place (`images[3].labels[1]`) and what was found there.
public struct LabelTruth: Sendable, Hashable {
    /// One labelled photo.
    public struct Entry: Sendable, Hashable {
        /// File name relative to the photo folder.
        public var file: String
        /// Expected label names, as written (labels outside the scored set are kept but not scored).
        public var labels: [String]
        /// The fold group: photos cropped from one source share it. Defaults to the file name.
        public var group: String

        public init(file: String, labels: [String], group: String? = nil) {
            self.file = file
            self.labels = labels
            self.group = group ?? file
        }
    }

    /// Entries in file order as written.
    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Parses a truth file. `source` names it in error messages.
    ///
    /// - Throws: `PAMError` `.invalidArgument` naming the first problem: not JSON, no `images`
    ///   array, an entry without a string `file` or with `labels` that are not strings, a file
    ///   listed twice, or a label that differs from a scored label only in case (`"sky"`).
    public static func parse(_ data: Data, source: String) throws -> LabelTruth {
        func fail(_ message: String) -> PAMError {
            PAMError(.invalidArgument, "ground truth is malformed: \(message)", path: source)
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw fail("not valid JSON (\(Self.describe(error)))")
        }
        guard let object = root as? [String: Any] else { throw fail("the top level must be an object {\"images\": [...]}") }
        let scoredByCase = Dictionary(LabelEvaluation.scoredLabels.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        func labels(_ raw: Any?, place: String, file: String) throws -> [String] {
            guard let rawLabels = raw as? [Any] else { throw fail("\(place).labels (\(file)) is missing or not an array") }
            var labels: [String] = []
            for (labelIndex, raw) in rawLabels.enumerated() {
                guard let label = raw as? String else {
                    throw fail("\(place).labels[\(labelIndex)] (\(file)) is not a string")
                }
                if let scored = scoredByCase[label.lowercased()], scored != label {
                    throw fail("\(place).labels[\(labelIndex)] (\(file)) is \"\(label)\"; the scored label is spelt \"\(scored)\"")
                }
                labels.append(label)
            }
            return labels
        }
        var entries: [Entry] = []
        guard let images = object["images"] else {
            // The corpus form: file name → {"group", "labels"}.
            guard !object.isEmpty, object.values.allSatisfy({ $0 is [String: Any] }) else {
                throw fail("no \"images\" key at the top level")
            }
            for file in object.keys.sorted() {
                let fields = object[file] as? [String: Any] ?? [:]
                let place = "\"\(file)\""
                guard let group = fields["group"] as? String, !group.isEmpty else {
                    throw fail("\(place).group is missing or not a non-empty string")
                }
                entries.append(Entry(file: file, labels: try labels(fields["labels"], place: place, file: file), group: group))
            }
            return LabelTruth(entries: entries)
        }
        guard let list = images as? [Any] else { throw fail("\"images\" must be an array") }
        var seen = Set<String>()
        for (index, item) in list.enumerated() {
            let place = "images[\(index)]"
            guard let fields = item as? [String: Any] else { throw fail("\(place) must be an object with \"file\" and \"labels\"") }
            guard let file = fields["file"] as? String, !file.isEmpty else {
                throw fail("\(place).file is missing or not a non-empty string")
            }
            guard seen.insert(file).inserted else { throw fail("\(place).file \"\(file)\" is listed twice") }
            entries.append(Entry(file: file, labels: try labels(fields["labels"], place: place, file: file)))
        }
        return LabelTruth(entries: entries)
    }

    private static func describe(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }
}

/// Scores a labeler's predictions against ``LabelTruth``: per-label counts and precision, recall
/// and F1, their micro average over the scored labels, and what each image missed or got extra.
///
/// Pure values: the caller labels the files (and records which failed); this only counts. A photo
/// that could not be labelled counts as predicting nothing, so its expected labels are misses.
public struct LabelEvaluation: Sendable, Hashable, Codable {
    /// The labels that are scored, in table order. Others, in the truth or predicted, are ignored.
    public static let scoredLabels = [
        "Sky", "Cloud", "Water", "Lake", "Mountain", "Snow", "Tree", "Forest", "Vegetation", "Grass", "Flower",
        "Sunset", "Night", "Sand", "Rock", "Nature", "Outdoors", "Landscape",
    ]

    /// What the labeler said about one image.
    public enum Outcome: Sendable, Hashable {
        /// The predicted label names (already filtered by the labeler's MinConfidence).
        case labels([String])
        /// The image could not be labelled; the message says why.
        case failed(String)
    }

    /// Precision, recall and F1; `nil` where the ratio is 0/0 (nothing predicted, nothing expected).
    public struct Scores: Sendable, Hashable, Codable {
        public var precision: Double?
        public var recall: Double?
        public var f1: Double?

        init(truePositives tp: Int, falsePositives fp: Int, falseNegatives fn: Int) {
            precision = tp + fp == 0 ? nil : Double(tp) / Double(tp + fp)
            recall = tp + fn == 0 ? nil : Double(tp) / Double(tp + fn)
            // F1 = 2TP / (2TP + FP + FN): defined whenever anything was expected or predicted.
            f1 = tp + fp + fn == 0 ? nil : Double(2 * tp) / Double(2 * tp + fp + fn)
        }
    }

    /// One row of the per-label table.
    public struct LabelResult: Sendable, Hashable, Codable {
        public var label: String
        /// Images whose truth has the label (TP + FN).
        public var support: Int
        public var truePositives: Int
        public var falsePositives: Int
        public var falseNegatives: Int
        public var precision: Double?
        public var recall: Double?
        public var f1: Double?
    }

    /// Micro averages: the counts of all scored labels summed, then one precision, recall and F1.
    public struct Micro: Sendable, Hashable, Codable {
        public var precision: Double?
        public var recall: Double?
        public var f1: Double?
        public var truePositives: Int
        public var falsePositives: Int
        public var falseNegatives: Int
    }

    /// One image: scored labels expected and predicted, and the difference both ways.
    public struct ImageResult: Sendable, Hashable, Codable {
        public var file: String
        public var expected: [String]
        public var predicted: [String]
        /// Expected but not predicted.
        public var missed: [String]
        /// Predicted but not expected.
        public var extra: [String]
        /// Why the image could not be labelled, when it could not.
        public var error: String?
    }

    public var micro: Micro
    /// One entry per scored label, in ``scoredLabels`` order.
    public var labels: [LabelResult]
    /// One entry per truth entry, in truth order.
    public var images: [ImageResult]

    /// Scores `outcomes` (keyed by truth file name) against `truth`. A truth entry without an
    /// outcome is treated as a failure ("not labelled").
    public init(truth: LabelTruth, outcomes: [String: Outcome]) {
        let order = Dictionary(uniqueKeysWithValues: Self.scoredLabels.enumerated().map { ($1, $0) })
        func scored(_ names: some Sequence<String>) -> [String] {
            Set(names).filter { order[$0] != nil }.sorted { order[$0]! < order[$1]! }
        }
        var tp = [String: Int]()
        var fp = [String: Int]()
        var fn = [String: Int]()
        var images: [ImageResult] = []
        for entry in truth.entries {
            let expected = scored(entry.labels)
            var predicted: [String] = []
            var error: String?
            switch outcomes[entry.file] ?? .failed("not labelled") {
            case .labels(let names): predicted = scored(names)
            case .failed(let message): error = message
            }
            let expectedSet = Set(expected)
            let predictedSet = Set(predicted)
            for label in expectedSet.intersection(predictedSet) { tp[label, default: 0] += 1 }
            for label in predictedSet.subtracting(expectedSet) { fp[label, default: 0] += 1 }
            for label in expectedSet.subtracting(predictedSet) { fn[label, default: 0] += 1 }
            images.append(
                ImageResult(
                    file: entry.file, expected: expected, predicted: predicted,
                    missed: expected.filter { !predictedSet.contains($0) },
                    extra: predicted.filter { !expectedSet.contains($0) }, error: error))
        }
        labels = Self.scoredLabels.map { label in
            let (t, f, n) = (tp[label, default: 0], fp[label, default: 0], fn[label, default: 0])
            let scores = Scores(truePositives: t, falsePositives: f, falseNegatives: n)
            return LabelResult(
                label: label, support: t + n, truePositives: t, falsePositives: f, falseNegatives: n,
                precision: scores.precision, recall: scores.recall, f1: scores.f1)
        }
        let (t, f, n) = (tp.values.reduce(0, +), fp.values.reduce(0, +), fn.values.reduce(0, +))
        let scores = Scores(truePositives: t, falsePositives: f, falseNegatives: n)
        micro = Micro(
            precision: scores.precision, recall: scores.recall, f1: scores.f1,
            truePositives: t, falsePositives: f, falseNegatives: n)
        self.images = images
    }

    /// The images that could not be labelled.
    public var failures: [ImageResult] { images.filter { $0.error != nil } }
}
