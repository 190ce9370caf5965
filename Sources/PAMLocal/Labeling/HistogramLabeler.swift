import Foundation
import PAMCore

/// Detects Rekognition-style scene labels (Sky, Water, Lake, Mountain, Forest, Sunset …) from colour,
/// brightness and texture statistics of a small DCT-scaled decode of a JPEG.
///
/// The image is decoded at 1/8 (or the smallest libjpeg-turbo scale that keeps its longer side at
/// least ``workingSize`` pixels) and turned upright per its EXIF orientation; features are
/// accumulated in one pass over a grid (``ImageFeatures``), summarised as one vector
/// (``LabelFeatures``), and a fitted, calibrated model (``LabelModel``) turns it into label
/// probabilities. Labels carry their parents (Forest → Tree → Vegetation → Plant → Nature) and
/// the parents are returned as labels too. Deterministic: the same bytes give the same labels.
public struct HistogramLabeler: Sendable {
    /// Images wider or taller than this fail with `.imageTooLarge` before any pixel is decoded.
    public let maxDimension: Int
    /// Images whose decode at the working scale would need more memory than this fail with
    /// `.imageTooLarge` before any pixel is decoded (see ``JPEGDecodeCost``).
    public let maxDecodeBytes: Int
    /// The longer side of the working image is at least this (when the photo is that large).
    public static let workingSize = 128
    /// The fitted model that turns features into label probabilities.
    public let model: LabelModel

    /// Creates a labeler that rejects images larger than `maxDimension` on either side, or whose
    /// decode would need more than `maxDecodeBytes`.
    public init(
        maxDimension: Int = 10_000, maxDecodeBytes: Int = TurboJPEGDecoder.defaultMaxDecodeBytes, model: LabelModel = .trained
    ) {
        self.maxDimension = maxDimension
        self.maxDecodeBytes = maxDecodeBytes
        self.model = model
    }

    private func decoder() throws -> TurboJPEGDecoder {
        try TurboJPEGDecoder(maxDimension: maxDimension, maxDecodeBytes: maxDecodeBytes)
    }

    /// Labels for the JPEG `data`, filtered and limited by `query`.
    ///
    /// - Throws: `PAMError` `.invalidImage` for data that is not a complete, decodable JPEG;
    ///   `.imageTooLarge` when a side exceeds ``maxDimension``.
    public func labels(forJPEG data: Data, query: LabelQuery = .default) throws -> [DetectedLabel] {
        var image = RGBImage()
        try decoder().decode(data, atLeast: Self.workingSize, into: &image)
        // Rules are about the upright picture (sky on top); turning the small image is cheap.
        let upright = image.oriented(JPEGOrientation(jpeg: data))
        return query.apply(to: labels(for: upright))
    }

    /// Decodes `data` at the labeler's working scale and does nothing else (a benchmark baseline).
    public func decodeOnly(_ data: Data) throws {
        var image = RGBImage()
        try decoder().decode(data, atLeast: Self.workingSize, into: &image)
    }

    /// What decoding `data` at the working scale costs, read from its header; throws as
    /// ``labels(forJPEG:query:)`` would for a header that is not a JPEG or is over a limit.
    public func decodeCost(_ data: Data) throws -> JPEGDecodeCost {
        try decoder().decodeCost(data, atLeast: Self.workingSize)
    }

    /// The ``LabelFeatures`` vector of the JPEG `data` (what the model reads), for training.
    public func featureVector(forJPEG data: Data) throws -> [Double] {
        var image = RGBImage()
        try decoder().decode(data, atLeast: Self.workingSize, into: &image)
        return Self.featureVector(for: image.oriented(JPEGOrientation(jpeg: data)))
    }

    static func featureVector(for image: RGBImage) -> [Double] {
        LabelFeatures.vector(ImageFeatures(image.reducedForLabeling(longSide: workingSize)))
    }

    /// All labels for an already decoded working image, unfiltered.
    func labels(for image: RGBImage) -> [DetectedLabel] {
        Self.labels(probabilities: model.probabilities(Self.featureVector(for: image)), of: model.labels)
    }

    /// Labels from the model's probabilities (in `labels` order), with the hierarchy enforced: a
    /// label's parents are returned too, each at least as confident as its most confident
    /// descendant. Confidence is the probability × 100, rounded to 3 decimals for stable output.
    public static func labels(probabilities: [Double], of labels: [String]) -> [DetectedLabel] {
        var confidence: [String: Double] = [:]
        for (name, probability) in zip(labels, probabilities) {
            let value = (min(1, max(0, probability)) * 100_000).rounded() / 1000
            for label in [name] + LabelTaxonomy.ancestors(of: name) {
                confidence[label] = max(confidence[label] ?? 0, value)
            }
        }
        return confidence.keys.sorted().map { name in
            DetectedLabel(
                name: name, confidence: confidence[name]!,
                parents: LabelTaxonomy.ancestors(of: name),
                categories: [LabelTaxonomy.category(of: name)])
        }
    }
}
