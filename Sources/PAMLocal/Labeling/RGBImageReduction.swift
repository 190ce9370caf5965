extension RGBImage {
    /// A box-averaged copy whose longer side is between `longSide` and `2 * longSide`, or `self`
    /// when it already is small enough. Keeps texture measures comparable across photo sizes
    /// (DCT scaling stops at 1/8, so a 4000 px photo decodes to 500 px).
    func reducedForLabeling(longSide: Int) -> RGBImage {
        // Never reduce the short side below one pixel (a 10000x16 strip decodes to 1250x2).
        let factor = Swift.min(Swift.max(width, height) / longSide, Swift.min(width, height))
        guard factor >= 2 else { return self }
        let (outWidth, outHeight) = (width / factor, height / factor)
        var output = RGBImage(width: outWidth, height: outHeight)
        let area = factor * factor
        let sourcePitch = pitch
        pixels.withUnsafeBufferPointer { src in
            output.pixels.withUnsafeMutableBufferPointer { dst in
                for outY in 0..<outHeight {
                    for outX in 0..<outWidth {
                        var (r, g, b) = (0, 0, 0)
                        for dy in 0..<factor {
                            var index = (outY &* factor &+ dy) &* sourcePitch &+ outX &* factor &* 3
                            for _ in 0..<factor {
                                r &+= Int(src[index])
                                g &+= Int(src[index &+ 1])
                                b &+= Int(src[index &+ 2])
                                index &+= 3
                            }
                        }
                        let out = (outY &* outWidth &+ outX) &* 3
                        dst[out] = UInt8(truncatingIfNeeded: (r &+ area / 2) / area)
                        dst[out &+ 1] = UInt8(truncatingIfNeeded: (g &+ area / 2) / area)
                        dst[out &+ 2] = UInt8(truncatingIfNeeded: (b &+ area / 2) / area)
                    }
                }
            }
        }
        return output
    }
}
