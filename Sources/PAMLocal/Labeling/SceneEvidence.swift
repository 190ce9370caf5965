/// Scene-level measurements derived from ``ImageFeatures``: regions (top, middle, bottom), the
/// skyline, and the horizon; ``LabelFeatures`` puts them in the model's feature vector.
struct SceneEvidence {
    let whole: RegionStats
    /// Grid rows 0–2 (top 3/8), 3–4 (middle), 5–7 (bottom 3/8).
    let top: RegionStats
    let middle: RegionStats
    let bottom: RegionStats
    /// Grid rows 4–7.
    let lowerHalf: RegionStats
    /// Grid rows 0–4: the sky and the horizon band.
    let upperFiveEighths: RegionStats
    private let features: ImageFeatures

    /// Share of image columns where open sky reaches down at least 5 % from the top edge.
    let skyColumnShare: Double
    /// Mean depth of the sky (fraction of height) over those columns.
    let skyDepth: Double
    /// Large-scale relief of the skyline: range of the skyline averaged over 1/16-width blocks,
    /// as a fraction of the image height.
    let skylineRelief: Double
    /// Small-scale roughness: mean |Δ| between neighbouring blocks, fraction of height.
    let skylineRoughness: Double
    /// How much darker the ground just below the skyline is than the sky above it (luma 0–255).
    let skylineContrast: Double
    /// Mean luma of the sky pixels (top region skyLike approximated by the sky run).
    let skyLuma: Double
    /// Strongest single-row horizontal edge relative to the mean row (a straight horizon scores high).
    let horizonPeak: Double
    /// Row (fraction of height) of that peak.
    let horizonRow: Double
    /// Share of columns where open sky runs on well below that row: then the strong line is an
    /// object's edge seen against the sky (a roof, a ledge), not the horizon.
    let skyBelowHorizonShare: Double

    init(_ features: ImageFeatures) {
        let rows = ImageFeatures.gridRows
        whole = features.whole
        top = features.region(rows: 0..<3)
        middle = features.region(rows: 3..<5)
        bottom = features.region(rows: 5..<rows)
        lowerHalf = features.region(rows: rows / 2..<rows)
        upperFiveEighths = features.region(rows: 0..<5)
        self.features = features

        let (width, height) = (features.width, features.height)
        let minimumRun = max(1, height / 20)
        var skyColumns = 0
        var depthSum = 0
        var contrastSum = 0
        var contrastCount = 0
        for x in 0..<width where features.skyRun[x] >= minimumRun {
            skyColumns += 1
            depthSum += features.skyRun[x]
            if features.belowSkyLuma[x] >= 0 {
                contrastSum += features.belowSkyLuma[x]
                contrastCount += 1
            }
        }
        skyColumnShare = width == 0 ? 0 : Double(skyColumns) / Double(width)
        skyDepth = skyColumns == 0 ? 0 : Double(depthSum) / Double(skyColumns * max(height, 1))
        let skyRegion = features.region(rows: 0..<max(1, min(rows, Int((skyDepth * Double(rows)).rounded(.down)))))
        skyLuma = skyRegion.meanLuma
        skylineContrast = contrastCount == 0 ? 0 : skyLuma - Double(contrastSum) / Double(contrastCount)

        // Skyline in 16 blocks; blocks without sky (run shorter than 5 %) break the line.
        let blocks = 16
        var profile: [Double] = []
        if width >= blocks {
            for block in 0..<blocks {
                let start = block * width / blocks
                let end = (block + 1) * width / blocks
                var sum = 0
                for x in start..<end { sum += features.skyRun[x] }
                profile.append(Double(sum) / Double(max(end - start, 1) * max(height, 1)))
            }
        }
        if let low = profile.min(), let high = profile.max(), profile.count > 1 {
            skylineRelief = high - low
            var steps = 0.0
            for index in 1..<profile.count { steps += abs(profile[index] - profile[index - 1]) }
            skylineRoughness = steps / Double(profile.count - 1)
        } else {
            skylineRelief = 0
            skylineRoughness = 0
        }

        var peak = 0
        var peakRow = 0
        var total = 0
        for y in 1..<max(height, 1) {
            total += features.rowGradientY[y]
            if features.rowGradientY[y] > peak {
                peak = features.rowGradientY[y]
                peakRow = y
            }
        }
        let meanRow = Double(total) / Double(max(height - 1, 1))
        horizonPeak = meanRow == 0 ? 0 : Double(peak) / meanRow
        horizonRow = height == 0 ? 0 : Double(peakRow) / Double(height)
        let belowHorizon = peakRow + max(1, height / 12)
        var skyBelow = 0
        for x in 0..<width where features.skyRun[x] > belowHorizon { skyBelow += 1 }
        skyBelowHorizonShare = width == 0 ? 0 : Double(skyBelow) / Double(width)
    }
}

extension SceneEvidence {
    /// Any band of grid rows.
    func region(rows: Range<Int>) -> RegionStats { features.region(rows: rows) }
}
