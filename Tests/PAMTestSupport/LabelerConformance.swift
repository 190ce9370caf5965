import Foundation
import PAMCore
import Testing

/// What every `Labeler` must do (the port, `DetectedLabel` and `LabelQuery` say it): labels of a
/// stored photo that are unique, on the 0–100 scale, at least MinConfidence, most confident first
/// (ties by name) and at most MaxLabels, the same for the same bytes; and a typed error for bytes
/// that are not a JPEG or are over the labeler's size limit.
public enum LabelerConformance {
    /// What a check runs on: the labeler, the store it reads photos from, and a bucket there that
    /// exists (the checks write their photos under `labeler-conformance/`), and the labeler's
    /// byte limit (Rekognition's 15 MiB for S3 objects, which the local labeler keeps too).
    public struct Subject: Sendable {
        public var labeler: any Labeler
        public var store: any ObjectStore
        public var bucket: String
        public var maxImageBytes: Int

        public init(labeler: any Labeler, store: any ObjectStore, bucket: String, maxImageBytes: Int = 15 << 20) {
            self.labeler = labeler
            self.store = store
            self.bucket = bucket
            self.maxImageBytes = maxImageBytes
        }
    }

    public typealias Check = ConformanceCheck<Subject>

    /// The checks on what any DetectLabels honours without looking at the pixels: the query and
    /// the shape of the answer. These hold on moto, whose Rekognition answers canned labels.
    public static let queryChecks: [Check] = [
        Check("a photo's labels are unique, 0–100, at least MinConfidence, most confident first") { try await labelsAreOrdered($0) },
        Check("MaxLabels keeps the most confident labels") { try await maxLabelsKeepsTheMostConfident($0) },
        Check("MinConfidence drops exactly the less confident labels") { try await minConfidenceDropsTheRest($0) },
        Check("the same bytes give the same labels") { try await sameBytesSameLabels($0) },
    ]

    /// The checks that need the labeler to read the image (a real Rekognition does; moto does not).
    public static let imageChecks: [Check] = [
        Check("bytes that are not a whole JPEG are .invalidImage") { try await notAJPEGIsInvalidImage($0) },
        Check("a photo over the byte limit is .imageTooLarge, one at the limit is labelled") { try await byteLimit($0) },
    ]

    /// Every check.
    public static let checks = queryChecks + imageChecks

    /// A fixture photo whose ground truth has many labels (sky, mountain, forest …).
    public static func photo() throws -> Data { try FixtureFiles.data("photos", "lomiri-aitzgorri-aitzol-berasategi.jpg") }

    /// Stores `data` as `labeler-conformance/<name>` and labels it with `query`.
    static func labels(
        _ subject: Subject, _ data: Data, name: String = "photo.jpg",
        query: LabelQuery = .default
    ) async throws -> [DetectedLabel] {
        let ref = ObjectRef(bucket: subject.bucket, key: "labeler-conformance/\(name)")
        try await subject.store.put(ref, body: .data(data), options: PutOptions(contentType: "image/jpeg"))
        return try await subject.labeler.detectLabels(in: ref, query: query)
    }

    public static func labelsAreOrdered(_ subject: Subject) async throws {
        let photo = try photo()
        for query in [LabelQuery.default, LabelQuery(minConfidence: 0), LabelQuery(maxLabels: 3, minConfidence: 70)] {
            let labels = try await labels(subject, photo, query: query)
            if query == .default { #expect(!labels.isEmpty, "a photo of a landscape has labels") }
            #expect(Set(labels.map(\.name)).count == labels.count, "\(labels.map(\.name))")
            #expect(labels.allSatisfy { !$0.name.isEmpty && (0...100).contains($0.confidence) && $0.confidence >= query.minConfidence })
            #expect(labels.count <= query.maxLabels ?? .max)
            for (earlier, later) in zip(labels, labels.dropFirst()) {
                #expect(
                    earlier.confidence > later.confidence || (earlier.confidence == later.confidence && earlier.name < later.name),
                    "\(earlier.name) (\(earlier.confidence)) before \(later.name) (\(later.confidence))")
            }
        }
    }

    public static func maxLabelsKeepsTheMostConfident(_ subject: Subject) async throws {
        let photo = try photo()
        let all = try await labels(subject, photo, query: LabelQuery(minConfidence: 0))
        try #require(!all.isEmpty)
        for limit in Set([0, 1, max(0, all.count - 1), all.count, all.count + 5]).sorted() {
            let limited = try await labels(subject, photo, query: LabelQuery(maxLabels: limit, minConfidence: 0))
            #expect(limited == Array(all.prefix(limit)), "MaxLabels \(limit)")
        }
    }

    public static func minConfidenceDropsTheRest(_ subject: Subject) async throws {
        let photo = try photo()
        let all = try await labels(subject, photo, query: LabelQuery(minConfidence: 0))
        try #require(!all.isEmpty)
        // The lowest, middle and highest confidence found, each as a threshold: labels at it stay.
        let found = all.map(\.confidence).sorted()
        for threshold in Set([found[0], found[found.count / 2], found[found.count - 1]]).sorted() {
            let kept = try await labels(subject, photo, query: LabelQuery(minConfidence: threshold))
            #expect(kept == all.filter { $0.confidence >= threshold }, "MinConfidence \(threshold)")
        }
    }

    public static func sameBytesSameLabels(_ subject: Subject) async throws {
        let photo = try photo()
        let first = try await labels(subject, photo, name: "same-a.jpg")
        #expect(try await labels(subject, photo, name: "same-a.jpg") == first)
        #expect(try await labels(subject, photo, name: "same-b.jpg") == first)
    }

    /// The malformed fixtures but the one that is a valid JPEG with huge dimensions (whose limit
    /// is the labeler's own): empty, text, PNG, garbage after SOI, a scan cut short.
    public static let notJPEGs = ["empty.jpg", "text-renamed.jpg", "png-renamed.jpg", "garbage-after-soi.jpg", "truncated.jpg"]

    public static func notAJPEGIsInvalidImage(_ subject: Subject) async throws {
        for name in notJPEGs {
            let data = try FixtureFiles.data("malformed", name)
            await expectCode(.invalidImage) { _ = try await labels(subject, data, name: name) }
        }
    }

    public static func byteLimit(_ subject: Subject) async throws {
        let photo = try photo()
        let atLimit = try PaddedJPEG.make(photo, size: subject.maxImageBytes)
        #expect(!(try await labels(subject, atLimit, name: "at-limit.jpg")).isEmpty)
        let over = try PaddedJPEG.make(photo, size: subject.maxImageBytes + 1)
        await expectCode(.imageTooLarge) { _ = try await labels(subject, over, name: "over-limit.jpg") }
    }
}
