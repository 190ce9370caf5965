/// Expected calibration error: how far stated confidences are from observed frequencies.
///
/// Predictions are put in `bins` equal-width bins by confidence (0–1; the last bin includes 1); in
/// each bin the mean confidence is compared with the share of predictions that were right, and the
/// gaps are averaged weighted by the bins' sizes. 0 is perfect; a labeler that says 90 % and is
/// right half the time scores 0.4.
public enum CalibrationError {
    /// The ECE of `confidences` (0–1) against `outcomes` (whether each was true); `nil` for no
    /// predictions.
    public static func expected(confidences: [Double], outcomes: [Bool], bins: Int = 10) -> Double? {
        precondition(confidences.count == outcomes.count, "one outcome per confidence")
        precondition(bins >= 1, "at least one bin")
        guard !confidences.isEmpty else { return nil }
        var count = [Int](repeating: 0, count: bins)
        var confidenceSum = [Double](repeating: 0, count: bins)
        var trueCount = [Int](repeating: 0, count: bins)
        for (confidence, outcome) in zip(confidences, outcomes) {
            let value = min(1, max(0, confidence))
            let bin = min(bins - 1, Int(value * Double(bins)))
            count[bin] += 1
            confidenceSum[bin] += value
            if outcome { trueCount[bin] += 1 }
        }
        var error = 0.0
        for bin in 0..<bins where count[bin] > 0 {
            let gap = abs(confidenceSum[bin] / Double(count[bin]) - Double(trueCount[bin]) / Double(count[bin]))
            error += Double(count[bin]) / Double(confidences.count) * gap
        }
        return error
    }
}
