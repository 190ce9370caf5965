import Foundation
import PAMCore
import PAMLocal

extension FuzzTarget {
    /// Input: JPEG bytes, through the EXIF orientation reader, the header reader and the decoder
    /// with the production size guard.
    package static let jpeg = FuzzTarget(name: "jpeg") { data in fuzzJPEG(data) }
}

/// The decoder keeps a handle and scratch memory; the fuzzer runs one input at a time.
nonisolated(unsafe) private let decoder = try! TurboJPEGDecoder()

@discardableResult
package func fuzzJPEG(_ data: Data) -> Bool {
    let orientation = JPEGOrientation(jpeg: data)
    guard let header = try? decoder.readHeader(data) else { return false }
    require(header.width > 0 && header.height > 0, "the header reads as \(header.width)x\(header.height)")
    let tooLarge = header.width > decoder.maxDimension || header.height > decoder.maxDimension
    let image: RGBImage
    do {
        // A small target size makes the decoder pick its DCT scaling, as the labeler does.
        image = try decoder.decode(data, atLeast: 64)
    } catch let error as PAMError {
        require(
            error.code == (tooLarge ? PAMError.Code.imageTooLarge : PAMError.Code.invalidImage),
            "\(header.width)x\(header.height) failed with \(error.code)")
        return false
    } catch {
        preconditionFailure("fuzz property violated: the decoder threw a non-PAMError \(error)")
    }
    require(!tooLarge, "a \(header.width)x\(header.height) image got past the \(decoder.maxDimension)-px guard")
    let expected = TurboJPEGDecoder.scaledSize(width: header.width, height: header.height, atLeast: 64)
    require(
        image.width == expected.width && image.height == expected.height && image.pixels.count == image.width * image.height * 3,
        "decoded \(image.width)x\(image.height) (\(image.pixels.count) bytes), the header says \(expected)")
    let upright = image.oriented(orientation)
    let (width, height) = orientation.swapsAxes ? (image.height, image.width) : (image.width, image.height)
    require(
        upright.width == width && upright.height == height && upright.pixels.count == image.pixels.count,
        "orientation \(orientation) turned \(image.width)x\(image.height) into \(upright.width)x\(upright.height)")
    return true
}
