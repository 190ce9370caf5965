/// A crop rectangle in pixel coordinates (origin top left), used by the resampler.
public struct PixelRect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

extension RGBImage {
    /// Bilinearly resamples the `crop` region of this image to `width`x`height`, mirrored left–right
    /// when `flipHorizontally` is set. Fixed-point (8-bit weights), so results are identical on every
    /// platform.
    public func resampled(
        crop: PixelRect, width outWidth: Int, height outHeight: Int,
        flipHorizontally: Bool = false
    ) -> RGBImage {
        precondition(outWidth > 0 && outHeight > 0 && width > 0 && height > 0, "empty resample")
        var output = RGBImage(width: outWidth, height: outHeight)
        // Per output column: left source column and right-neighbour weight, computed once.
        var columns = [Int](repeating: 0, count: outWidth)
        var columnWeights = [Int](repeating: 0, count: outWidth)
        let scaleX = crop.width / Double(outWidth)
        let scaleY = crop.height / Double(outHeight)
        for outX in 0..<outWidth {
            let sourceColumn = flipHorizontally ? outWidth - 1 - outX : outX
            let (column, weight) = Self.sample(crop.x + (Double(sourceColumn) + 0.5) * scaleX - 0.5, limit: width)
            columns[outX] = column
            columnWeights[outX] = weight
        }
        let sourcePitch = pitch
        let lastColumn = width - 1
        pixels.withUnsafeBufferPointer { src in
            output.pixels.withUnsafeMutableBufferPointer { dst in
                columns.withUnsafeBufferPointer { columns in
                    columnWeights.withUnsafeBufferPointer { columnWeights in
                        for outY in 0..<outHeight {
                            let (row, rowWeight) = Self.sample(crop.y + (Double(outY) + 0.5) * scaleY - 0.5, limit: height)
                            let top = row &* sourcePitch
                            let bottom = Swift.min(row &+ 1, height &- 1) &* sourcePitch
                            var out = outY &* outWidth &* 3
                            for outX in 0..<outWidth {
                                let left = columns[outX] &* 3
                                let right = Swift.min(columns[outX] &+ 1, lastColumn) &* 3
                                let wx = columnWeights[outX]
                                for channel in 0..<3 {
                                    let upper = Int(src[top &+ left &+ channel]) &* (256 &- wx) &+ Int(src[top &+ right &+ channel]) &* wx
                                    let lower =
                                        Int(src[bottom &+ left &+ channel]) &* (256 &- wx) &+ Int(src[bottom &+ right &+ channel]) &* wx
                                    dst[out &+ channel] = UInt8(
                                        truncatingIfNeeded: (upper &* (256 &- rowWeight) &+ lower &* rowWeight &+ 32768) >> 16)
                                }
                                out &+= 3
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Splits a source coordinate into a clamped integer index and an 8-bit weight for the next one.
    private static func sample(_ position: Double, limit: Int) -> (index: Int, weight: Int) {
        let clamped = Swift.min(Swift.max(position, 0), Double(limit - 1))
        let index = Int(clamped)
        return (index, Int(((clamped - Double(index)) * 256).rounded()).clamped(to: 0...256))
    }
}

extension Int {
    fileprivate func clamped(to range: ClosedRange<Int>) -> Int { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
