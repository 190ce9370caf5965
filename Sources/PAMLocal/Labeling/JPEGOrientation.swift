import Foundation

/// The EXIF orientation of a JPEG (TIFF tag 0x0112): how the stored pixels must be turned to be
/// displayed upright. Labels describe the upright picture ("sky on top"), so the labeler applies it.
public enum JPEGOrientation: Int, Sendable, Hashable {
    case up = 1
    case upMirrored, down, downMirrored, leftMirrored, right, rightMirrored, left

    /// True when displaying swaps width and height.
    public var swapsAxes: Bool { rawValue >= 5 }

    /// Reads the orientation from the EXIF APP1 segment of `data`; `.up` when there is none or it
    /// is malformed (orientation is a hint, never a reason to reject an image).
    public init(jpeg data: Data) {
        self = data.withUnsafeBytes { Self.parse(UnsafeRawBufferPointer($0)) } ?? .up
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer) -> JPEGOrientation? {
        func u16(_ at: Int, _ little: Bool) -> Int? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return little ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : Int(bytes[at]) << 8 | Int(bytes[at + 1])
        }
        func u32(_ at: Int, _ little: Bool) -> Int? {
            guard let high = u16(little ? at + 2 : at, little), let low = u16(little ? at : at + 2, little) else { return nil }
            return high << 16 | low
        }
        guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var offset = 2
        // Walk the marker segments before the image data; EXIF lives in APP1.
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xDA || marker == 0xD9 { return nil }
            guard let length = u16(offset + 2, false), length >= 2 else { return nil }
            let body = offset + 4
            if marker == 0xE1, length >= 16, body + 6 <= bytes.count,
                Array(bytes[body..<body + 6]) == [0x45, 0x78, 0x69, 0x66, 0, 0]
            {
                let tiff = body + 6
                guard tiff + 8 <= bytes.count else { return nil }
                let little = bytes[tiff] == 0x49
                guard let magic = u16(tiff + 2, little), magic == 42, let ifd = u32(tiff + 4, little),
                    let count = u16(tiff + ifd, little)
                else { return nil }
                for index in 0..<min(count, 512) {
                    let entry = tiff + ifd + 2 + 12 * index
                    guard let tag = u16(entry, little) else { return nil }
                    if tag == 0x0112 { return u16(entry + 8, little).flatMap(JPEGOrientation.init(rawValue:)) }
                }
                return nil
            }
            offset += 2 + length
        }
        return nil
    }
}

extension RGBImage {
    /// This image turned so that stored pixels with `orientation` display upright.
    public func oriented(_ orientation: JPEGOrientation) -> RGBImage {
        guard orientation != .up else { return self }
        let (outWidth, outHeight) = orientation.swapsAxes ? (height, width) : (width, height)
        var output = RGBImage(width: outWidth, height: outHeight)
        let (lastX, lastY) = (width - 1, height - 1)
        pixels.withUnsafeBufferPointer { src in
            output.pixels.withUnsafeMutableBufferPointer { dst in
                var out = 0
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let (sourceX, sourceY): (Int, Int)
                        switch orientation {
                        case .up: (sourceX, sourceY) = (x, y)
                        case .upMirrored: (sourceX, sourceY) = (lastX - x, y)
                        case .down: (sourceX, sourceY) = (lastX - x, lastY - y)
                        case .downMirrored: (sourceX, sourceY) = (x, lastY - y)
                        case .leftMirrored: (sourceX, sourceY) = (y, x)
                        case .right: (sourceX, sourceY) = (y, lastY - x)
                        case .rightMirrored: (sourceX, sourceY) = (lastX - y, lastY - x)
                        case .left: (sourceX, sourceY) = (lastX - y, x)
                        }
                        let index = (sourceY * width + sourceX) * 3
                        dst[out] = src[index]
                        dst[out + 1] = src[index + 1]
                        dst[out + 2] = src[index + 2]
                        out += 3
                    }
                }
            }
        }
        return output
    }
}
