import CTurboJPEG
import Foundation
import PAMCore

/// Decodes JPEG data to RGB with libturbojpeg, optionally DCT-scaled (1/2, 1/4, 1/8 …) so small
/// renditions never pay for a full-size decode.
///
/// One instance owns one TurboJPEG handle and a scratch buffer; it is not thread-safe, so use one
/// per thread or task (creating one is cheap). Every failure is a `PAMError`: `.imageTooLarge`
/// when a side exceeds `maxDimension` or the decode would need more than `maxDecodeBytes` of memory
/// (both checked from the header, before any pixel is decoded; see ``JPEGDecodeCost``) and
/// `.invalidImage` for anything libturbojpeg rejects, including truncated or corrupt data that it
/// would only warn about.
public final class TurboJPEGDecoder {
    /// The largest width or height accepted, in pixels.
    public let maxDimension: Int
    /// The most memory one decode may need (coefficients, buffers and output), in bytes.
    public let maxDecodeBytes: Int
    /// The default of ``maxDecodeBytes``: a progressive 4:2:0 photo of about 40 megapixels, or
    /// a sequential one of any size up to ``maxDimension`` (it decodes as a stream).
    public static let defaultMaxDecodeBytes = 128 << 20
    private let handle: tjhandle
    /// CMYK intermediate for four-component JPEGs, kept to avoid reallocating per image.
    private var cmykScratch: [UInt8] = []

    /// The DCT scaling factors libturbojpeg offers that shrink (num/denom ≤ 1), largest first.
    private static let shrinkingFactors: [(num: Int, denom: Int)] = {
        var count: Int32 = 0
        guard let list = tjGetScalingFactors(&count), count > 0 else { return [(1, 1)] }
        var factors: [(num: Int, denom: Int)] = []
        for index in 0..<Int(count) where list[index].num <= list[index].denom {
            factors.append((Int(list[index].num), Int(list[index].denom)))
        }
        return factors.sorted { $0.num * $1.denom > $1.num * $0.denom }
    }()

    /// Creates a decoder that rejects images wider or taller than `maxDimension` pixels, or whose
    /// decode would need more than `maxDecodeBytes` of memory.
    public init(maxDimension: Int = 10_000, maxDecodeBytes: Int = TurboJPEGDecoder.defaultMaxDecodeBytes) throws {
        guard let handle = tjInitDecompress() else {
            throw PAMError(
                .invalidImage, "could not create a TurboJPEG decompressor",
                underlying: TurboJPEGFailure(operation: "tjInitDecompress", message: String(cString: tjGetErrorStr2(nil)), isWarning: false)
            )
        }
        self.handle = handle
        self.maxDimension = maxDimension
        self.maxDecodeBytes = maxDecodeBytes
    }

    deinit { tjDestroy(handle) }

    /// Reads the header only: size, subsampling and colour space. Does not apply `maxDimension`.
    public func readHeader(_ data: Data) throws -> JPEGHeader {
        try data.withUnsafeBytes { raw in try readHeader(raw) }
    }

    /// Decodes at full size.
    public func decode(_ data: Data) throws -> RGBImage {
        var image = RGBImage()
        _ = try decode(data, atLeast: Int.max, into: &image)
        return image
    }

    /// Decodes at the smallest DCT scale whose longer side is still at least `minimumLongSide`
    /// pixels (full size when no scale qualifies).
    public func decode(_ data: Data, atLeast minimumLongSide: Int) throws -> RGBImage {
        var image = RGBImage()
        _ = try decode(data, atLeast: minimumLongSide, into: &image)
        return image
    }

    /// Like ``decode(_:atLeast:)`` but writes into `image`, reusing its storage; returns the header.
    @discardableResult
    public func decode(_ data: Data, atLeast minimumLongSide: Int, into image: inout RGBImage) throws -> JPEGHeader {
        try data.withUnsafeBytes { raw in
            let (header, _) = try checkedCost(raw, atLeast: minimumLongSide)
            let (width, height) = Self.scaledSize(width: header.width, height: header.height, atLeast: minimumLongSide)
            image.reshape(width: width, height: height)
            try decodePixels(raw, header: header, into: &image)
            return header
        }
    }

    /// What ``decode(_:atLeast:)`` would cost, from the header alone; throws as the decode would
    /// for data that is not a JPEG, too large a side, or a cost over ``maxDecodeBytes``.
    public func decodeCost(_ data: Data, atLeast minimumLongSide: Int) throws -> JPEGDecodeCost {
        try data.withUnsafeBytes { raw in try checkedCost(raw, atLeast: minimumLongSide).cost }
    }

    private func checkedCost(_ raw: UnsafeRawBufferPointer, atLeast minimumLongSide: Int) throws -> (
        header: JPEGHeader, cost: JPEGDecodeCost
    ) {
        let header = try readHeader(raw)
        guard header.width <= maxDimension, header.height <= maxDimension else {
            throw PAMError(
                .imageTooLarge,
                "JPEG is \(header.width)x\(header.height) px; the limit is \(maxDimension) px per side")
        }
        let (width, height) = Self.scaledSize(width: header.width, height: header.height, atLeast: minimumLongSide)
        let cost = JPEGDecodeCost(jpeg: raw, header: header, outputWidth: width, outputHeight: height)
        guard cost.bytes <= maxDecodeBytes else {
            let kind = cost.buffersWholeImage ? "progressive or multi-scan, so every coefficient is kept" : "sequential"
            throw PAMError(
                .imageTooLarge,
                "decoding this \(header.width)x\(header.height) px JPEG (\(kind)) needs \(cost.bytes >> 20) MiB; "
                    + "the budget is \(maxDecodeBytes >> 20) MiB")
        }
        return (header, cost)
    }

    /// The size a decode with ``decode(_:atLeast:)`` produces for an image of the given size.
    public static func scaledSize(width: Int, height: Int, atLeast minimumLongSide: Int) -> (width: Int, height: Int) {
        let longSide = max(width, height)
        // Factors are largest first, so the last one that still reaches the target is the smallest.
        var chosen = (num: 1, denom: 1)
        for factor in shrinkingFactors where (longSide * factor.num + factor.denom - 1) / factor.denom >= minimumLongSide {
            chosen = factor
        }
        func scaled(_ side: Int) -> Int { (side * chosen.num + chosen.denom - 1) / chosen.denom }
        return (scaled(width), scaled(height))
    }

    // MARK: - libturbojpeg calls

    private func readHeader(_ raw: UnsafeRawBufferPointer) throws -> JPEGHeader {
        guard let base = raw.baseAddress, raw.count > 0 else {
            throw PAMError(.invalidImage, "image data is empty")
        }
        guard raw.count >= 4, raw[0] == 0xFF, raw[1] == 0xD8 else {
            throw PAMError(.invalidImage, "data is not a JPEG (no SOI marker)")
        }
        var width: Int32 = 0
        var height: Int32 = 0
        var subsamp: Int32 = 0
        var colorspace: Int32 = 0
        let status = tjDecompressHeader3(
            handle, base.assumingMemoryBound(to: UInt8.self), UInt(raw.count),
            &width, &height, &subsamp, &colorspace)
        guard status == 0 else { throw failure("tjDecompressHeader3", "JPEG header is unreadable") }
        guard width > 0, height > 0 else {
            throw PAMError(.invalidImage, "JPEG header declares an empty image (\(width)x\(height))")
        }
        return JPEGHeader(
            width: Int(width), height: Int(height),
            subsampling: Self.subsampling(subsamp), colorspace: Self.colorspace(colorspace))
    }

    private func decodePixels(_ raw: UnsafeRawBufferPointer, header: JPEGHeader, into image: inout RGBImage) throws {
        let source = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let (width, height) = (image.width, image.height)
        // Stop at the first warning: libjpeg-turbo only *warns* on truncated or corrupt entropy data.
        let flags = TJFLAG_STOPONWARNING | TJFLAG_FASTUPSAMPLE
        if header.isFourComponent {
            // libturbojpeg decodes CMYK/YCCK only to packed CMYK; convert to RGB ourselves.
            let needed = width * height * 4
            if cmykScratch.count < needed { cmykScratch = [UInt8](repeating: 0, count: needed) }
            let status = cmykScratch.withUnsafeMutableBufferPointer { cmyk in
                tjDecompress2(
                    handle, source, UInt(raw.count), cmyk.baseAddress, Int32(width), Int32(width * 4),
                    Int32(height), Int32(TJPF_CMYK.rawValue), flags)
            }
            guard status == 0 else { throw failure("tjDecompress2", "JPEG data is corrupt or truncated") }
            Self.convertCMYK(cmykScratch, pixelCount: width * height, into: &image.pixels)
        } else {
            let status = image.pixels.withUnsafeMutableBufferPointer { rgb in
                tjDecompress2(
                    handle, source, UInt(raw.count), rgb.baseAddress, Int32(width), Int32(width * 3),
                    Int32(height), Int32(TJPF_RGB.rawValue), flags)
            }
            guard status == 0 else { throw failure("tjDecompress2", "JPEG data is corrupt or truncated") }
        }
    }

    /// Naive CMYK → RGB. CMYK JPEGs in the wild (Adobe APP14) store inverted ink values, which
    /// libjpeg passes through, so each channel is already "ink absent" and RGB = C'·K'/255.
    private static func convertCMYK(_ cmyk: [UInt8], pixelCount: Int, into rgb: inout [UInt8]) {
        cmyk.withUnsafeBufferPointer { src in
            rgb.withUnsafeMutableBufferPointer { dst in
                for index in 0..<pixelCount {
                    let k = UInt32(src[index &* 4 &+ 3])
                    for channel in 0..<3 {
                        dst[index &* 3 &+ channel] = UInt8((UInt32(src[index &* 4 &+ channel]) &* k &+ 127) / 255)
                    }
                }
            }
        }
    }

    private func failure(_ operation: String, _ summary: String) -> PAMError {
        let message = String(cString: tjGetErrorStr2(handle))
        let isWarning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
        return PAMError(
            .invalidImage, "\(summary): \(message)",
            underlying: TurboJPEGFailure(operation: operation, message: message, isWarning: isWarning))
    }

    private static func subsampling(_ value: Int32) -> JPEGHeader.Subsampling {
        switch value {
        case Int32(TJSAMP_444.rawValue): .s444
        case Int32(TJSAMP_422.rawValue): .s422
        case Int32(TJSAMP_420.rawValue): .s420
        case Int32(TJSAMP_GRAY.rawValue): .gray
        case Int32(TJSAMP_440.rawValue): .s440
        case Int32(TJSAMP_411.rawValue): .s411
        default: .unknown
        }
    }

    private static func colorspace(_ value: Int32) -> JPEGHeader.Colorspace {
        switch value {
        case Int32(TJCS_RGB.rawValue): .rgb
        case Int32(TJCS_YCbCr.rawValue): .yCbCr
        case Int32(TJCS_GRAY.rawValue): .gray
        case Int32(TJCS_CMYK.rawValue): .cmyk
        case Int32(TJCS_YCCK.rawValue): .ycck
        default: .unknown
        }
    }
}
