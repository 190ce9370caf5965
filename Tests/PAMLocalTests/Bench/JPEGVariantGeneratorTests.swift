import Foundation
import PAMCore
import Testing

@testable import PAMLocal

@Suite("JPEGVariantGenerator")
struct JPEGVariantGeneratorTests {
    let generator = JPEGVariantGenerator()

    /// A 1200x900 source with a left–right gradient, so mirroring is visible.
    func source() throws -> Data {
        try SyntheticJPEG.make(width: 1200, height: 900) { x, y in (UInt8(x * 255 / 1199), UInt8(y * 255 / 899), 90) }
    }

    @Test("variants are 1024x768 JPEGs, identical for the same index and distinct across indices")
    func distinctAndDeterministic() throws {
        let jpeg = try source()
        var seen = Set<Data>()
        for index in 0..<8 {
            let variant = try generator.variant(of: jpeg, index: index)
            #expect(try generator.variant(of: jpeg, index: index) == variant)
            let header = try TurboJPEGDecoder().readHeader(variant)
            #expect(header.width == 1024 && header.height == 768)
            seen.insert(variant)
        }
        #expect(seen.count == 8)
    }

    @Test("odd indices are mirrored")
    func mirroring() throws {
        let jpeg = try source()
        let decoder = try TurboJPEGDecoder()
        func redAtLeftMinusRight(_ index: Int) throws -> Int {
            let image = try decoder.decode(generator.variant(of: jpeg, index: index), atLeast: 128)
            let row = image.height / 2 * image.pitch
            return Int(image.pixels[row]) - Int(image.pixels[row + image.pitch - 3])
        }
        #expect(try redAtLeftMinusRight(0) < -50)
        #expect(try redAtLeftMinusRight(1) > 50)
    }

    @Test("crops stay inside the source and zoom between 75 % and 100 %")
    func crops() {
        for index in 0..<200 {
            let crop = JPEGVariantGenerator.crop(forIndex: index, sourceWidth: 1024, sourceHeight: 768, aspect: 4.0 / 3.0)
            #expect(crop.x >= 0 && crop.y >= 0 && crop.x + crop.width <= 1024.0001 && crop.y + crop.height <= 768.0001)
            #expect(crop.width >= 768 - 0.001 && crop.width <= 1024.0001)
            #expect(abs(crop.width / crop.height - 4.0 / 3.0) < 1e-9)
        }
    }

    @Test("a broken source is reported, not turned into a variant")
    func brokenSource() throws {
        #expect { _ = try generator.variant(of: Data("not a jpeg".utf8), index: 3) } throws: {
            ($0 as? PAMError)?.code == .invalidImage
        }
    }
}
