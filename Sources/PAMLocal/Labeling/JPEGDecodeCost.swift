import Foundation

/// What decoding a JPEG costs in memory, worked out from its markers before any pixel is decoded.
///
/// A baseline JPEG whose first scan carries every component decodes as a stream: libjpeg keeps a
/// few rows of blocks, so with DCT scaling a 10000x10000 photo costs little more than its 1/8-size
/// output. A progressive JPEG (or one whose components come in separate scans) is different:
/// libjpeg keeps *every* DCT coefficient of the whole image until the last scan, two bytes per
/// sample whatever the output scale — 300 MB for a 10000x10000 4:2:0 photo. That is the cost a
/// pixel budget has to bound.
public struct JPEGDecodeCost: Sendable, Hashable {
    /// True when libjpeg must hold the whole image's coefficients (progressive or multi-scan).
    public var buffersWholeImage: Bool
    /// Bytes libjpeg allocates for the decode itself (coefficients, or row buffers when streaming).
    public var decoderBytes: Int
    /// Bytes of the decoded output (and of the CMYK intermediate for four-component JPEGs).
    public var outputBytes: Int

    /// The total, in bytes.
    public var bytes: Int { decoderBytes + outputBytes }

    /// The cost of decoding a JPEG with `header` (and these raw bytes) to `outputWidth` x `outputHeight` RGB.
    init(jpeg raw: UnsafeRawBufferPointer, header: JPEGHeader, outputWidth: Int, outputHeight: Int) {
        let components: Int
        switch header.colorspace {
        case .gray: components = 1
        case .cmyk, .ycck: components = 4
        default: components = 3
        }
        // Samples per pixel over all components, in quarters, and the MCU size, from the subsampling.
        let (quarterSamples, mcuWidth, mcuHeight): (Int, Int, Int)
        switch header.subsampling {
        case .gray: (quarterSamples, mcuWidth, mcuHeight) = (4, 8, 8)
        case .s422: (quarterSamples, mcuWidth, mcuHeight) = (4 + 2 * (components - 1), 16, 8)
        case .s440: (quarterSamples, mcuWidth, mcuHeight) = (4 + 2 * (components - 1), 8, 16)
        case .s420: (quarterSamples, mcuWidth, mcuHeight) = (4 + 1 * (components - 1), 16, 16)
        case .s411: (quarterSamples, mcuWidth, mcuHeight) = (4 + 1 * (components - 1), 32, 8)
        case .s444: (quarterSamples, mcuWidth, mcuHeight) = (4 * components, 8, 8)
        // Sampling libjpeg-turbo does not name: assume every component at full size, the largest MCU.
        case .unknown: (quarterSamples, mcuWidth, mcuHeight) = (4 * components, 32, 32)
        }
        let paddedWidth = (header.width + mcuWidth - 1) / mcuWidth * mcuWidth
        let paddedHeight = (header.height + mcuHeight - 1) / mcuHeight * mcuHeight
        buffersWholeImage = Self.buffersWholeImage(raw)
        decoderBytes =
            buffersWholeImage
            // JCOEF is two bytes, one per sample of every component.
            ? paddedWidth * paddedHeight * quarterSamples / 4 * 2
                // A band of MCU rows per component (with context rows for upsampling), twice over.
            : paddedWidth * mcuHeight * components * 4
        outputBytes = outputWidth * outputHeight * (header.isFourComponent ? 7 : 3)
    }

    /// Whether libjpeg will buffer the whole image: true for a progressive (or lossless, or
    /// hierarchical) frame, and for a sequential frame whose first scan lacks a component.
    /// Conservative: anything that cannot be read up to the first scan counts as buffered.
    static func buffersWholeImage(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return true }
        var offset = 2
        var frameComponents: Int?
        while offset < bytes.count {
            // Like libjpeg, skip anything up to the next 0xFF, then the fill bytes.
            while offset < bytes.count, bytes[offset] != 0xFF { offset += 1 }
            while offset < bytes.count, bytes[offset] == 0xFF { offset += 1 }
            guard offset < bytes.count else { return true }
            let marker = bytes[offset]
            offset += 1
            switch marker {
            case 0x01, 0xD0...0xD7: continue // TEM, RSTn: no length
            case 0xD8, 0xD9: return true // SOI again, or EOI before any scan
            default: break
            }
            guard offset + 2 <= bytes.count else { return true }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            guard length >= 2, offset + length <= bytes.count else { return true }
            let body = offset + 2
            switch marker {
            case 0xC0, 0xC1: // sequential DCT, Huffman
                guard frameComponents == nil, length >= 8 else { return true }
                frameComponents = Int(bytes[body + 5])
            case 0xC9: // sequential DCT, arithmetic
                guard frameComponents == nil, length >= 8 else { return true }
                frameComponents = Int(bytes[body + 5])
            case 0xC2, 0xC3, 0xC5...0xC7, 0xCA, 0xCB, 0xCD...0xCF:
                return true // progressive, lossless, hierarchical
            case 0xDA: // first scan: does it carry every component?
                guard let frameComponents, length >= 3 else { return true }
                return Int(bytes[body]) < frameComponents
            default:
                break
            }
            offset += length
        }
        return true
    }
}
