import Foundation
import PAMCore
import PAMTestSupport
import Testing

@testable import PAMLocal

/// The pixel budget: what a decode costs is known from the header, and a JPEG that would cost
/// more than the budget is refused before any pixel (or coefficient buffer) is allocated.
@Suite("JPEG decode cost")
struct JPEGDecodeCostTests {
    /// `jpeg` with the frame header's height and width replaced (the scan data no longer matches:
    /// only a decoder that trusts the header before decoding can tell anything about it).
    static func withDimensions(_ jpeg: Data, width: Int, height: Int) throws -> Data {
        var bytes = [UInt8](jpeg)
        var offset = 2
        while offset + 9 < bytes.count {
            guard bytes[offset] == 0xFF else { break }
            let marker = bytes[offset + 1]
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            if [0xC0, 0xC1, 0xC2].contains(marker) {
                bytes[offset + 5] = UInt8(height >> 8)
                bytes[offset + 6] = UInt8(height & 0xFF)
                bytes[offset + 7] = UInt8(width >> 8)
                bytes[offset + 8] = UInt8(width & 0xFF)
                return Data(bytes)
            }
            offset += 2 + length
        }
        throw PAMError(.invalidImage, "no frame header found")
    }

    static func progressive() throws -> Data { try FixtureFiles.data("variants", "mate-dune-progressive.jpg") }
    static func baseline() throws -> Data { try FixtureFiles.data("variants", "mate-dune-restart.jpg") }

    @Test("a progressive JPEG buffers the whole image; a baseline one streams")
    func layout() throws {
        let progressive = try HistogramLabeler().decodeCost(Self.progressive())
        #expect(progressive.buffersWholeImage)
        let baseline = try HistogramLabeler().decodeCost(Self.baseline())
        #expect(!baseline.buffersWholeImage)
        for photo in FixtureFiles.jpegs(in: "photos").prefix(10) {
            #expect(try !HistogramLabeler().decodeCost(Data(contentsOf: photo)).buffersWholeImage, "\(photo.lastPathComponent)")
        }
        // Bytes that cannot be read up to a first scan count as the expensive kind.
        #expect(JPEGDecodeCost.buffersWholeImage(UnsafeRawBufferPointer(start: nil, count: 0)))
        let truncated = [UInt8](try Self.baseline().prefix(40))
        #expect(truncated.withUnsafeBytes { JPEGDecodeCost.buffersWholeImage($0) })
    }

    @Test("a 10000x10000 progressive 4:2:0 JPEG costs its 300 MB of coefficients; a baseline one a few MB")
    func figures() throws {
        let huge = try Self.withDimensions(Self.progressive(), width: 10_000, height: 10_000)
        let header = try TurboJPEGDecoder().readHeader(huge)
        #expect(header.subsampling == .s420)
        let cost = huge.withUnsafeBytes { JPEGDecodeCost(jpeg: $0, header: header, outputWidth: 1250, outputHeight: 1250) }
        #expect(cost.buffersWholeImage)
        #expect(cost.decoderBytes == 300_000_000)
        #expect(cost.outputBytes == 1250 * 1250 * 3)

        let sequential = try Self.withDimensions(Self.baseline(), width: 10_000, height: 10_000)
        let streaming = try HistogramLabeler().decodeCost(sequential)
        #expect(!streaming.buffersWholeImage)
        #expect(streaming.bytes < 8 << 20)
    }

    @Test("over the budget is refused from the header, as too large, before decoding")
    func refusedBeforeDecoding() throws {
        let huge = try Self.withDimensions(Self.progressive(), width: 10_000, height: 10_000)
        // The scan data belongs to a 1024x768 photo: a decoder that started would fail as corrupt
        // (.invalidImage) after allocating 300 MB. The budget refuses it first, as too large.
        for attempt in [
            { try HistogramLabeler().decodeCost(huge) as Any },
            { try HistogramLabeler().decodeOnly(huge) as Any },
            { try HistogramLabeler().labels(forJPEG: huge) as Any },
        ] {
            #expect { _ = try attempt() } throws: { error in
                let error = error as? PAMError
                return error?.code == .imageTooLarge && error?.message.contains("budget") == true
            }
        }
        // The same dimensions in a sequential JPEG stay within the budget (and fail only as corrupt).
        let sequential = try Self.withDimensions(Self.baseline(), width: 10_000, height: 10_000)
        #expect { try HistogramLabeler().decodeOnly(sequential) } throws: { ($0 as? PAMError)?.code == .invalidImage }
        // A smaller budget refuses the real 1024x768 progressive photo, which decodes under the default.
        _ = try HistogramLabeler().labels(forJPEG: Self.progressive())
        #expect { try HistogramLabeler(maxDecodeBytes: 1 << 20).decodeOnly(Self.progressive()) } throws: {
            ($0 as? PAMError)?.code == .imageTooLarge
        }
        try HistogramLabeler(maxDecodeBytes: 1 << 20).decodeOnly(Self.baseline())
    }
}
