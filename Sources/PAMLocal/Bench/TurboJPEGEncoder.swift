import CTurboJPEG
import Foundation
import PAMCore

/// Encodes RGB images to baseline JPEG with libturbojpeg: the bench's variant photos and the
/// tests' synthetic ones (labelling only decodes).
///
/// One instance owns one TurboJPEG handle; it is not thread-safe, so use one per thread or task.
public final class TurboJPEGEncoder {
    private let handle: tjhandle

    public init() throws {
        guard let handle = tjInitCompress() else {
            throw PAMError(
                .invalidArgument, "could not create a TurboJPEG compressor",
                underlying: TurboJPEGFailure(operation: "tjInitCompress", message: String(cString: tjGetErrorStr2(nil)), isWarning: false))
        }
        self.handle = handle
    }

    deinit { tjDestroy(handle) }

    /// Encodes `image` at `quality` (1–100) with 4:2:0 chroma subsampling.
    public func encode(_ image: RGBImage, quality: Int) throws -> Data {
        guard (1...100).contains(quality) else {
            throw PAMError(.invalidArgument, "JPEG quality must be 1–100, not \(quality)")
        }
        guard image.width > 0, image.height > 0 else {
            throw PAMError(.invalidArgument, "cannot encode an empty \(image.width)x\(image.height) image")
        }
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        defer { if let output { tjFree(output) } }
        let status = image.pixels.withUnsafeBufferPointer { rgb in
            tjCompress2(
                handle, rgb.baseAddress, Int32(image.width), Int32(image.pitch), Int32(image.height),
                Int32(TJPF_RGB.rawValue), &output, &size, Int32(TJSAMP_420.rawValue), Int32(quality), TJFLAG_FASTDCT)
        }
        guard status == 0, let output else {
            let message = String(cString: tjGetErrorStr2(handle))
            throw PAMError(
                .invalidImage, "JPEG encoding failed: \(message)",
                underlying: TurboJPEGFailure(operation: "tjCompress2", message: message, isWarning: false))
        }
        return Data(bytes: output, count: Int(size))
    }
}
