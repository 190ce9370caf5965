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
        let naturalGround = ramp(e.bottom.fraction(.green) + e.lowerHalf.fraction(.sand) + e.bottom.fraction(.dark)
                                 + e.bottom.fraction(.earth), 0.25, 0.5)

        // Sky: open, smooth, sky-coloured area along the top edge. Blue or warm skies speak for
        // themselves; a white or grey top band could be a ceiling or a wall, so it needs natural
        // ground below it as well.
        let openSky = ramp(e.skyColumnShare, 0.35, 0.9) * ramp(e.top.fraction(.skyLike), 0.25, 0.7)
            * ramp(e.top.meanGradient, 35, 15)  // lenient: sunset and storm clouds add structure
        let coloured = ramp(e.top.fraction(.blue) + e.top.fraction(.warm), 0.1, 0.3)
        let blueTop = ramp(e.top.fraction(.blueSmooth), 0.2, 0.4)
        let sky = max(openSky * max(coloured, naturalGround), blueTop)
        s["Sky"] = sky

        // Cloud: white or grey patches, or strong but smooth brightness structure (not foliage
        // against the sky, which is contrasty but sharp), in the sky.
        let cloudy = max(ramp(e.top.fraction(.whitish) + e.top.fraction(.grey), 0.1, 0.35),
                         ramp(e.top.lumaDeviation, 30, 45) * ramp(e.top.meanGradient, 15, 8))
        s["Cloud"] = min(sky, cloudy)

        // Sunset: warm light or the sun itself in the upper part, over a darker, shadowed foreground.
        let glow = ramp(upper.fraction(.warm) + upper.fraction(.highlight), 0.08, 0.25)
        let sunset = glow * ramp(e.bottom.fraction(.dark), 0.15, 0.4) * ramp(upper.meanLuma - e.bottom.meanLuma, 20, 60)
        s["Sunset"] = sunset

        // Night: mostly dark everywhere.
        s["Night"] = ramp(e.whole.fraction(.dark), 0.45, 0.8) * ramp(e.whole.meanLuma, 70, 35)

        // Water: a blue or sky-reflecting surface in the middle or lower band whose edges are mostly
        // horizontal (ripples and shore lines, compressed by perspective), and under a sky about as
        // bright as the sky it reflects. Blue objects (cups, jellyfish) and clouds have edges in all
        // directions.
        func water(_ band: RegionStats) -> Double {
            let reflective = sky > 0.3 ? ramp(band.meanLuma / max(e.top.meanLuma, 1), 0.3, 0.6) : 1
            return ramp(band.fraction(.blue) + 0.5 * band.fraction(.skyLike), 0.25, 0.55) * reflective
                * ramp(band.horizontalEdgeShare, 0.6, 0.72) * (0.5 + 0.5 * ramp(band.meanGradient, 30, 10))
        }
        s["Water"] = max(water(e.middle), water(e.bottom))

        // Mountain: under a real sky, a skyline with large-scale relief but smooth at small scale,
        // and darker ground below it.
        let relief = ramp(e.skylineRelief, 0.06, 0.15) * ramp(e.skylineRelief, 0.6, 0.45)
        s["Mountain"] = min(sky, ramp(e.skyColumnShare, 0.6, 0.9)) * relief
            * ramp(e.skylineRoughness, 0.09, 0.05) * ramp(e.skylineContrast, 5, 30)

        // Snow: bright colourless ground in an outdoor scene.
        let lowerWhite = e.region(rows: 3..<ImageFeatures.gridRows).fraction(.whitish)
        // Snow lies on the ground under a skyline: without open sky reaching down from the top edge,
        // white in the lower part is more likely cloud, foam or a bright sky.
        s["Snow"] = ramp(lowerWhite, 0.1, 0.3) * max(sky, naturalGround) * ramp(e.skyColumnShare, 0.3, 0.6)

        // Vegetation family. Tree canopy is textured, contrasty green in the upper part; a forest
        // covers the top of the frame with it and shows no open sky; grass is green ground, textured or seen
        // under a sky.
        let green = e.whole.fraction(.green)
        s["Vegetation"] = ramp(green, 0.12, 0.35)
        let canopy = ramp(e.top.fraction(.greenTextured) + 0.5 * e.middle.fraction(.greenTextured), 0.1, 0.3)
            * ramp(e.top.lumaDeviation, 25, 40) * ramp(e.top.meanGradient, 18, 28)
        s["Tree"] = canopy
        s["Forest"] = canopy * ramp(e.top.fraction(.green), 0.3, 0.5) * (1 - sky)
        // Under a sky, finely textured yellow or brown ground is dry grass or a meadow in autumn.
        let dryGround = (e.bottom.fraction(.warm) + e.bottom.fraction(.earth)) * ramp(e.bottom.meanGradient, 12, 22) * sky
        s["Grass"] = max(ramp(e.bottom.fraction(.green), 0.35, 0.65) * max(ramp(e.bottom.fraction(.greenTextured), 0.06, 0.18), sky),
                         ramp(dryGround, 0.4, 0.7))

        // Flower: pure, saturated pigment (petals) covering a real part of the frame; not a sunset.
        s["Flower"] = ramp(e.whole.fraction(.vivid), 0.05, 0.2) * (1 - sunset)

        // Sand: pale beige ground.
        s["Sand"] = ramp(e.lowerHalf.fraction(.sand), 0.12, 0.35)

        // Rock: grey or brown ground with strong texture.
        let rocky = e.lowerHalf.fraction(.grey) + e.lowerHalf.fraction(.earth)
        s["Rock"] = ramp(rocky, 0.3, 0.5) * ramp(e.lowerHalf.meanGradient, 18, 35)

        // Landscape: a sky over natural ground or a clear horizon, seen into the distance.
        let horizon = ramp(e.horizonPeak, 2.5, 5) * (e.horizonRow > 0.3 && e.horizonRow < 0.9 ? 1 : 0)
        let ground = [s["Mountain"]!, s["Water"]!, s["Grass"]!, s["Snow"]!, s["Sand"]!, s["Forest"]!, naturalGround, horizon].max()!
        s["Landscape"] = min(sky, ground) * ramp(e.skyDepth, 0.05, 0.15) * ramp(e.skyDepth, 0.9, 0.7)
        return s
    }

    /// Linear ramp: 0 at or below `low`, 1 at or above `high` (or the reverse when `low > high`).
    @inline(__always)
    private static func ramp(_ value: Double, _ low: Double, _ high: Double) -> Double {
        min(1, max(0, (value - low) / (high - low)))
    }
}
