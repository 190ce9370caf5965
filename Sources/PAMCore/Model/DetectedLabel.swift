import Foundation

/// A label detected in an image, shaped like Rekognition's `Label`.
public struct DetectedLabel: Sendable, Hashable, Codable {
    /// Label name, e.g. "Mountain".
    public var name: String
    /// Confidence on Rekognition's 0–100 scale.
    public var confidence: Double
    /// Parent label names, nearest first (Forest → Tree, Vegetation, Plant, Nature …).
    public var parents: [String]
    /// Rekognition-style categories, e.g. "Nature and Outdoors".
    public var categories: [String]

    public init(name: String, confidence: Double, parents: [String] = [], categories: [String] = []) {
        self.name = name
        self.confidence = confidence
        self.parents = parents
        self.categories = categories
    }
}

/// The options Rekognition's DetectLabels honours.
public struct LabelQuery: Sendable, Hashable {
    /// At most this many labels, highest confidence first; `nil` means no limit.
    public var maxLabels: Int?
    /// Labels below this confidence (0–100) are dropped.
    public var minConfidence: Double

    /// Rekognition's defaults: no label limit, MinConfidence 55.
    public static let `default` = LabelQuery(maxLabels: nil, minConfidence: 55)

    public init(maxLabels: Int? = nil, minConfidence: Double = 55) {
        self.maxLabels = maxLabels
        self.minConfidence = minConfidence
    }

    /// Applies MinConfidence, then sorts by confidence (ties by name) and applies MaxLabels.
    public func apply(to labels: [DetectedLabel]) -> [DetectedLabel] {
        let kept =
            labels
            .filter { $0.confidence >= minConfidence }
            .sorted { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.name < $1.name }
        if let maxLabels { return Array(kept.prefix(max(0, maxLabels))) }
        return kept
    }
}
