import Foundation
import PAMCore

/// Decides whether an uploaded file is a photo PAM accepts: at most ``maxBytes`` (Rekognition's
/// limit), a JPEG whose header is within the labeler's size and memory limits, and that decodes.
///
/// It never decodes at full size: proving that a JPEG decodes takes the same DCT-scaled decode
/// the labeler does (about 1/8 on each side), run through the ``JPEGDecodeGate`` so that it is off
/// the cooperative pool and bounded in number and memory. The file is memory-mapped, not read.
public struct PhotoUploadValidator: Sendable {
    /// The largest photo accepted, in bytes (15 MiB, as `StoredImageLabeler` and Rekognition).
    public static let maxBytes = StoredImageLabeler.maxImageBytes

    let labeler: HistogramLabeler
    let gate: JPEGDecodeGate

    public init(labeler: HistogramLabeler = HistogramLabeler(), gate: JPEGDecodeGate) {
        self.labeler = labeler
        self.gate = gate
    }

    /// Throws `.imageTooLarge` for a file over ``maxBytes`` or a JPEG over the labeler's limits,
    /// `.invalidImage` for anything that does not decode.
    public func validate(fileAt url: URL) async throws {
        let size: Int
        do {
            size = try url.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
        } catch {
            throw PAMError(.io, "cannot read the uploaded file", path: url.path, underlying: error)
        }
        guard size <= Self.maxBytes else {
            throw PAMError(.imageTooLarge, "the photo is \(size) bytes, over the \(Self.maxBytes)-byte limit")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw PAMError(.io, "cannot read the uploaded file", path: url.path, underlying: error)
        }
        // The header decides the cost (and refuses what is over a limit) before any pixel is decoded.
        let cost = try labeler.decodeCost(data)
        let labeler = self.labeler
        try await gate.run(cost: cost.bytes) { try labeler.decodeOnly(data) }
    }
}
