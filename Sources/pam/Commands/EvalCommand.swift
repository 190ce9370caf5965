import ArgumentParser
import Foundation
import PAMCore
import PAMLocal

/// `pam eval DIR --truth FILE [--folds K] [--json]`: labels the photos of a folder with the local
/// labeler and scores them against hand-made ground truth (see ``LabelEvaluation``); with `--folds`,
/// by grouped k-fold cross-validation of the model instead of the committed model.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the local labeler against ground truth: per-label and micro-averaged precision, recall, F1.",
        discussion: """
            Labels every JPEG in DIR that the truth file lists (others are ignored) and compares the labels \
            the labeler decides on (each label's probability at or above the model's threshold for it; \
            --min-confidence also drops those under that Confidence, as DetectLabels' MinConfidence does) \
            with the truth, over the scored labels: \
            \(LabelEvaluation.scoredLabels.joined(separator: ", ")). \
            The truth file is {"images": [{"file": "NAME.jpg", "labels": ["Sky", ...]}]} or \
            {"NAME.jpg": {"group": "SOURCE", "labels": ["Sky", ...]}}, file names relative to DIR. A photo \
            that fails to decode is reported and counts as predicting nothing.

            With --folds K the committed model is not used: the photos are split into K folds by group \
            (a group never in two folds), and each fold is labelled by a model trained (as `pam train` \
            does, thresholds included) on the other folds. The table then also gives each label's expected calibration error \
            (ECE, 10 bins, over every photo's confidence for the label), and the overall ECE.
            """)

    @Argument(help: "Folder of JPEG photos.")
    var directory: String

    @Option(help: "Ground-truth JSON file.")
    var truth: String

    @Option(
        name: .customLong("min-confidence"),
        help:
            "Also drop decided labels under this Confidence (0–100); the default, 0, is what the pipeline asks the local labeler (the model's own decisions)."
    )
    var minConfidence: Double = HistogramLabeler.pipelineQuery.minConfidence

    @Option(help: "Cross-validate: train on all folds but one, label that one, for each of this many folds (2…20).")
    var folds: Int?

    @Flag(help: "Print one JSON object with keys micro, labels and images (and calibration with --folds).")
    var json = false

    @Flag(name: .customLong("per-image"), help: "Also list, per image, the labels missed and the extra ones (text output).")
    var perImage = false

    func validate() throws {
        if let folds, !(2...20).contains(folds) { throw ValidationError("--folds must be 2…20") }
        guard (0...100).contains(minConfidence) else { throw ValidationError("--min-confidence must be 0…100") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) else {
            throw ValidationError("no such folder: \(directory)")
        }
        guard isFolder.boolValue else { throw ValidationError("not a folder: \(directory)") }
        guard FileManager.default.fileExists(atPath: truth, isDirectory: &isFolder), !isFolder.boolValue else {
            throw ValidationError("no such truth file: \(truth)")
        }
    }

    func run() async throws {
        let groundTruth: LabelTruth
        // Per photo, the labels the model decides on (before any MinConfidence), or why it failed.
        var decided: [String: Result<[DetectedLabel], EvalFailure>] = [:]
        var calibration: Calibration?
        if let folds {
            let (truth, samples) = try LabelledPhotos.load(directory: directory, truthPath: self.truth)
            groundTruth = truth
            let grouping = GroupedFolds(groups: samples.map(\.group), labels: samples.map(\.labels), count: folds)
            let scored = LabelModelTrainer().crossValidate(samples, folds: grouping)
            var confidences: [String: [Double]] = [:]
            var truths: [String: [Bool]] = [:]
            // The labels returned, as a MinConfidence user sees them: their confidence, and whether right.
            var returned: (confidences: [Double], outcomes: [Bool]) = ([], [])
            let labelNames = LabelModelTrainer.labels
            for (entry, sample) in zip(truth.entries, scored) {
                let labels = HistogramLabeler.labels(probabilities: sample.probabilities, thresholds: sample.thresholds, of: labelNames)
                decided[entry.file] = .success(labels)
                for label in labels where LabelEvaluation.scoredLabels.contains(label.name) {
                    returned.confidences.append(label.confidence / 100)
                    returned.outcomes.append(entry.labels.contains(label.name))
                }
                // Calibration is of the confidence every label would be returned with (no threshold).
                let every = HistogramLabeler.labels(
                    probabilities: sample.probabilities, thresholds: labelNames.map { _ in 0 }, of: labelNames)
                let byName = Dictionary(uniqueKeysWithValues: every.map { ($0.name, $0.confidence / 100) })
                for label in LabelEvaluation.scoredLabels {
                    confidences[label, default: []].append(byName[label] ?? 0)
                    truths[label, default: []].append(entry.labels.contains(label))
                }
            }
            var perLabel: [String: Double?] = [:]
            for label in LabelEvaluation.scoredLabels {
                perLabel[label] = CalibrationError.expected(confidences: confidences[label]!, outcomes: truths[label]!)
            }
            calibration = Calibration(
                labels: perLabel,
                overall: CalibrationError.expected(
                    confidences: LabelEvaluation.scoredLabels.flatMap { confidences[$0]! },
                    outcomes: LabelEvaluation.scoredLabels.flatMap { truths[$0]! }),
                returned: CalibrationError.expected(confidences: returned.confidences, outcomes: returned.outcomes),
                returnedCount: returned.confidences.count, folds: folds, groups: Set(samples.map(\.group)).count)
        } else {
            groundTruth = try LabelledPhotos.truth(at: truth)
            let folder = URL(fileURLWithPath: directory, isDirectory: true)
            let labeler = HistogramLabeler()
            for entry in groundTruth.entries {
                let file = folder.appendingPathComponent(entry.file)
                guard PhotoKey.isJPEG(entry.file), FileManager.default.fileExists(atPath: file.path) else {
                    decided[entry.file] = .failure(EvalFailure(message: "no such JPEG in \(directory)"))
                    continue
                }
                do {
                    let labels = try labeler.labels(forJPEG: Data(contentsOf: file), query: LabelQuery(minConfidence: 0))
                    decided[entry.file] = .success(labels)
                } catch {
                    decided[entry.file] = .failure(EvalFailure(message: "\(error)"))
                }
            }
        }
        /// The evaluation of what a caller asking `minimum` keeps.
        func evaluated(at minimum: Double) -> LabelEvaluation {
            LabelEvaluation(
                truth: groundTruth,
                outcomes: decided.mapValues { result in
                    switch result {
                    case .success(let labels): .labels(LabelQuery(minConfidence: minimum).apply(to: labels).map(\.name))
                    case .failure(let failure): .failed(failure.message)
                    }
                })
        }
        let evaluation = evaluated(at: minConfidence)
        let listed = Set(groundTruth.entries.map(\.file))
        let unlisted = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { PhotoKey.isJPEG($0) && !listed.contains($0) }.count
        if json {
            print(try Self.json(evaluation, calibration: calibration))
        } else {
            print(Self.table(evaluation, perImage: perImage, calibration: calibration))
            if let calibration {
                print(
                    "grouped \(calibration.folds)-fold cross-validation over \(calibration.groups) groups: each fold labelled by a model trained on the others."
                )
                print(
                    "calibration error (ECE): \(calibration.overall.map { String(format: "%.3f", $0) } ?? "–") over every photo and label, \(calibration.returned.map { String(format: "%.3f", $0) } ?? "–") over the \(calibration.returnedCount) labels returned."
                )
            }
            print(
                "\(evaluation.images.count) images scored, \(evaluation.failures.count) failed, \(unlisted) JPEGs in the folder not in the truth (ignored); MinConfidence \(minConfidence.formatted())\(minConfidence == HistogramLabeler.pipelineQuery.minConfidence ? " (what the pipeline asks the local labeler)" : "")."
            )
            for other in Self.otherMinConfidences where other != minConfidence {
                let micro = evaluated(at: other).micro
                func ratio(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
                print(
                    "at MinConfidence \(other.formatted()) (\(Self.describe(other))): micro precision \(ratio(micro.precision))  recall \(ratio(micro.recall))  F1 \(ratio(micro.f1))"
                )
            }
        }
        for failure in evaluation.failures {
            FileHandle.standardError.write(Data("failed: \(failure.file): \(failure.error ?? "")\n".utf8))
        }
    }

    /// Why a photo has no labels in the evaluation.
    struct EvalFailure: Error {
        var message: String
    }

    /// The other MinConfidence values the text report also gives the micro figures at.
    static let otherMinConfidences: [Double] = [HistogramLabeler.pipelineQuery.minConfidence, LabelQuery.default.minConfidence, 70]

    static func describe(_ minimum: Double) -> String {
        switch minimum {
        case HistogramLabeler.pipelineQuery.minConfidence: "the local pipeline's: the model's decisions"
        case LabelQuery.default.minConfidence: "Rekognition's default"
        default: "as the reference handlers ask"
        }
    }

    /// Expected calibration error per label and overall (cross-validation only).
    struct Calibration: Codable, Hashable {
        var labels: [String: Double?]
        var overall: Double?
        /// Over the labels returned only (what a caller filtering by MinConfidence relies on).
        var returned: Double?
        var returnedCount: Int
        var folds: Int
        var groups: Int
    }

    /// The per-label table and the micro averages, as plain text.
    static func table(_ evaluation: LabelEvaluation, perImage: Bool = false, calibration: Calibration? = nil) -> String {
        func ratio(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "    –" }
        func row(_ name: String, _ support: String, _ tp: Int, _ fp: Int, _ fn: Int, _ p: Double?, _ r: Double?, _ f: Double?) -> String {
            name.padding(toLength: 11, withPad: " ", startingAt: 0)
                + " " + support.leftPadded(7) + String(format: " %4d %4d %4d", tp, fp, fn)
                + "  \(ratio(p).leftPadded(9))  \(ratio(r).leftPadded(6))  \(ratio(f).leftPadded(5))"
        }
        func ece(_ value: Double??) -> String {
            guard calibration != nil else { return "" }
            return "  " + ratio(value ?? nil).leftPadded(5)
        }
        var lines = ["label       support   TP   FP   FN  precision  recall     F1" + (calibration == nil ? "" : "    ECE")]
        for label in evaluation.labels {
            lines.append(
                row(
                    label.label, "\(label.support)", label.truePositives, label.falsePositives, label.falseNegatives,
                    label.precision, label.recall, label.f1) + ece(calibration?.labels[label.label]))
        }
        let micro = evaluation.micro
        lines.append(
            row(
                "micro", "\(micro.truePositives + micro.falseNegatives)", micro.truePositives, micro.falsePositives, micro.falseNegatives,
                micro.precision, micro.recall, micro.f1) + ece(calibration?.overall))
        lines.append("")
        lines.append(
            "micro-averaged over \(LabelEvaluation.scoredLabels.count) labels: precision \(ratio(micro.precision))  recall \(ratio(micro.recall))  F1 \(ratio(micro.f1))"
        )
        if perImage {
            lines.append("")
            for image in evaluation.images {
                var line = image.file
                if let error = image.error { line += "  FAILED: \(error)" }
                if !image.missed.isEmpty { line += "  missed: \(image.missed.joined(separator: ", "))" }
                if !image.extra.isEmpty { line += "  extra: \(image.extra.joined(separator: ", "))" }
                if image.error == nil && image.missed.isEmpty && image.extra.isEmpty { line += "  exact" }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The evaluation as one JSON object (ratios rounded to 4 decimals; a ratio that is 0/0 is left out).
    static func json(_ evaluation: LabelEvaluation, calibration: Calibration? = nil) throws -> String {
        func round(_ value: Double?) -> Double? { value.map { ($0 * 10_000).rounded() / 10_000 } }
        var rounded = evaluation
        rounded.micro.precision = round(rounded.micro.precision)
        rounded.micro.recall = round(rounded.micro.recall)
        rounded.micro.f1 = round(rounded.micro.f1)
        for index in rounded.labels.indices {
            rounded.labels[index].precision = round(rounded.labels[index].precision)
            rounded.labels[index].recall = round(rounded.labels[index].recall)
            rounded.labels[index].f1 = round(rounded.labels[index].f1)
        }
        struct Report: Encodable {
            var evaluation: LabelEvaluation
            var calibration: Calibration?
            func encode(to encoder: Encoder) throws {
                try evaluation.encode(to: encoder)
                var container = encoder.container(keyedBy: Key.self)
                try container.encodeIfPresent(calibration, forKey: .calibration)
            }
            enum Key: CodingKey { case calibration }
        }
        let calibration = calibration.map { calibration in
            var rounded = calibration
            rounded.overall = round(calibration.overall)
            rounded.returned = round(calibration.returned)
            rounded.labels = calibration.labels.mapValues { round($0) }
            return rounded
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Report(evaluation: rounded, calibration: calibration)), as: UTF8.self)
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
