import Foundation
import PAMCore

/// Makes many distinct but realistic photos from a few: each variant is a crop of the source at a
/// zoom of 75–100 % and an offset derived from the variant index, resized (bilinear) to a fixed
/// size, mirrored on odd indices and re-encoded. Used by `pam bench import`.
///
/// Deterministic: the same source bytes and index always give the same JPEG bytes.
public struct JPEGVariantGenerator: Sendable {
    /// Output width in pixels.
    public let width: Int
    /// Output height in pixels.
    public let height: Int
    /// JPEG quality of the output, 1–100.
    public let quality: Int
    /// Sources wider or taller than this are rejected with `.imageTooLarge`.
    public let maxDimension: Int

    public init(width: Int = 1024, height: Int = 768, quality: Int = 85, maxDimension: Int = 10_000) {
        precondition(width > 0 && height > 0, "variant size must be positive")
        self.width = width
        self.height = height
        self.quality = quality
        self.maxDimension = maxDimension
    }

    /// The variant number `index` (any integer) of the JPEG `source`.
    public func variant(of source: Data, index: Int) throws -> Data {
        let decoder = try TurboJPEGDecoder(maxDimension: maxDimension)
        // The tightest crop is 75 % of the source, and it must still cover the output: decode with
        // DCT scaling only down to that size, never smaller.
        let needed = Int((Double(max(width, height)) / 0.75).rounded(.up))
        let image = try decoder.decode(source, atLeast: needed).oriented(JPEGOrientation(jpeg: source))
        let crop = Self.crop(
            forIndex: index, sourceWidth: image.width, sourceHeight: image.height,
            aspect: Double(width) / Double(height))
        let resized = image.resampled(crop: crop, width: width, height: height, flipHorizontally: index & 1 == 1)
        return try TurboJPEGEncoder().encode(resized, quality: quality)
    }

    /// The crop of variant `index`: the largest rectangle of the output's aspect ratio that fits the
    /// source, shrunk by a zoom in [0.75, 1] and placed at an offset, all drawn from a seeded generator.
    static func crop(forIndex index: Int, sourceWidth: Int, sourceHeight: Int, aspect: Double) -> PixelRect {
        var random = SplitMix64(seed: UInt64(bitPattern: Int64(index)))
        let (sourceW, sourceH) = (Double(sourceWidth), Double(sourceHeight))
        let (fullW, fullH) = sourceW / sourceH >= aspect ? (sourceH * aspect, sourceH) : (sourceW, sourceW / aspect)
        let zoom = 0.75 + 0.25 * random.nextUnit()
        let (cropW, cropH) = (fullW * zoom, fullH * zoom)
        return PixelRect(
            x: (sourceW - cropW) * random.nextUnit(), y: (sourceH - cropH) * random.nextUnit(),
            width: cropW, height: cropH)
    }
}
