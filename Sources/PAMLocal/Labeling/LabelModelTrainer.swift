import Foundation
import PAMCore

/// Fits a ``LabelModel`` from labelled photos: standardises the ``LabelFeatures`` vectors, fits one
/// L2-regularised logistic regression per label, and calibrates each by Platt scaling on
/// out-of-fold logits of a grouped inner cross-validation (so the calibration never sees a
/// prediction made on a photo the regression was fitted on).
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

    /// L2 penalty on the standardised weights (summed log-loss + lambda/2 · |w|²).
    public var lambda: Double
    /// Folds of the inner cross-validation that produces the logits Platt scaling is fitted on.
    public var calibrationFolds: Int

    public init(lambda: Double = 100, calibrationFolds: Int = 5) {
        self.lambda = lambda
        self.calibrationFolds = calibrationFolds
    }

    /// The feature vector of a JPEG, as the labeler computes it.
    public static func vector(forJPEG data: Data, labeler: HistogramLabeler = HistogramLabeler()) throws -> [Double] {
        try labeler.featureVector(forJPEG: data)
    }

    /// Fits a model on `samples`, whose vectors all have one length: ``LabelFeatures`` vectors (the
    /// model then names its features after them), or any other numbers (named `feature0` …).
    public func fit(_ samples: [Sample]) -> LabelModel {
        precondition(!samples.isEmpty, "nothing to train on")
        let columns = samples[0].vector.count
        let (means, scales) = Self.standardisation(samples.map(\.vector), columns: columns)
        let x = samples.flatMap { sample in sample.vector.indices.map { (sample.vector[$0] - means[$0]) / scales[$0] } }
        let folds = GroupedFolds(groups: samples.map(\.group), count: calibrationFolds)
        let trainRows = (0..<folds.count).map { folds.train($0) }
        let testRows = (0..<folds.count).map { folds.test($0) }
        var heads: [LabelModel.Head] = []
        for label in Self.labels {
            let targets = samples.map { $0.labels.contains(label) ? 1.0 : 0.0 }
            let full = LogisticRegression.fit(x: x, rows: samples.count, columns: columns, targets: targets, lambda: lambda)
            var logits = [Double](repeating: 0, count: samples.count)
            for fold in 0..<folds.count {
                let rows = trainRows[fold]
                let subset = rows.flatMap { x[$0 * columns..<($0 + 1) * columns] }
                let inner = LogisticRegression.fit(
                    x: subset, rows: rows.count, columns: columns, targets: rows.map { targets[$0] }, lambda: lambda)
                x.withUnsafeBufferPointer { x in
                    for row in testRows[fold] {
                        logits[row] = inner.logit(UnsafeBufferPointer(rebasing: x[row * columns..<(row + 1) * columns]))
                    }
                }
            }
            let (a, b) = LogisticRegression.platt(logits: logits, labels: targets.map { $0 > 0.5 })
            heads.append(LabelModel.Head(label: label, bias: a * full.bias + b, weights: full.weights.map { a * $0 }))
        }
        let names = columns == LabelFeatures.names.count ? LabelFeatures.names : (0..<columns).map { "feature\($0)" }
        return LabelModel(featureNames: names, means: means, scales: scales, heads: heads)
    }

    /// Grouped k-fold cross-validation: for each fold, a model fitted on the other folds (with its
    /// own inner calibration) gives the probabilities of that fold's samples. Returns, per sample
    /// in input order, the probability of each of ``labels`` in order.
    public func crossValidate(_ samples: [Sample], folds: GroupedFolds) -> [[Double]] {
        precondition(folds.foldOfMember.count == samples.count, "one fold per sample")
        var probabilities = [[Double]](repeating: [], count: samples.count)
        for fold in 0..<folds.count {
            let test = folds.test(fold)
            guard !test.isEmpty else { continue }
            let model = fit(folds.train(fold).map { samples[$0] })
            for index in test { probabilities[index] = model.probabilities(samples[index].vector) }
        }
        return probabilities
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
