/// One photo's feature vector: the numbers the fitted label model (``LabelModel``) reads.
///
/// Built from ``ImageFeatures`` and ``SceneEvidence``: per horizontal band (and the whole frame),
/// colour-class shares, a hue histogram (30° sectors), mean colour, brightness and its spread,
/// texture at four edge strengths and the direction of the edges; then the skyline and horizon
/// measurements. (Finer grids and colour spreads per band were measured and left out: they did
/// not raise the cross-validated F1.) Shares enter as square roots, so a little of a colour (a few
/// petals, a strip of sky) is already visible to a linear model. Deterministic: the same image
/// gives the same vector, and ``names`` says what each entry is.
public enum LabelFeatures {
    /// Bands of grid rows, top to bottom, each described by ``regionFeatures``.
    static let bands: [(name: String, rows: Range<Int>)] = [
        ("whole", 0..<ImageFeatures.gridRows), ("top", 0..<2), ("upper", 2..<4), ("lower", 4..<6), ("bottom", 6..<8),
    ]

    /// The colour classes whose share is a feature.
    private static let classFields: [(String, ImageFeatures.Field)] = [
        ("blue", .blue), ("green", .green), ("warm", .warm), ("sand", .sand), ("earth", .earth), ("whitish", .whitish),
        ("grey", .grey), ("dark", .dark), ("highlight", .highlight), ("vivid", .vivid), ("skyLike", .skyLike),
        ("petal", .petal), ("textured", .textured), ("greenTextured", .greenTextured), ("blueSmooth", .blueSmooth),
        ("edges6", .edges6), ("edges16", .edges16), ("edges40", .edges40), ("edges80", .edges80),
        ("hue0", .hue0), ("hue30", .hue30), ("hue60", .hue60), ("hue90", .hue90), ("hue120", .hue120), ("hue150", .hue150),
        ("hue180", .hue180), ("hue210", .hue210), ("hue240", .hue240), ("hue270", .hue270), ("hue300", .hue300), ("hue330", .hue330),
    ]

    /// The name of every entry, in vector order.
    public static let names: [String] = {
        var names: [String] = []
        for band in bands {
            names += regionFeatureNames.map { "\(band.name).\($0)" }
        }
        names += [
            "skyColumnShare", "skyDepth", "skylineRelief", "skylineRoughness", "skylineContrast", "skyLuma",
            "horizonPeak", "horizonRow", "skyBelowHorizonShare",
        ]
        return names
    }()

    private static let regionFeatureNames: [String] =
        classFields.map(\.0) + ["meanRed", "meanGreen", "meanBlue", "luma", "lumaDeviation", "gradient", "horizontalEdgeShare"]

    /// The vector of `features`, in ``names`` order.
    static func vector(_ features: ImageFeatures) -> [Double] {
        var vector: [Double] = []
        vector.reserveCapacity(names.count)
        for band in bands {
            let region = features.region(rows: band.rows)
            for (_, field) in classFields { vector.append(region.fraction(field).squareRoot()) }
            vector += [
                region.mean(.red) / 255, region.mean(.greenSum) / 255, region.mean(.blueSum) / 255, region.meanLuma / 255,
                region.lumaDeviation / 128, region.meanGradient / 64, region.horizontalEdgeShare,
            ]
        }
        let scene = SceneEvidence(features)
        vector += [
            scene.skyColumnShare, scene.skyDepth, scene.skylineRelief, scene.skylineRoughness, scene.skylineContrast / 255,
            scene.skyLuma / 255, (1 + scene.horizonPeak).squareRoot(), scene.horizonRow, scene.skyBelowHorizonShare,
        ]
        return vector
    }
}
