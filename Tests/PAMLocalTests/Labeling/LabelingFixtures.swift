import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport

/// Synthetic test images, built in memory so the tests that use them need no fixture files.
enum SyntheticJPEG {
    /// A `width`x`height` JPEG whose pixel at (x, y) is `color(x, y)`.
    static func make(width: Int, height: Int, quality: Int = 90, _ color: (Int, Int) -> (UInt8, UInt8, UInt8)) throws -> Data {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b) = color(x, y)
                let offset = (y * width + x) * 3
                pixels[offset] = r
                pixels[offset + 1] = g
                pixels[offset + 2] = b
            }
        }
        return try TurboJPEGEncoder().encode(RGBImage(width: width, height: height, pixels: pixels), quality: quality)
    }

    /// Clear blue sky over the top `skyShare` of the frame, textured green foliage below
    /// (a deterministic pseudo-random pattern).
    static func skyOverMeadow(width: Int = 1024, height: Int = 768, skyShare: Double = 0.45) throws -> Data {
        try make(width: width, height: height) { x, y in
            if Double(y) < Double(height) * skyShare {
                let lift = UInt8(40 * y / height)
                return (110 + lift, 170 + lift, 235)
            }
            // Blocks of 12 px survive the 1/8 DCT-scaled decode as texture.
            let noise = (((x / 12) &* 2_654_435_761) ^ ((y / 12) &* 40_503)) >> 7 & 63
            return (UInt8(40 + noise / 2), UInt8(110 + noise), UInt8(30 + noise / 3))
        }
    }
}
