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

    /// Checks the file — `.imageTooLarge` for a file over ``maxBytes`` or a JPEG over the labeler's
    /// limits, `.invalidImage` for anything that does not decode —, with `label`'s decode proving
    /// that it decodes: `label` gets the file's bytes (mapped) once they are within ``maxBytes`` and must refuse what
    /// does not decode as the labeler does (the analysis' own labeler,
    /// `AnalysisService.labels(ofPhoto:)`, so the photo's analysis can use its labels instead of a
    /// second decode). When `label` answers nil (a labeler that labels stored objects only), the
    /// file is decoded here and nil is returned.
    public func labels(
        ofFileAt url: URL, with label: @Sendable (Data) async throws -> [DetectedLabel]?
    ) async throws -> [DetectedLabel]? {
        try await checkedLabels(of: try contents(of: url), with: label)
    }

    /// Checks an uploaded file's bytes already in hand as ``labels(ofFileAt:with:)`` checks the file:
    /// `pam serve` gets them from the store's own mapping of the spooled file
    /// (`ObjectStore.put(_:file:options:checking:)`), which it then hashes and stores.
    public func labels(
        of data: Data, with label: @Sendable (Data) async throws -> [DetectedLabel]?
    ) async throws -> [DetectedLabel]? {
        guard data.count <= Self.maxBytes else { throw Self.overLimit(data.count) }
        return try await checkedLabels(of: data, with: label)
    }

    private func checkedLabels(
        of data: Data, with label: @Sendable (Data) async throws -> [DetectedLabel]?
    ) async throws -> [DetectedLabel]? {
        if let labels = try await label(data) { return labels }
        try await decode(data)
        return nil
    }

    private static func overLimit(_ size: Int) -> PAMError {
        PAMError(.imageTooLarge, "the photo is \(size) bytes, over the \(maxBytes)-byte limit")
    }

    /// The file's bytes, memory-mapped, after the size check.
    private func contents(of url: URL) throws -> Data {
        // stat(2) itself: Foundation's resource values cost a tenth of a millisecond per upload.
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            throw PAMError(.io, "cannot read the uploaded file: \(String(cString: strerror(errno)))", path: url.path)
        }
        let size = Int(status.st_size)
        guard size <= Self.maxBytes else { throw Self.overLimit(size) }
        do {
            return try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw PAMError(.io, "cannot read the uploaded file", path: url.path, underlying: error)
        }
    }

    private func decode(_ data: Data) async throws {
        // The header decides the cost (and refuses what is over a limit) before any pixel is decoded.
        let cost = try labeler.decodeCost(data)
        let labeler = self.labeler
        try await gate.run(cost: cost.bytes) { try labeler.decodeOnly(data) }
    }
}
