/// Colour, brightness and texture statistics of a small RGB image, accumulated over a spatial grid
/// in one pass, plus a per-column skyline (how far open sky reaches down from the top).
///
/// All sums are integers, so the same pixels always give the same features.
struct ImageFeatures {
    /// Grid size: `gridRows` bands top to bottom, `gridColumns` columns.
    static let gridRows = 8, gridColumns = 8
    /// A pixel whose luma gradient (|dx| + |dy|) reaches this counts as textured.
    static let textureThreshold = 24

    /// Per-cell integer accumulators, one block of ``Field`` per cell, row-major.
    enum Field: Int, CaseIterable {
        // The first twelve mirror PixelClass's bits, so the hot loop can add bit by bit.
        case blue, green, warm, sand, earth, whitish, grey, dark, highlight, vivid, skyLike, petal
        case pixels, red, greenSum, blueSum, luma, lumaSquared, gradient, gradientX, gradientY
        case textured, greenTextured, blueSmooth
        /// Pixels whose luma gradient (|dx| + |dy|) reaches 6, 16, 40, 80: texture at several strengths.
        case edges6, edges16, edges40, edges80
        /// Pixels per hue slot (``PixelClass/hueSlot(red:green:blue:)``): no hue, then 30° sectors.
        case noHue, hue0, hue30, hue60, hue90, hue120, hue150, hue180, hue210, hue240, hue270, hue300, hue330
    }
    static let fieldCount = Field.allCases.count

    let width: Int
    let height: Int
    /// `gridRows * gridColumns * fieldCount` sums.
    private(set) var sums: [Int]
    /// For each image column, the number of rows from the top that are uninterrupted sky.
    private(set) var skyRun: [Int]
    /// For each image column, the luma of the first non-sky pixel below the sky (−1 if none).
    private(set) var belowSkyLuma: [Int]
    /// Per image row: summed vertical gradient |dy| (a straight horizon is a peak).
    private(set) var rowGradientY: [Int]

    /// Computes the features of `image` in a single pass over its pixels.
    init(_ image: RGBImage) {
        let (width, height) = (image.width, image.height)
        // Segment counters are 8-bit lanes: a grid column must stay under 256 pixels wide
        // (``RGBImage/reducedForLabeling(longSide:)`` guarantees it).
        precondition(width < 256 * Self.gridColumns, "image too wide for one-pass features; reduce it first")
        self.width = width
        self.height = height
        let columns = Self.gridColumns
        let fields = Self.fieldCount
        var sums = [Int](repeating: 0, count: Self.gridRows * columns * fields)
        var skyRun = [Int](repeating: 0, count: width)
        var belowSkyLuma = [Int](repeating: -1, count: width)
        var rowGradientY = [Int](repeating: 0, count: height)
        // Image-column bounds of each grid column; the hot loop walks one cell-row segment at a
        // time with its sums in locals, and adds them to the grid once per segment.
        var columnStart = [Int](repeating: 0, count: columns + 1)
        for column in 0...columns { columnStart[column] = column * width / columns }
        var lumaRows = [Int](repeating: 0, count: 2 * width)
        let skyBit = Int(PixelClass.skyLike.rawValue)
        let hueShift = Int(PixelClass.hueShift)
        let noHue = Field.noHue.rawValue

        image.pixels.withUnsafeBufferPointer { pixels in
            sums.withUnsafeMutableBufferPointer { sums in
                skyRun.withUnsafeMutableBufferPointer { skyRun in
                    belowSkyLuma.withUnsafeMutableBufferPointer { belowSkyLuma in
                        lumaRows.withUnsafeMutableBufferPointer { lumaRows in
                            PixelClass.table.withUnsafeBufferPointer { classTable in
                                SegmentSums.byteSpread.withUnsafeBufferPointer { byteSpread in
                                    for y in 0..<height {
                                        let cellRowBase = (y &* Self.gridRows / height) &* columns
                                        let current = (y & 1) &* width
                                        let previous = width &- current
                                        var rowDySum = 0
                                        var leftLuma = 0
                                        var offset = y &* width &* 3
                                        for column in 0..<columns {
                                            var segment = SegmentSums()
                                            let cellBase = (cellRowBase &+ column) &* fields
                                            for x in columnStart[column]..<columnStart[column &+ 1] {
                                                let r = Int(pixels[offset])
                                                let g = Int(pixels[offset &+ 1])
                                                let b = Int(pixels[offset &+ 2])
                                                offset &+= 3
                                                let luma = (77 &* r &+ 150 &* g &+ 29 &* b) &>> 8
                                                lumaRows[current &+ x] = luma
                                                let dx = x == 0 ? 0 : magnitude(luma &- leftLuma)
                                                let dy = y == 0 ? 0 : magnitude(luma &- lumaRows[previous &+ x])
                                                leftLuma = luma
                                                let bits = Int(classTable[PixelClass.tableIndex(red: r, green: g, blue: b)])
                                                segment.add(
                                                    bits: bits, spread: byteSpread, red: r, green: g, blue: b, luma: luma, dx: dx, dy: dy)
                                                sums[cellBase &+ noHue &+ bits &>> hueShift] &+= 1
                                                // A column's sky run stays open while every pixel from the top is sky.
                                                if skyRun[x] == y {
                                                    if bits & skyBit != 0 { skyRun[x] = y &+ 1 } else { belowSkyLuma[x] = luma }
                                                }
                                            }
                                            rowDySum &+= segment.gradientY
                                            segment.flush(into: sums, at: cellBase)
                                        }
                                        rowGradientY[y] = rowDySum
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        self.sums = sums
        self.skyRun = skyRun
        self.belowSkyLuma = belowSkyLuma
        self.rowGradientY = rowGradientY
    }

    /// The summed statistics of the grid cells in `rows` × `columns`.
    func region(rows: Range<Int>, columns: Range<Int> = 0..<gridColumns) -> RegionStats {
        var total = [Int](repeating: 0, count: Self.fieldCount)
        for row in rows {
            for column in columns {
                let base = (row * Self.gridColumns + column) * Self.fieldCount
                for field in 0..<Self.fieldCount { total[field] += sums[base + field] }
            }
        }
        return RegionStats(sums: total)
    }

    /// The whole image.
    var whole: RegionStats { region(rows: 0..<Self.gridRows) }
}

/// Summed statistics of a group of grid cells, read as means and fractions.
struct RegionStats {
    let sums: [Int]

    subscript(_ field: ImageFeatures.Field) -> Int { sums[field.rawValue] }

    var pixels: Int { self[.pixels] }
    private var count: Double { Double(max(pixels, 1)) }

    /// Fraction (0–1) of pixels in `field`, which should be a class or count field.
    func fraction(_ field: ImageFeatures.Field) -> Double { Double(self[field]) / count }
    /// Mean of a summed field (luma, gradient, red …).
    func mean(_ field: ImageFeatures.Field) -> Double { Double(self[field]) / count }

    var meanLuma: Double { mean(.luma) }
    var lumaDeviation: Double { (max(0, mean(.lumaSquared) - meanLuma * meanLuma)).squareRoot() }
    var meanGradient: Double { mean(.gradient) }
    /// Share of the edge energy that is vertical change (horizontal edges: horizon lines, ripples).
    var horizontalEdgeShare: Double {
        let total = self[.gradientX] + self[.gradientY]
        return total == 0 ? 0.5 : Double(self[.gradientY]) / Double(total)
    }
}

/// |value| without the overflow check of `abs` (operands are differences of bytes).
@inline(__always)
private func magnitude(_ value: Int) -> Int {
    let sign = value &>> 63
    return (value ^ sign) &- sign
}

/// 1 when `value` ≥ `threshold`, else 0, without a branch (both are small non-negative numbers).
@inline(__always)
private func reaches(_ value: Int, _ threshold: Int) -> Int {
    (threshold &- 1 &- value) &>> 63 & 1
}

/// The sums of one run of pixels inside a grid cell (at most 255 pixels: a grid column of an
/// image whose longer side is under 256), kept in registers by packing several counters into
/// lanes of one word.
private struct SegmentSums {
    /// Byte *i* of `byteSpread[b]` is bit *i* of `b`: adds eight class counters at once.
    static let byteSpread: [UInt64] = (0..<256).map { bits in
        (0..<8).reduce(UInt64(0)) { word, bit in word | UInt64((bits >> bit) & 1) << (8 * bit) }
    }

    /// Class bits 0–7 and 8–11, one 8-bit counter per class.
    var classesLow: UInt64 = 0, classesHigh: UInt64 = 0
    /// Red, green and blue sums in 21-bit lanes.
    var rgb: UInt64 = 0
    /// Textured, green-and-textured and blue-and-smooth counts in 16-bit lanes.
    var texture: UInt64 = 0
    /// Counts of gradients reaching 6, 16, 40 and 80, in 16-bit lanes.
    var edges: UInt64 = 0
    var pixels = 0, luma = 0, lumaSquared = 0, gradientX = 0, gradientY = 0

    @inline(__always)
    mutating func add(
        bits: Int, spread: UnsafeBufferPointer<UInt64>, red r: Int, green g: Int, blue b: Int,
        luma l: Int, dx: Int, dy: Int
    ) {
        classesLow &+= spread[bits & 255]
        classesHigh &+= spread[bits &>> 8 & 15]
        rgb &+= UInt64(truncatingIfNeeded: r | g &<< 21 | b &<< 42)
        pixels &+= 1
        luma &+= l
        lumaSquared &+= l &* l
        gradientX &+= dx
        gradientY &+= dy
        // Comparisons as arithmetic, not branches: texture is noise to a branch predictor.
        let gradient = dx &+ dy
        let isTextured = reaches(gradient, ImageFeatures.textureThreshold)
        let lanes = isTextured | (isTextured & (bits &>> 1)) &<< 16 | ((1 &- isTextured) & bits & 1) &<< 32
        texture &+= UInt64(truncatingIfNeeded: lanes)
        let edgeLanes =
            reaches(gradient, 6) | reaches(gradient, 16) &<< 16 | reaches(gradient, 40) &<< 32 | reaches(gradient, 80) &<< 48
        edges &+= UInt64(truncatingIfNeeded: edgeLanes)
    }

    /// Adds these sums to the cell whose fields start at `base`, in ``ImageFeatures/Field`` order.
    @inline(__always)
    func flush(into sums: UnsafeMutableBufferPointer<Int>, at base: Int) {
        for bit in 0..<8 { sums[base &+ bit] &+= Int(truncatingIfNeeded: classesLow &>> (8 &* UInt64(bit)) & 255) }
        for bit in 0..<4 { sums[base &+ 8 &+ bit] &+= Int(truncatingIfNeeded: classesHigh &>> (8 &* UInt64(bit)) & 255) }
        let lane21: UInt64 = (1 << 21) - 1
        let lane16: UInt64 = 0xFFFF
        sums[base &+ ImageFeatures.Field.pixels.rawValue] &+= pixels
        sums[base &+ ImageFeatures.Field.red.rawValue] &+= Int(truncatingIfNeeded: rgb & lane21)
        sums[base &+ ImageFeatures.Field.greenSum.rawValue] &+= Int(truncatingIfNeeded: rgb &>> 21 & lane21)
        sums[base &+ ImageFeatures.Field.blueSum.rawValue] &+= Int(truncatingIfNeeded: rgb &>> 42 & lane21)
        sums[base &+ ImageFeatures.Field.luma.rawValue] &+= luma
        sums[base &+ ImageFeatures.Field.lumaSquared.rawValue] &+= lumaSquared
        sums[base &+ ImageFeatures.Field.gradient.rawValue] &+= gradientX &+ gradientY
        sums[base &+ ImageFeatures.Field.gradientX.rawValue] &+= gradientX
        sums[base &+ ImageFeatures.Field.gradientY.rawValue] &+= gradientY
        sums[base &+ ImageFeatures.Field.textured.rawValue] &+= Int(truncatingIfNeeded: texture & lane16)
        sums[base &+ ImageFeatures.Field.greenTextured.rawValue] &+= Int(truncatingIfNeeded: texture &>> 16 & lane16)
        sums[base &+ ImageFeatures.Field.blueSmooth.rawValue] &+= Int(truncatingIfNeeded: texture &>> 32 & lane16)
        sums[base &+ ImageFeatures.Field.edges6.rawValue] &+= Int(truncatingIfNeeded: edges & lane16)
        sums[base &+ ImageFeatures.Field.edges16.rawValue] &+= Int(truncatingIfNeeded: edges &>> 16 & lane16)
        sums[base &+ ImageFeatures.Field.edges40.rawValue] &+= Int(truncatingIfNeeded: edges &>> 32 & lane16)
        sums[base &+ ImageFeatures.Field.edges80.rawValue] &+= Int(truncatingIfNeeded: edges &>> 48 & lane16)
    }
}
