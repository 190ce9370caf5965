import Foundation
import PAMCore

/// Detects Rekognition-style scene labels (Sky, Water, Mountain, Forest, Sunset …) from colour,
/// brightness and texture statistics of a small DCT-scaled decode of a JPEG.
///
/// The image is decoded at 1/8 (or the smallest libjpeg-turbo scale that keeps its longer side at
/// least ``workingSize`` pixels) and turned upright per its EXIF orientation; features are
/// accumulated in one pass over a grid, and rules turn
/// them into labels. Labels carry their parents (Forest → Tree → Vegetation → Plant → Nature) and
/// the parents are returned as labels too. Deterministic: the same bytes give the same labels.
public struct HistogramLabeler: Sendable {
    /// Images wider or taller than this fail with `.imageTooLarge` before any pixel is decoded.
    public let maxDimension: Int
    /// Images whose decode at the working scale would need more memory than this fail with
    /// `.imageTooLarge` before any pixel is decoded (see ``JPEGDecodeCost``).
    public let maxDecodeBytes: Int
    /// The longer side of the working image is at least this (when the photo is that large).
    public static let workingSize = 128

    /// Creates a labeler that rejects images larger than `maxDimension` on either side, or whose
    /// decode would need more than `maxDecodeBytes`.
    public init(maxDimension: Int = 10_000, maxDecodeBytes: Int = TurboJPEGDecoder.defaultMaxDecodeBytes) {
        self.maxDimension = maxDimension
        self.maxDecodeBytes = maxDecodeBytes
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
        return query.apply(to: Self.labels(for: upright))
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

    /// All labels for an already decoded working image, unfiltered.
    static func labels(for image: RGBImage) -> [DetectedLabel] {
        let working = image.reducedForLabeling(longSide: workingSize)
        let scores = LabelRules.scores(SceneEvidence(ImageFeatures(working)))
        // A parent is as confident as its most confident descendant.
        var confidence: [String: Double] = [:]
        for (name, score) in scores where score > 0 {
            let value = Self.confidence(forScore: score)
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

    /// Maps rule evidence (0…1) to Rekognition's 0–100 scale: weak evidence lands below the
    /// default MinConfidence of 55, full evidence near 99. Rounded to 3 decimals for stable output.
    static func confidence(forScore score: Double) -> Double {
        let value = 25 + 74 * min(1, max(0, score))
        return (value * 1000).rounded() / 1000
    }
}
