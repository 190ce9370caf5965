/// Evidence rules: each detectable label gets a score in 0…1 from the scene measurements.
/// Parents (Nature, Outdoors, Plant …) are not scored here; ``HistogramLabeler`` derives them.
///
/// Each rule is a product of ramps over a few measurements, so a score grows with every piece of
/// evidence and any missing piece vetoes it. The thresholds are round numbers chosen by looking
/// at what the measurements mean, then checked on the fixture photos; none targets one photo.
enum LabelRules {
    static func scores(_ e: SceneEvidence) -> [String: Double] {
        var s: [String: Double] = [:]
        let upper = e.upperFiveEighths

        // Natural ground under the top band: vegetation, sand, or a dark silhouette.
        let naturalGround = ramp(
            e.bottom.fraction(.green) + e.lowerHalf.fraction(.sand) + e.bottom.fraction(.dark)
                + e.bottom.fraction(.earth), 0.25, 0.5)

        // Sky: open, smooth, sky-coloured area along the top edge. Blue or warm skies speak for
        // themselves; a white or grey top band could be a ceiling or a wall, so it needs natural
        // ground below it as well.
        let openSky =
            ramp(e.skyColumnShare, 0.35, 0.9) * ramp(e.top.fraction(.skyLike), 0.25, 0.7)
            * ramp(e.top.meanGradient, 35, 15) // lenient: sunset and storm clouds add structure
        let coloured = ramp(e.top.fraction(.blue) + e.top.fraction(.warm), 0.1, 0.3)
        // A smooth blue top band is daylight sky only when it is lit; deep blue in the dark is a
        // backdrop (an aquarium), and a night sky is the night detector's.
        let blueTop = ramp(e.top.fraction(.blueSmooth), 0.2, 0.4) * ramp(e.top.meanLuma, 50, 80)
        // Night: a dark, smooth sky, and lamps: small bright points (a few percent of the frame at
        // most; a large glow is a lit object in the dark, like jellyfish in an aquarium) in a frame
        // that is either black all round or lit by warm artificial light (sodium, tungsten). A dark
        // forest has no lamps; a web lit against a dark blur has neither black nor warm light.
        let darkSky = ramp(e.top.meanLuma, 75, 50) * ramp(e.top.meanGradient, 20, 12)
        let pointLights = ramp(e.whole.fraction(.highlight), 0.005, 0.015) * ramp(e.whole.fraction(.highlight), 0.08, 0.05)
        let lamps = pointLights * max(ramp(e.lowerHalf.fraction(.warm), 0.15, 0.35), ramp(e.whole.fraction(.dark), 0.6, 0.85))
        let night = darkSky * lamps
        s["Night"] = night

        // A night sky is dark, so the colour tests above miss it; the night detector has found it.
        let sky = max(openSky * max(coloured, naturalGround), blueTop, night)
        s["Sky"] = sky

        // Cloud: white or grey patches, or strong but smooth brightness structure (not foliage
        // against the sky, which is contrasty but sharp), in the sky.
        // A cloud a tenth of the sky band across is already a cloud worth naming.
        let cloudy = max(
            ramp(e.top.fraction(.whitish) + e.top.fraction(.grey), 0.06, 0.2),
            ramp(e.top.lumaDeviation, 30, 45) * ramp(e.top.meanGradient, 15, 8))
        s["Cloud"] = min(sky, cloudy)

        // Sunset: warm light or the sun itself in the upper part, over a darker, shadowed foreground.
        let glow = ramp(upper.fraction(.warm) + upper.fraction(.highlight), 0.08, 0.25)
        let sunset = glow * ramp(e.bottom.fraction(.dark), 0.15, 0.4) * ramp(upper.meanLuma - e.bottom.meanLuma, 20, 60)
        s["Sunset"] = sunset

        // Water: a blue or sky-reflecting surface in the middle or lower band whose edges are mostly
        // horizontal (ripples and shore lines, compressed by perspective), and under a sky about as
        // bright as the sky it reflects. Blue objects (cups, jellyfish) and clouds have edges in all
        // directions.
        // Water lies below the skyline: the part of a band that open sky reaches down into is sky,
        // so that share of the band's blue does not count.
        func water(_ band: RegionStats, rows: ClosedRange<Double>) -> Double {
            let skyCover = e.skyColumnShare * min(1, max(0, (e.skyDepth - rows.lowerBound) / (rows.upperBound - rows.lowerBound)))
            let reflective = sky > 0.3 ? ramp(band.meanLuma / max(e.top.meanLuma, 1), 0.3, 0.6) : 1
            let surface = max(0, band.fraction(.blue) + 0.5 * band.fraction(.skyLike) - skyCover)
            return ramp(surface, 0.25, 0.55) * reflective
                * ramp(band.horizontalEdgeShare, 0.6, 0.72) * (0.5 + 0.5 * ramp(band.meanGradient, 30, 10))
        }
        s["Water"] = max(water(e.middle, rows: 0.375...0.625), water(e.bottom, rows: 0.625...1))

        // Mountain: under a real sky, a skyline with large-scale relief but smooth at small scale,
        // and darker ground below it.
        let relief = ramp(e.skylineRelief, 0.06, 0.15) * ramp(e.skylineRelief, 0.6, 0.45)
        s["Mountain"] =
            min(sky, ramp(e.skyColumnShare, 0.6, 0.9)) * relief
            * ramp(e.skylineRoughness, 0.09, 0.05) * ramp(e.skylineContrast, 5, 30)

        // Snow: bright colourless ground in an outdoor scene.
        let lowerWhite = e.region(rows: 3..<ImageFeatures.gridRows).fraction(.whitish)
        // Snow lies on the ground under a skyline: without open sky reaching down from the top edge,
        // white in the lower part is more likely cloud, foam or a bright sky.
        // Snow is white through and through; white ground flecked with beige is pale, sunlit sand.
        let lowerSand = e.region(rows: 3..<ImageFeatures.gridRows).fraction(.sand)
        let beigeShare = lowerSand / max(lowerSand + lowerWhite, 0.01)
        s["Snow"] =
            ramp(lowerWhite, 0.1, 0.3) * max(sky, naturalGround) * ramp(e.skyColumnShare, 0.3, 0.6)
            * ramp(beigeShare, 0.25, 0.1)

        // Vegetation family. Tree canopy is textured, contrasty green in the upper part; a forest
        // covers the top of the frame with it and shows no open sky; grass is green ground, textured or seen
        // under a sky.
        let green = e.whole.fraction(.green)
        s["Vegetation"] = ramp(green, 0.12, 0.35)
        let canopy =
            ramp(e.top.fraction(.greenTextured) + 0.5 * e.middle.fraction(.greenTextured), 0.1, 0.3)
            * ramp(e.top.lumaDeviation, 25, 40) * ramp(e.top.meanGradient, 18, 28)
        // Crowns and branches seen against the sky: blue sky broken by many dark or green edges in
        // the top band (a clear sky is smooth; clouds are soft).
        let branches =
            ramp(e.top.fraction(.blue), 0.15, 0.3) * ramp(e.top.fraction(.dark) + e.top.fraction(.green), 0.1, 0.25)
            * ramp(e.top.fraction(.textured), 0.35, 0.5)
        s["Tree"] = max(canopy, branches)
        // The blue between the branches is open sky, and white in it is cloud.
        s["Sky"] = max(sky, branches)
        s["Cloud"] = min(s["Sky"]!, cloudy)
        // Inside a wood: the upper part is dominated by vertical edges (trunks), the frame is green,
        // and shaded under the canopy.
        let trunks = ramp(e.top.horizontalEdgeShare, 0.45, 0.38) * ramp(green, 0.2, 0.3) * ramp(e.whole.fraction(.dark), 0.2, 0.4)
        s["Forest"] = max(canopy * ramp(e.top.fraction(.green), 0.25, 0.4) * (1 - sky), trunks)
        s["Tree"] = max(s["Tree"]!, s["Forest"]!)
        // Under a sky, finely textured yellow or brown ground is dry grass or a meadow in autumn.
        // (By day: at night the warm light is lamps.)
        let dryGround =
            (e.bottom.fraction(.warm) + e.bottom.fraction(.earth)) * ramp(e.bottom.meanGradient, 12, 22) * sky
            * (1 - night)
        // A lawn or meadow seen across to a sky may fill only the foot of the frame.
        let lawn = ramp(e.region(rows: 7..<ImageFeatures.gridRows).fraction(.green), 0.25, 0.5) * sky * (1 - branches)
        s["Grass"] = max(
            ramp(e.bottom.fraction(.green), 0.35, 0.65) * max(ramp(e.bottom.fraction(.greenTextured), 0.06, 0.18), sky),
            ramp(dryGround, 0.4, 0.7), lawn)

        // Flower: pure, saturated pigment (petals) covering a real part of the frame; not a sunset.
        // Violet and purple petals (lavender, asters) are paler than pigment, but no foliage, soil or
        // daylight sky has those hues; they count as flowers when plants are around them.
        let vividPetals = ramp(e.whole.fraction(.vivid), 0.05, 0.2)
        let violetPetals = ramp(e.whole.fraction(.petal), 0.04, 0.12) * ramp(green, 0.03, 0.08)
        s["Flower"] = max(vividPetals, violetPetals) * (1 - sunset)

        // Sand: pale beige ground, fine-grained, so smooth at this scale (boards, walls and bark
        // of the same colour have coarse structure).
        let smoothGround = ramp(e.bottom.meanGradient, 30, 20)
        let paleSand = ramp(lowerSand + lowerWhite, 0.3, 0.5) * ramp(beigeShare, 0.1, 0.25) * sky
        s["Sand"] = max(ramp(e.lowerHalf.fraction(.sand), 0.12, 0.35), paleSand) * smoothGround

        // Rock: grey or brown ground with strong texture.
        let rocky = e.lowerHalf.fraction(.grey) + e.lowerHalf.fraction(.earth)
        // Under a sky, bare grey or brown faces in the middle band are cliffs and rocky slopes.
        let rockFace = ramp(e.middle.fraction(.grey) + e.middle.fraction(.earth), 0.3, 0.5) * ramp(e.middle.meanGradient, 18, 35) * sky
        s["Rock"] = max(ramp(rocky, 0.3, 0.5) * ramp(e.lowerHalf.meanGradient, 18, 35), rockFace)

        // Landscape: a sky over natural ground or a clear horizon, seen into the distance.
        // A horizon has sky above it and none below: a line with sky running on beneath it is the
        // edge of something standing against the sky.
        let horizon =
            ramp(e.horizonPeak, 2.5, 5) * (e.horizonRow > 0.3 && e.horizonRow < 0.9 ? 1 : 0)
            * ramp(e.skyBelowHorizonShare, 0.15, 0.05)
        let ground = [s["Mountain"]!, s["Water"]!, s["Grass"]!, s["Snow"]!, s["Sand"]!, s["Forest"]!, naturalGround, horizon].max()!
        // Near branches across the top block any distant view.
        s["Landscape"] = min(sky, ground) * ramp(e.skyDepth, 0.05, 0.15) * ramp(e.skyDepth, 0.9, 0.7) * (1 - branches)
        return s
    }

    /// Linear ramp: 0 at or below `low`, 1 at or above `high` (or the reverse when `low > high`).
    @inline(__always)
    private static func ramp(_ value: Double, _ low: Double, _ high: Double) -> Double {
        min(1, max(0, (value - low) / (high - low)))
    }
}
