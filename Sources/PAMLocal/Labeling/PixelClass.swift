/// Coarse perceptual colour classes of one pixel, from its HSV coordinates.
///
/// Thresholds are in 8-bit units: hue in degrees 0–359, saturation and value 0–255. A pixel can be
/// in several classes (a vivid orange is both `warm` and `vivid`).
struct PixelClass: OptionSet {
    let rawValue: UInt16

    /// Blue to cyan, not grey, not black: sky and water.
    static let blue = PixelClass(rawValue: 1 << 0)
    /// Yellow-green to teal: foliage, grass.
    static let green = PixelClass(rawValue: 1 << 1)
    /// Saturated red–orange–yellow: sunset sky, warm light.
    static let warm = PixelClass(rawValue: 1 << 2)
    /// Pale beige: sand, dry ground.
    static let sand = PixelClass(rawValue: 1 << 3)
    /// Dull brown or grey-brown of middle brightness: rock, soil, bark.
    static let earth = PixelClass(rawValue: 1 << 4)
    /// Nearly colourless and bright: cloud, snow, overcast sky.
    static let whitish = PixelClass(rawValue: 1 << 5)
    /// Nearly colourless, middle brightness: rock, haze, concrete.
    static let grey = PixelClass(rawValue: 1 << 6)
    /// Very dark.
    static let dark = PixelClass(rawValue: 1 << 7)
    /// Very bright (highlights, lamps, sun).
    static let highlight = PixelClass(rawValue: 1 << 8)
    /// Strongly saturated and bright, hue outside green and blue: petals.
    static let vivid = PixelClass(rawValue: 1 << 9)
    /// Can be open sky: blue, whitish, or a bright warm sky colour.
    static let skyLike = PixelClass(rawValue: 1 << 10)
    /// Violet, purple or magenta of some saturation: lavender, aster and clover petals. Dusk skies
    /// of these hues are paler, and foliage never has them.
    static let petal = PixelClass(rawValue: 1 << 11)

    /// Class bits for every colour quantised to 5 bits per channel (32 768 entries, 64 KiB),
    /// indexed by ``tableIndex(red:green:blue:)``, with the colour's ``hueSlot(red:green:blue:)`` in
    /// bits 12–15. Built once; the hot loop does one lookup per pixel instead of an HSV conversion
    /// with data-dependent branches.
    static let table: [UInt16] = (0..<(1 << 15)).map { index in
        // Classify the centre of each quantisation bin.
        let r = (index >> 10) << 3 | 4
        let g = (index >> 5 & 31) << 3 | 4
        let b = (index & 31) << 3 | 4
        return classify(red: r, green: g, blue: b).rawValue | UInt16(hueSlot(red: r, green: g, blue: b)) << hueShift
    }

    /// Where the hue slot sits in a ``table`` entry.
    static let hueShift: UInt16 = 12
    /// Hue slots: 0 for a colourless or very dark pixel, else 1 + the 30° hue sector (0–11).
    static let hueSlots = 13

    /// The pixel's hue slot: 0 when it has no clear hue (the grey and dark thresholds of
    /// ``classify(hue:saturation:value:)``), else 1 + hue / 30°.
    static func hueSlot(red r: Int, green g: Int, blue b: Int) -> Int {
        let maximum = max(max(r, g), b)
        let delta = maximum - min(min(r, g), b)
        guard delta > 0, delta * 255 >= 36 * maximum, maximum >= 45 else { return 0 }
        return 1 + min(11, hue(red: r, green: g, blue: b, maximum: maximum, delta: delta) / 30)
    }

    /// The integer hue (0..<360°) of a pixel whose largest component is `maximum` and whose
    /// spread (largest − smallest) is `delta` > 0.
    @inline(__always)
    static func hue(red r: Int, green g: Int, blue b: Int, maximum: Int, delta: Int) -> Int {
        if maximum == r {
            let hue = 60 * (g - b) / delta
            return hue < 0 ? hue + 360 : hue
        } else if maximum == g {
            return 120 + 60 * (b - r) / delta
        } else {
            return 240 + 60 * (r - g) / delta
        }
    }

    @inline(__always)
    static func tableIndex(red r: Int, green g: Int, blue b: Int) -> Int {
        (r &>> 3) &<< 10 | (g &>> 3) &<< 5 | b &>> 3
    }

    /// Classifies one RGB pixel via integer HSV.
    static func classify(red r: Int, green g: Int, blue b: Int) -> PixelClass {
        let maximum = max(max(r, g), b)
        let minimum = min(min(r, g), b)
        let delta = maximum - minimum
        guard delta * 255 >= 36 * maximum, delta > 0 else {
            return classify(hue: 0, saturation: 0, value: maximum)
        }
        let saturation = delta * 255 / maximum
        return classify(hue: hue(red: r, green: g, blue: b, maximum: maximum, delta: delta), saturation: saturation, value: maximum)
    }

    /// Classifies one pixel. `hue` is only meaningful when `saturation` is above the grey threshold.
    static func classify(hue: Int, saturation: Int, value: Int) -> PixelClass {
        var result: PixelClass = []
        if value < 45 { result.insert(.dark) }
        if value >= 235 { result.insert(.highlight) }
        if saturation < 36 {
            if value >= 165 { result.formUnion([.whitish, .skyLike]) } else if value >= 60 { result.insert(.grey) }
            return result
        }
        guard value >= 45 else { return result }
        switch hue {
        case 185..<265:
            result.insert(.blue)
            if value >= 110 { result.insert(.skyLike) }
        case 55..<175 where saturation >= 56:
            result.insert(.green)
        case 15..<55 where saturation < 115 && value >= 150:
            result.insert(.sand)
        default:
            break
        }
        let warmHue = hue < 55 || hue >= 335
        if warmHue && saturation >= 90 && value >= 90 {
            result.insert(.warm)
            // Pale warm sky at dusk; pure pigment (petals, paint) is more saturated than any sky.
            if value >= 150 && saturation < 190 { result.insert(.skyLike) }
        }
        if warmHue && value < 150 && saturation < 140 && !result.contains(.warm) { result.insert(.earth) }
        if saturation >= 215 && value >= 150 && (hue < 55 || hue >= 265) { result.insert(.vivid) }
        if hue >= 265 && hue < 335 && saturation >= 64 && value >= 110 { result.insert(.petal) }
        return result
    }
}
