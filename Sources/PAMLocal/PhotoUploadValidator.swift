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

    /// Checks an uploaded photo's bytes — `.imageTooLarge` for more than ``maxBytes`` or a JPEG over
    /// the labeler's limits, `.invalidImage` for anything that does not decode —, with `label`'s
    /// decode proving that it decodes: `label` gets the bytes once they are within ``maxBytes`` and
    /// must refuse what does not decode as the labeler does (the analysis' own labeler,
    /// `AnalysisService.labels(ofPhoto:)`, so the photo's analysis can use its labels instead of a
    /// second decode). When `label` answers nil (a labeler that labels stored objects only), the
    /// bytes are decoded here and nil is returned. `pam serve` passes the store's own mapping of
    /// the spooled file (`ObjectStore.put(_:file:options:checking:)`), which it then hashes and stores.
    public func labels(
        of data: Data, with label: @Sendable (Data) async throws -> [DetectedLabel]?
    ) async throws -> [DetectedLabel]? {
        guard data.count <= Self.maxBytes else {
            throw PAMError(.imageTooLarge, "the photo is \(data.count) bytes, over the \(Self.maxBytes)-byte limit")
        }
        if let labels = try await label(data) { return labels }
        try await decode(data)
        return nil
    }

    private func decode(_ data: Data) async throws {
        // The header decides the cost (and refuses what is over a limit) before any pixel is decoded.
        let cost = try labeler.decodeCost(data)
        let labeler = self.labeler
        try await gate.run(cost: cost.bytes) { try labeler.decodeOnly(data) }
    }
}
