import Foundation
import PAMCore

/// A `Labeler` that never decodes pixels, for testing the services: a photo made by
/// ``photo(labels:variant:)`` carries its labels in a JPEG comment; any other whole JPEG (SOI to
/// EOI) gets labels drawn from its bytes' CRC-32, the same for the same bytes. Anything else is
/// `.invalidImage`, and a photo over `maxImageBytes` is `.imageTooLarge`, as Rekognition answers.
/// Passes `LabelerConformance`.
public struct InMemoryLabeler: Labeler {
    let store: any ObjectStore
    public let maxImageBytes: Int

    static let commentPrefix = Data("pam-labels:".utf8)
    static let vocabulary = ["Cloud", "Forest", "Grass", "Mountain", "Nature", "Sky", "Snow", "Water"]

    public init(store: any ObjectStore, maxImageBytes: Int = 15 << 20) {
        self.store = store
        self.maxImageBytes = maxImageBytes
    }

    /// A tiny JPEG-shaped photo (SOI, a comment, EOI) that this labeler finds `labels` in, each at
    /// confidence 90; another `variant` is other bytes with the same labels. `size` pads it with
    /// zeros before the EOI to at least that many bytes.
    public static func photo(labels: [String], variant: Int = 0, size: Int = 0) -> Data {
        let text = commentPrefix + Data((labels.joined(separator: ",") + "|\(variant)").utf8)
        let length = text.count + 2
        precondition(length <= 0xFFFF, "too many labels for one comment")
        let head = Data([0xFF, 0xD8, 0xFF, 0xFE, UInt8(length >> 8), UInt8(length & 0xFF)]) + text
        return head + Data(count: max(0, size - head.count - 2)) + Data([0xFF, 0xD9])
    }

    public func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel] {
        let size = try await store.head(ref).size
        guard size <= Int64(maxImageBytes) else {
            throw PAMError(.imageTooLarge, "the image is \(size) bytes, over the \(maxImageBytes)-byte limit", ref: ref)
        }
        let data = try await store.get(ref).collect(limit: maxImageBytes)
        guard data.count >= 6, data.starts(with: [0xFF, 0xD8, 0xFF]), data.suffix(2).elementsEqual([0xFF, 0xD9]) else {
            throw PAMError(.invalidImage, "not a whole JPEG (no SOI and marker at the start, or no EOI at the end)", ref: ref)
        }
        return query.apply(to: Self.carried(data) ?? Self.drawn(data))
    }

    /// The labels of a photo from ``photo(labels:variant:)``.
    static func carried(_ data: Data) -> [DetectedLabel]? {
        let bytes = [UInt8](data)
        guard bytes[3] == 0xFE else { return nil }
        let end = min(bytes.count - 2, 4 + (Int(bytes[4]) << 8 | Int(bytes[5])))
        let comment = Data(bytes[6..<max(6, end)])
        guard comment.starts(with: commentPrefix) else { return nil }
        let text = String(decoding: comment.dropFirst(commentPrefix.count), as: UTF8.self)
        let names = text.split(separator: "|", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return Set(names.split(separator: ",").map(String.init)).map { DetectedLabel(name: $0, confidence: 90) }
    }

    /// One to eight labels of ``vocabulary`` drawn from the CRC-32: one at confidence 95, the
    /// others at 50–99.
    static func drawn(_ data: Data) -> [DetectedLabel] {
        let crc = CRC32.checksum(data)
        var state = UInt64(crc) | 1 << 32
        return vocabulary.enumerated().compactMap { index, name in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            if index == Int(crc % 8) { return DetectedLabel(name: name, confidence: 95) }
            return state >> 63 == 1 ? DetectedLabel(name: name, confidence: 50 + Double(state >> 58) * 49 / 63) : nil
        }
    }
}
