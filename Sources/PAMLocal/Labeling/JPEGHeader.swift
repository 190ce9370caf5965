/// What a JPEG's header says about it, read without decoding any pixels.
public struct JPEGHeader: Sendable, Hashable {
    /// Chroma subsampling of the stored image.
    public enum Subsampling: Sendable, Hashable {
        case s444, s422, s420, gray, s440, s411, unknown
    }

    /// Colour space of the stored image.
    public enum Colorspace: Sendable, Hashable {
        case rgb, yCbCr, gray, cmyk, ycck, unknown
    }

    /// Width in pixels as stored (EXIF orientation is not applied).
    public var width: Int
    /// Height in pixels as stored.
    public var height: Int
    public var subsampling: Subsampling
    public var colorspace: Colorspace

    public init(width: Int, height: Int, subsampling: Subsampling, colorspace: Colorspace) {
        self.width = width
        self.height = height
        self.subsampling = subsampling
        self.colorspace = colorspace
    }

    /// True for four-component (CMYK or YCCK) JPEGs, which decode through a CMYK buffer.
    public var isFourComponent: Bool { colorspace == .cmyk || colorspace == .ycck }
}
