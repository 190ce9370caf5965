import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// `pam serve` checks an uploaded photo with the analysis' own labelling, so the photo is decoded
/// once: the check refuses what it refused before, and its labels are the analysis' labels.
@Suite("Upload check labels the photo")
struct UploadLabelingTests {
    @Test("the check's labels are the analysis' labels of the stored photo; what it refuses is refused with the same codes")
    func labelsAsTheAnalysis() async throws {
        let photo = try #require(PipelineTests.photos.first)
        try await withTemporaryState { state in
            let store = try state.store()
            let gate = JPEGDecodeGate(maxConcurrent: 1)
            let analysis = AnalysisService(
                store: store, labeler: StoredImageLabeler(store: store, gate: gate), table: try state.table(), config: state.config)
            let validator = PhotoUploadValidator(gate: gate)
            func check(_ data: Data) async throws -> [DetectedLabel]? {
                try await Self.check(data, in: state.state.temporary, validator: validator, analysis: analysis)
            }
            let data = try Data(contentsOf: photo)
            let labels = try #require(try await check(data))
            #expect(!labels.isEmpty)
            let info = try await UploadService(store: store, config: state.config).upload(fileName: "a.jpg", body: .data(data))
            guard case .analyzed(let stored, _) = try await analysis.analyze(info.ref) else {
                Issue.record("expected an analysis")
                return
            }
            #expect(labels == stored)

            await #expect { try await check(try PaddedJPEG.make(data, size: PhotoUploadValidator.maxBytes + 1)) } throws: {
                ($0 as? PAMError)?.code == .imageTooLarge
            }
            await #expect { try await check(Data("not a photo".utf8)) } throws: { ($0 as? PAMError)?.code == .invalidImage }
            await #expect { try await check(data.prefix(data.count / 2)) } throws: { ($0 as? PAMError)?.code == .invalidImage }
        }
    }

    @Test("with a labeler that labels stored objects only, the check decodes the photo itself and hands over nothing")
    func objectOnlyLabeler() async throws {
        let photo = try #require(PipelineTests.photos.first)
        try await withTemporaryState { state in
            let store = try state.store()
            let analysis = AnalysisService(
                store: store, labeler: ImportInHandTests.ObjectOnlyLabeler(inner: StoredImageLabeler(store: store)),
                table: try state.table(), config: state.config)
            let validator = PhotoUploadValidator(gate: JPEGDecodeGate(maxConcurrent: 1))
            func check(_ data: Data) async throws -> [DetectedLabel]? {
                try await Self.check(data, in: state.state.temporary, validator: validator, analysis: analysis)
            }
            let data = try Data(contentsOf: photo)
            #expect(try await check(data) == nil)
            await #expect { try await check(data.prefix(data.count / 2)) } throws: { ($0 as? PAMError)?.code == .invalidImage }
        }
    }

    /// What the upload check answers for `data` spooled as a file in `folder`, labelling with `analysis`:
    /// as `pam serve` checks it, from a mapping of the spooled file (there, the store's own, in `put(_:file:options:checking:)`).
    static func check(_ data: Data, in folder: URL, validator: PhotoUploadValidator, analysis: AnalysisService) async throws
        -> [DetectedLabel]?
    {
        let file = folder.appendingPathComponent("\(UUID().uuidString).part")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await validator.labels(of: try Data(contentsOf: file, options: .alwaysMapped)) {
            try await analysis.labels(ofPhoto: $0)
        }
    }
}
