import Foundation
import PAMCore

/// A valid JPEG grown to an exact size with comment segments right after SOI.
public enum PaddedJPEG {
    public static func make(_ jpeg: Data, size: Int) throws -> Data {
        var padding = size - jpeg.count
        guard padding == 0 || padding >= 4 else { throw PAMError(.invalidArgument, "cannot pad by \(padding) bytes") }
        var segments = Data()
        while padding > 0 {
            // A COM segment is 4 bytes of marker and length plus up to 65533 bytes; never leave 1–3 over.
            var total = min(padding, 65_537)
            if (1...3).contains(padding - total) { total -= 4 }
            segments.append(contentsOf: [0xFF, 0xFE, UInt8((total - 2) >> 8), UInt8((total - 2) & 0xFF)])
            segments.append(Data(repeating: 0x20, count: total - 4))
            padding -= total
        }
        return jpeg.prefix(2) + segments + jpeg.dropFirst(2)
    }
}
