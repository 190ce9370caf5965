import Foundation
import PAMCore
import Testing

@testable import PAMLocal

@Suite("TurboJPEGDecoder")
struct TurboJPEGDecoderTests {
    @Test("reads the header without decoding")
    func header() throws {
        let jpeg = try SyntheticJPEG.make(width: 200, height: 120) { _, _ in (10, 20, 30) }
        let header = try TurboJPEGDecoder().readHeader(jpeg)
        #expect(header == JPEGHeader(width: 200, height: 120, subsampling: .s420, colorspace: .yCbCr))
    }

    @Test("scales 1024x768 down to 1/8 for a 128 px working size")
    func scaledSize() throws {
        #expect(TurboJPEGDecoder.scaledSize(width: 1024, height: 768, atLeast: 128) == (128, 96))
        #expect(TurboJPEGDecoder.scaledSize(width: 1024, height: 768, atLeast: 129) == (256, 192))
        #expect(TurboJPEGDecoder.scaledSize(width: 100, height: 60, atLeast: 128) == (100, 60))
        let jpeg = try SyntheticJPEG.make(width: 1024, height: 768) { _, _ in (200, 100, 50) }
        let image = try TurboJPEGDecoder().decode(jpeg, atLeast: 128)
        #expect(image.width == 128 && image.height == 96)
        #expect(image.pixels.count == 128 * 96 * 3)
        // A flat colour survives scaling to within JPEG rounding.
        #expect(abs(Int(image.pixels[0]) - 200) <= 3 && abs(Int(image.pixels[1]) - 100) <= 3 && abs(Int(image.pixels[2]) - 50) <= 3)
    }

    @Test("full-size decode returns every pixel")
    func fullSize() throws {
        let jpeg = try SyntheticJPEG.make(width: 33, height: 17) { x, _ in (UInt8(x * 7), 0, 0) }
        let image = try TurboJPEGDecoder().decode(jpeg)
        #expect(image.width == 33 && image.height == 17)
    }

    @Test("reusing the target buffer across images of different sizes")
    func reuse() throws {
        let decoder = try TurboJPEGDecoder()
        var image = RGBImage()
        try decoder.decode(try SyntheticJPEG.make(width: 1024, height: 768) { _, _ in (1, 2, 3) }, atLeast: 128, into: &image)
        #expect(image.pixels.count == 128 * 96 * 3)
        try decoder.decode(try SyntheticJPEG.make(width: 40, height: 30) { _, _ in (1, 2, 3) }, atLeast: 128, into: &image)
        #expect(image.width == 40 && image.height == 30 && image.pixels.count == 40 * 30 * 3)
    }

    @Test("truncated data is an error, not a partly grey image")
    func truncated() throws {
        let jpeg = try SyntheticJPEG.skyOverMeadow()
        let decoder = try TurboJPEGDecoder()
        for length in [jpeg.count / 2, jpeg.count - 200] {
            #expect {
                _ = try decoder.decode(jpeg.prefix(length), atLeast: 128)
            } throws: { error in
                (error as? PAMError)?.code == .invalidImage
            }
        }
    }

    @Test(
        "non-JPEG data is rejected with .invalidImage",
        arguments: [
            Data(), Data("hello, world".utf8), Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]),
            Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00]), Data([0xFF, 0xD8] + [UInt8](repeating: 0x42, count: 500)),
        ])
    func notJPEG(_ data: Data) throws {
        #expect {
            _ = try TurboJPEGDecoder().decode(data, atLeast: 128)
        } throws: { error in
            (error as? PAMError)?.code == .invalidImage
        }
    }

    @Test("sides above maxDimension fail with .imageTooLarge before decoding")
    func dimensionGuard() throws {
        let wide = try SyntheticJPEG.make(width: 10_001, height: 8) { _, _ in (0, 0, 0) }
        let atLimit = try SyntheticJPEG.make(width: 10_000, height: 8) { _, _ in (0, 0, 0) }
        let tall = try SyntheticJPEG.make(width: 8, height: 10_001) { _, _ in (0, 0, 0) }
        let decoder = try TurboJPEGDecoder()
        for jpeg in [wide, tall] {
            #expect { _ = try decoder.decode(jpeg, atLeast: 128) } throws: { ($0 as? PAMError)?.code == .imageTooLarge }
        }
        #expect(try decoder.decode(atLimit, atLeast: 128).width == 1250)
    }

    @Test("the encoder rejects a quality outside 1–100")
    func encoderQuality() throws {
        #expect { _ = try TurboJPEGEncoder().encode(RGBImage(width: 2, height: 2), quality: 0) } throws: {
            ($0 as? PAMError)?.code == .invalidArgument
        }
    }
}
