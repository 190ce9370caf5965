/// A packed 8-bit RGB image: `width * height` pixels, three bytes each, rows top to bottom, no padding.
///
/// The pixel storage is a plain array so a decoder can reuse it from one image to the next
/// (``TurboJPEGDecoder/decode(_:atLeast:into:)`` only reallocates when the image grows).
public struct RGBImage: Sendable, Hashable {
    /// Width in pixels.
    public internal(set) var width: Int
    /// Height in pixels.
    public internal(set) var height: Int
    /// `width * height * 3` bytes, R G B per pixel.
    public internal(set) var pixels: [UInt8]

    /// An image of the given size filled with zeros (black).
    public init(width: Int, height: Int) {
        precondition(width >= 0 && height >= 0, "negative image size")
        self.width = width
        self.height = height
        self.pixels = [UInt8](repeating: 0, count: width * height * 3)
    }

    /// Wraps existing packed RGB bytes; `pixels.count` must be `width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 3, "pixel count does not match size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An empty image, for use as a reusable decode target.
    public init() { self.init(width: 0, height: 0) }

    /// Bytes per row.
    public var pitch: Int { width * 3 }

    /// Resizes the logical image, growing storage only when needed (contents are unspecified afterwards).
    mutating func reshape(width: Int, height: Int) {
        self.width = width
        self.height = height
        let needed = width * height * 3
        if pixels.count < needed {
            pixels = [UInt8](repeating: 0, count: needed)
        } else if pixels.count > needed {
            pixels.removeLast(pixels.count - needed)
        }
    }
}
