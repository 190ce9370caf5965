import ArgumentParser
import Foundation
import PAMCore
import PAMLocal

/// `pam train --corpus DIR --truth FILE --out FILE`: fits the local labeler's model on labelled
/// photos and writes it as the generated Swift source the labeler compiles in.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit the local labeler's model on labelled photos and write it as Swift source.",
        discussion: """
            Computes every listed photo's feature vector, fits one L2-regularised logistic regression \
            per label (\(LabelModelTrainer.labels.joined(separator: ", "))), its penalty chosen by grouped inner \
            cross-validation, and calibrates it by Platt \
            scaling on grouped out-of-fold predictions, on which it also chooses the decision thresholds \
            (one shared; a label the shared one never finds gets a lower one). Deterministic: the same photos and truth give \
            the same file, byte for byte. The labeler's model is \
            Sources/PAMLocal/Labeling/LabelModel+Trained.swift; rebuild pam after writing it there.
            """)

    @Option(help: "Folder of the labelled JPEG photos.")
    var corpus: String

    @Option(help: "Ground-truth JSON file (either form `pam eval` reads).")
    var truth: String

    @Option(help: "The Swift source file to write.")
    var out: String

    @Option(
        help:
            "One L2 penalty on the standardised weights for every label (default: each label's own, chosen by inner cross-validation among 3, 10, 30, 100, 300, 1000)."
    )
    var lambda: Double?

    @Option(name: .customLong("features-csv"), help: "Also write every photo's feature vector and labels as CSV here.")
    var featuresCSV: String?

    func validate() throws {
        if let lambda, !(lambda > 0 && lambda.isFinite) { throw ValidationError("--lambda must be a positive number") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: corpus, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("no such folder: \(corpus)")
        }
    }

    /// "30" for one penalty, "per label from 3, 10, …" for a choice.
    static func describe(_ lambdas: [Double]) -> String {
        let text = lambdas.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }
        return text.count == 1 ? text[0] : "per label from " + text.joined(separator: ", ")
    }

    func run() async throws {
        let (truth, samples) = try LabelledPhotos.load(directory: corpus, truthPath: self.truth)
        guard !samples.isEmpty else { throw ValidationError("the truth file lists no photo") }
        let trainer = lambda.map { LabelModelTrainer(lambda: $0) } ?? LabelModelTrainer()
        let model = trainer.fit(samples)
        let groups = Set(samples.map(\.group)).count
        // The CSV first: a failure to write it must not leave the model already replaced.
        if let featuresCSV {
            var lines = [(["file", "group"] + LabelFeatures.names + LabelModelTrainer.labels).joined(separator: ",")]
            for (entry, sample) in zip(truth.entries, samples) {
                let flags = LabelModelTrainer.labels.map { sample.labels.contains($0) ? "1" : "0" }
                lines.append(([entry.file, entry.group] + sample.vector.map { String(format: "%.7e", $0) } + flags).joined(separator: ","))
            }
            do {
                try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: featuresCSV), options: .atomic)
            } catch {
                throw PAMError(.io, "cannot write the feature CSV", path: featuresCSV, underlying: error)
            }
        }
        try model.writeSwiftSource(
            to: URL(fileURLWithPath: out),
            provenance: "\(samples.count) photos in \(groups) groups, lambda \(Self.describe(trainer.lambdas))")
        print(
            "trained \(model.heads.count) labels on \(samples.count) photos (\(groups) groups, \(model.featureNames.count) features); wrote \(out)"
        )
    }
}
