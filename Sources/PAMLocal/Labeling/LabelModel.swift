import Foundation

/// The fitted label model: one calibrated logistic regression per label over the standardised
/// ``LabelFeatures`` vector.
///
/// The probability of `label` for a vector `x` is `σ(bias + Σ weight[i] · (x[i] − mean[i]) / scale[i])`;
/// the weights already include the Platt scaling fitted on out-of-fold predictions
/// (``LabelModelTrainer``), so the probability is calibrated. Each head also carries its decision
/// threshold: the label is returned when its probability reaches it (chosen, like the calibration,
/// on out-of-fold predictions of the training photos only). Parents are not implied here:
/// ``HistogramLabeler`` enforces ``LabelTaxonomy`` afterwards.
///
/// The trained parameters are generated Swift source (`LabelModel+Trained.swift`, written by
/// `pam train`), so the labeler works from the `pam` binary alone.
public struct LabelModel: Sendable, Hashable {
    /// One label's coefficients.
    public struct Head: Sendable, Hashable {
        public var label: String
        public var bias: Double
        /// One weight per feature, in ``LabelModel/featureNames`` order.
        public var weights: [Double]
        /// The label is returned when its probability is at least this (0…1).
        public var threshold: Double

        public init(label: String, bias: Double, weights: [Double], threshold: Double = 0.5) {
            self.label = label
            self.bias = bias
            self.weights = weights
            self.threshold = threshold
        }
    }

    /// What each feature is (``LabelFeatures/names`` when the model was trained).
    public var featureNames: [String]
    /// Standardisation: per feature, the training mean and the scale (standard deviation).
    public var means: [Double]
    public var scales: [Double]
    /// One head per label, in label order.
    public var heads: [Head]

    public init(featureNames: [String], means: [Double], scales: [Double], heads: [Head]) {
        precondition(means.count == featureNames.count && scales.count == featureNames.count, "one mean and scale per feature")
        precondition(heads.allSatisfy { $0.weights.count == featureNames.count }, "one weight per feature")
        self.featureNames = featureNames
        self.means = means
        self.scales = scales
        self.heads = heads
    }

    /// The labels the model scores, in head order.
    public var labels: [String] { heads.map(\.label) }

    /// Every head's decision threshold, in head order.
    public var thresholds: [Double] { heads.map(\.threshold) }

    /// `(vector − mean) / scale`.
    func standardised(_ vector: [Double]) -> [Double] {
        precondition(vector.count == means.count, "feature vector of the wrong length")
        return vector.indices.map { (vector[$0] - means[$0]) / scales[$0] }
    }

    /// The probability (0…1) of every head's label for a raw feature vector, in head order.
    public func probabilities(_ vector: [Double]) -> [Double] {
        let x = standardised(vector)
        return heads.map { head in
            var z = head.bias
            for index in x.indices { z += head.weights[index] * x[index] }
            return Self.sigmoid(z)
        }
    }

    /// The logistic function, written so that large |z| cannot overflow.
    @inline(__always)
    static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }
}
