import Foundation
import PAMCore

/// Fits a ``LabelModel`` from labelled photos: standardises the ``LabelFeatures`` vectors, fits one
/// L2-regularised logistic regression per label (its penalty chosen from ``lambdas`` by the same
/// inner cross-validation), and calibrates each by Platt scaling on out-of-fold logits of a
/// grouped inner cross-validation (so the calibration never sees a prediction made on a photo the
/// regression was fitted on); the decision threshold is chosen on
/// the same calibrated out-of-fold probabilities. Under `pam eval --folds` this whole fit runs
/// inside each training fold, so neither calibration nor threshold ever sees the test fold.
///
/// Deterministic: the same samples in the same order give the same model, bit for bit.
public struct LabelModelTrainer: Sendable {
    /// One labelled photo.
    public struct Sample: Sendable, Hashable {
        /// Its ``LabelFeatures`` vector.
        public var vector: [Double]
        /// Its true labels (only the trained ones matter).
        public var labels: Set<String>
        /// Its fold group (crops of one source share a group).
        public var group: String

        public init(vector: [Double], labels: Set<String>, group: String) {
            self.vector = vector
            self.labels = labels
            self.group = group
        }
    }

    /// The labels the model learns, in head order.
    public static let labels = LabelEvaluation.scoredLabels

    /// The candidate L2 penalties on the standardised weights (summed log-loss + lambda/2 · |w|²).
    /// Each label gets the candidate whose calibrated out-of-fold probabilities (the grouped inner
    /// cross-validation below) have the lowest log-loss, ties to the earlier candidate: a label
    /// with few examples usually wants a weaker penalty than one with many.
    public var lambdas: [Double]
    /// Folds of the inner cross-validation that produces the logits Platt scaling is fitted on.
    public var calibrationFolds: Int

    /// The penalties ``lambdas`` chooses from by default. Per-label choice among them measured
    /// grouped 5-fold CV micro-F1 0.668 on the 261-photo corpus, against 0.648 for lambda 100 for
    /// every label and 0.662 for the best single value (30).
    public static let defaultLambdas: [Double] = [3, 10, 30, 100, 300, 1000]

    public init(lambdas: [Double] = Self.defaultLambdas, calibrationFolds: Int = 5) {
        precondition(!lambdas.isEmpty, "at least one penalty")
        self.lambdas = lambdas
        self.calibrationFolds = calibrationFolds
    }

    /// A trainer with one fixed penalty for every label.
    public init(lambda: Double, calibrationFolds: Int = 5) {
        self.init(lambdas: [lambda], calibrationFolds: calibrationFolds)
    }

    /// Fits a model on `samples`, whose vectors all have one length: ``LabelFeatures`` vectors (the
    /// model then names its features after them), or any other numbers (named `feature0` …).
    public func fit(_ samples: [Sample]) -> LabelModel {
        precondition(!samples.isEmpty, "nothing to train on")
        let columns = samples[0].vector.count
        let (means, scales) = Self.standardisation(samples.map(\.vector), columns: columns)
        let x = samples.flatMap { sample in sample.vector.indices.map { (sample.vector[$0] - means[$0]) / scales[$0] } }
        let folds = GroupedFolds(groups: samples.map(\.group), labels: samples.map(\.labels), count: calibrationFolds)
        let trainRows = (0..<folds.count).map { folds.train($0) }
        let testRows = (0..<folds.count).map { folds.test($0) }
        // Each fold's training matrix, built once for every label and penalty.
        let trainMatrices = trainRows.map { rows in rows.flatMap { x[$0 * columns..<($0 + 1) * columns] } }
        var heads: [LabelModel.Head] = []
        var outOfFold = [[Double]](repeating: [], count: samples.count)
        for label in Self.labels {
            let targets = samples.map { $0.labels.contains(label) ? 1.0 : 0.0 }
            let truths = targets.map { $0 > 0.5 }
            var best: (loss: Double, lambda: Double, a: Double, b: Double, probabilities: [Double])?
            for lambda in lambdas {
                var logits = [Double](repeating: 0, count: samples.count)
                for fold in 0..<folds.count {
                    let rows = trainRows[fold]
                    let inner = LogisticRegression.fit(
                        x: trainMatrices[fold], rows: rows.count, columns: columns, targets: rows.map { targets[$0] }, lambda: lambda)
                    x.withUnsafeBufferPointer { x in
                        for row in testRows[fold] {
                            logits[row] = inner.logit(UnsafeBufferPointer(rebasing: x[row * columns..<(row + 1) * columns]))
                        }
                    }
                }
                let (a, b) = LogisticRegression.platt(logits: logits, labels: truths)
                let probabilities = logits.map { LabelModel.sigmoid(a * $0 + b) }
                let loss = Self.logLoss(probabilities, targets)
                if best == nil || loss < best!.loss - 1e-9 { best = (loss, lambda, a, b, probabilities) }
            }
            let chosen = best!
            for row in samples.indices { outOfFold[row].append(chosen.probabilities[row]) }
            let full = LogisticRegression.fit(x: x, rows: samples.count, columns: columns, targets: targets, lambda: chosen.lambda)
            heads.append(
                LabelModel.Head(label: label, bias: chosen.a * full.bias + chosen.b, weights: full.weights.map { chosen.a * $0 }))
        }
        let thresholds = Self.thresholds(probabilities: outOfFold, truths: samples.map(\.labels))
        for index in heads.indices { heads[index].threshold = thresholds[index] }
        let names = columns == LabelFeatures.names.count ? LabelFeatures.names : (0..<columns).map { "feature\($0)" }
        return LabelModel(featureNames: names, means: means, scales: scales, heads: heads)
    }

    /// Summed log-loss of `probabilities` against 0/1 `targets` (probabilities kept within 1e-6 of
    /// 0 and 1, so one confident miss does not dominate).
    static func logLoss(_ probabilities: [Double], _ targets: [Double]) -> Double {
        var loss = 0.0
        for (p, y) in zip(probabilities, targets) {
            let q = min(max(p, 1e-6), 1 - 1e-6)
            loss -= y * log(q) + (1 - y) * log(1 - q)
        }
        return loss
    }

    /// The candidate decision thresholds: 0.10, 0.15 … 0.90.
    static let thresholdCandidates: [Double] = (2...18).map { Double($0) / 20 }

    /// The decision thresholds, in ``labels`` order, chosen on these calibrated out-of-fold
    /// probabilities of the training photos (`probabilities[photo][label]`, labels in ``labels``
    /// order) against `truths`, scoring as the labeler decides (each decided label brings its
    /// parents):
    ///
    /// 1. one shared threshold, the candidate with the highest micro-F1 (ties to the lower);
    /// 2. then, label by label, a label that has positives but that the shared threshold never
    ///    finds gets the lower candidate, among those under which it finds at least one of its
    ///    photos and is right at least half the times it is returned, with the highest micro-F1
    ///    (ties to the higher candidate). A label no candidate qualifies for keeps the shared one.
    ///
    /// Step 2 keeps rare labels from never being returned, but only where returning them is
    /// worth something to a user searching for them: without the "right half the time" floor,
    /// Lake got a threshold of 0.10 and, under grouped cross-validation, was returned for 19
    /// photos of which 1 was a lake. Thresholds chosen freely per label (each label's own F1, or
    /// micro-F1 by coordinate ascent) were measured too and fitted the training folds' noise.
    static func thresholds(probabilities: [[Double]], truths: [Set<String>]) -> [Double] {
        let labels = Self.labels
        // Each label's index and its scored ancestors' indices.
        let closure: [[Int]] = labels.indices.map { index in
            [index] + LabelTaxonomy.ancestors(of: labels[index]).compactMap { labels.firstIndex(of: $0) }
        }
        let truthFlags = truths.map { truth in labels.map { truth.contains($0) } }
        /// Per label (true positives, false positives, false negatives) under `thresholds`.
        func counts(_ thresholds: [Double]) -> [(tp: Int, fp: Int, fn: Int)] {
            var result = [(tp: Int, fp: Int, fn: Int)](repeating: (0, 0, 0), count: labels.count)
            var decided = [Bool](repeating: false, count: labels.count)
            for (row, truth) in zip(probabilities, truthFlags) {
                for index in decided.indices { decided[index] = false }
                for index in row.indices where row[index] >= thresholds[index] {
                    for label in closure[index] { decided[label] = true }
                }
                for index in labels.indices {
                    switch (decided[index], truth[index]) {
                    case (true, true): result[index].tp += 1
                    case (true, false): result[index].fp += 1
                    case (false, true): result[index].fn += 1
                    case (false, false): break
                    }
                }
            }
            return result
        }
        func microF1(_ counts: [(tp: Int, fp: Int, fn: Int)]) -> Double {
            let (tp, fp, fn) = counts.reduce((0, 0, 0)) { ($0.0 + $1.tp, $0.1 + $1.fp, $0.2 + $1.fn) }
            return Double(2 * tp) / Double(max(2 * tp + fp + fn, 1))
        }
        var best = (f1: -1.0, threshold: thresholdCandidates[0])
        for candidate in thresholdCandidates {
            let f1 = microF1(counts(labels.map { _ in candidate }))
            if f1 > best.f1 + 1e-12 { best = (f1, candidate) }
        }
        var thresholds = labels.map { _ in best.threshold }
        for index in labels.indices {
            let current = counts(thresholds)[index]
            guard current.tp == 0, current.fn > 0 else { continue }
            var choice = (f1: -1.0, threshold: thresholds[index])
            for candidate in thresholdCandidates.reversed() where candidate < thresholds[index] {
                var trial = thresholds
                trial[index] = candidate
                let trialCounts = counts(trial)
                let found = trialCounts[index]
                guard found.tp > 0, 2 * found.tp >= found.tp + found.fp else { continue }
                let f1 = microF1(trialCounts)
                if f1 > choice.f1 + 1e-12 { choice = (f1, candidate) }
            }
            thresholds[index] = choice.threshold
        }
        return thresholds
    }

    /// Grouped k-fold cross-validation: for each fold, a model fitted on the other folds (with its
    /// own inner calibration and thresholds) gives the probabilities of that fold's samples.
    /// Returns, per sample in input order, the probability of each of ``labels`` in order and the
    /// thresholds of the model that scored it.
    public func crossValidate(_ samples: [Sample], folds: GroupedFolds) -> [(probabilities: [Double], thresholds: [Double])] {
        precondition(folds.foldOfMember.count == samples.count, "one fold per sample")
        var results = [(probabilities: [Double], thresholds: [Double])](repeating: ([], []), count: samples.count)
        for fold in 0..<folds.count {
            let test = folds.test(fold)
            guard !test.isEmpty else { continue }
            let model = fit(folds.train(fold).map { samples[$0] })
            for index in test { results[index] = (model.probabilities(samples[index].vector), model.thresholds) }
        }
        return results
    }

    /// Per-column mean and standard deviation (1 where a column is constant).
    static func standardisation(_ vectors: [[Double]], columns: Int) -> (means: [Double], scales: [Double]) {
        let count = Double(vectors.count)
        var means = [Double](repeating: 0, count: columns)
        for vector in vectors { for column in 0..<columns { means[column] += vector[column] } }
        for column in 0..<columns { means[column] /= count }
        var scales = [Double](repeating: 0, count: columns)
        for vector in vectors {
            for column in 0..<columns {
                let d = vector[column] - means[column]
                scales[column] += d * d
            }
        }
        for column in 0..<columns {
            let deviation = (scales[column] / count).squareRoot()
            scales[column] = deviation > 1e-9 ? deviation : 1
        }
        return (means, scales)
    }
}
