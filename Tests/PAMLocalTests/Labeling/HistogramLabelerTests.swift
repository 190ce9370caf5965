import Foundation
import PAMCore
import PAMTestSupport
import Testing

@testable import PAMLocal

@Suite("HistogramLabeler")
struct HistogramLabelerTests {
    let labeler = HistogramLabeler()
    let everything = LabelQuery(maxLabels: nil, minConfidence: 0)

    @Test("sky over a meadow is Sky and Vegetation, with parents returned as labels")
    func synthetic() throws {
        let labels = try labeler.labels(forJPEG: SyntheticJPEG.skyOverMeadow())
        let names = Set(labels.map(\.name))
        #expect(names.isSuperset(of: ["Sky", "Vegetation", "Nature", "Outdoors"]))
        #expect(!names.contains("Night") && !names.contains("Snow") && !names.contains("Sunset"))
    }

    @Test("every parent of a returned label is returned, at least as confident")
    func hierarchy() throws {
        let labels = try labeler.labels(forJPEG: SyntheticJPEG.skyOverMeadow(), query: everything)
        let byName = Dictionary(uniqueKeysWithValues: labels.map { ($0.name, $0) })
        for label in labels {
            #expect(!label.categories.isEmpty)
            for parent in label.parents {
                let returned = try #require(byName[parent], "\(label.name)'s parent \(parent) missing")
                #expect(returned.confidence >= label.confidence)
            }
        }
        #expect(byName["Vegetation"]?.parents.first == "Plant")
        #expect(LabelTaxonomy.ancestors(of: "Forest") == ["Tree", "Vegetation", "Plant", "Nature", "Outdoors"])
        #expect(LabelTaxonomy.ancestors(of: "Sunset").first == "Sky")
    }

    @Test("MinConfidence drops weaker labels and MaxLabels keeps the most confident")
    func query() throws {
        let jpeg = try SyntheticJPEG.skyOverMeadow()
        let all = try labeler.labels(forJPEG: jpeg, query: everything)
        #expect(all.count >= 4)
        let threshold = all[all.count / 2].confidence
        let strong = try labeler.labels(forJPEG: jpeg, query: LabelQuery(minConfidence: threshold))
        #expect(strong.allSatisfy { $0.confidence >= threshold })
        #expect(strong.count == all.filter { $0.confidence >= threshold }.count)
        let top2 = try labeler.labels(forJPEG: jpeg, query: LabelQuery(maxLabels: 2, minConfidence: 0))
        #expect(top2 == Array(all.prefix(2)))
        #expect(try labeler.labels(forJPEG: jpeg, query: LabelQuery(maxLabels: 0, minConfidence: 0)).isEmpty)
        #expect(try labeler.labels(forJPEG: jpeg, query: LabelQuery(minConfidence: 100.5)).isEmpty)
    }

    @Test("same bytes, same labels and confidences — also across instances and threads")
    func determinism() async throws {
        let jpegs = try [SyntheticJPEG.skyOverMeadow()] + FixtureFiles.jpegs(in: "photos").prefix(6).map { try Data(contentsOf: $0) }
        for jpeg in jpegs {
            let first = try labeler.labels(forJPEG: jpeg, query: everything)
            let again = try HistogramLabeler().labels(forJPEG: jpeg, query: everything)
            #expect(first == again)
            let concurrent = try await withThrowingTaskGroup(of: [DetectedLabel].self) { group in
                for _ in 0..<4 { group.addTask { try HistogramLabeler().labels(forJPEG: jpeg, query: LabelQuery(minConfidence: 0)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(concurrent.allSatisfy { $0 == first })
        }
    }

    @Test("a smaller maxDimension rejects a normal photo; 10000 px is the default limit")
    func dimensionGuard() throws {
        let jpeg = try SyntheticJPEG.skyOverMeadow()
        #expect { _ = try HistogramLabeler(maxDimension: 1000).labels(forJPEG: jpeg) } throws: {
            ($0 as? PAMError)?.code == .imageTooLarge
        }
        #expect { try HistogramLabeler(maxDimension: 1000).decodeOnly(jpeg) } throws: {
            ($0 as? PAMError)?.code == .imageTooLarge
        }
        let wide = try SyntheticJPEG.make(width: 10_001, height: 16) { _, _ in (90, 160, 230) }
        #expect { _ = try labeler.labels(forJPEG: wide) } throws: { ($0 as? PAMError)?.code == .imageTooLarge }
        let atLimit = try SyntheticJPEG.make(width: 10_000, height: 16) { _, _ in (90, 160, 230) }
        _ = try labeler.labels(forJPEG: atLimit)
    }

    @Test("a dark frame with a few lights is more likely Night than a flat grey frame, which is nothing in particular")
    func nightAndGrey() throws {
        let night = try SyntheticJPEG.make(width: 640, height: 480) { x, y in
            (x / 16 % 9 == 0 && y / 16 % 7 == 3) ? (255, 230, 180) : (8, 10, 22)
        }
        let all = LabelQuery(minConfidence: 0)
        let nightConfidence = try #require(try labeler.labels(forJPEG: night, query: all).first { $0.name == "Night" }).confidence
        let grey = try SyntheticJPEG.make(width: 640, height: 480) { _, _ in (128, 128, 128) }
        // The grey frame is not labelled Night at all; its probability is still lower.
        #expect(try labeler.labels(forJPEG: grey, query: all).first { $0.name == "Night" } == nil)
        let nightHead = try #require(labeler.model.labels.firstIndex(of: "Night"))
        let greyNight = labeler.model.probabilities(try labeler.featureVector(forJPEG: grey))[nightHead]
        #expect(nightConfidence > greyNight * 100)
        let greyNames = try labeler.labels(forJPEG: grey).map(\.name)
        #expect(!greyNames.contains("Night") && !greyNames.contains("Vegetation") && !greyNames.contains("Sunset"))
    }

    @Test("confidence is the probability on Rekognition's 0–100 scale, rounded to 3 decimals")
    func confidenceScale() {
        let labels = HistogramLabeler.labels(probabilities: [0.123456, 1, 0], thresholds: [0, 0, 0], of: ["Sand", "Sky", "Snow"])
        let byName = Dictionary(uniqueKeysWithValues: labels.map { ($0.name, $0.confidence) })
        #expect(byName["Sand"] == 12.346 && byName["Sky"] == 100 && byName["Snow"] == 0)
        #expect(byName["Nature"] == 100 && byName["Outdoors"] == 100)
    }

    @Test("a label is returned when its probability reaches its threshold, and keeps its calibrated confidence")
    func thresholds() {
        let labels = HistogramLabeler.labels(
            probabilities: [0.35, 0.3499, 0.9, 0.2], thresholds: [0.35, 0.35, 0.95, 0.1], of: ["Sand", "Snow", "Sky", "Tree"])
        let byName = Dictionary(uniqueKeysWithValues: labels.map { ($0.name, $0.confidence) })
        #expect(byName["Sand"] == 35 && byName["Snow"] == nil && byName["Sky"] == nil && byName["Tree"] == 20)
        // Parents come with a returned child; Outdoors (only Sky and Snow imply it) does not.
        #expect(byName["Nature"] == 35 && byName["Vegetation"] == 20 && byName["Plant"] == 20 && byName["Outdoors"] == nil)
    }
}

@Suite("HistogramLabeler edge sizes")
struct HistogramLabelerEdgeSizeTests {
    @Test("tiny and extreme-aspect images label without crashing", arguments: [(1, 1), (3, 2), (17, 5), (9_999, 9), (9, 9_999)])
    func sizes(width: Int, height: Int) throws {
        let jpeg = try SyntheticJPEG.make(width: width, height: height) { x, y in (UInt8(x % 256), UInt8(y % 256), 128) }
        let labels = try HistogramLabeler().labels(forJPEG: jpeg, query: LabelQuery(minConfidence: 0))
        #expect(labels.allSatisfy { (0...100).contains($0.confidence) })
    }

    @Test("EXIF orientation turns the working image upright")
    func orientation() {
        // 2x1 image: red, green. Turned right (EXIF 6) it is 1x2 with red on top.
        let image = RGBImage(width: 2, height: 1, pixels: [255, 0, 0, 0, 255, 0])
        #expect(image.oriented(.right) == RGBImage(width: 1, height: 2, pixels: [255, 0, 0, 0, 255, 0]))
        #expect(image.oriented(.left) == RGBImage(width: 1, height: 2, pixels: [0, 255, 0, 255, 0, 0]))
        #expect(image.oriented(.upMirrored) == RGBImage(width: 2, height: 1, pixels: [0, 255, 0, 255, 0, 0]))
        #expect(image.oriented(.up) == image)
        #expect(JPEGOrientation(jpeg: Data([0xFF, 0xD8, 0xFF, 0xE1, 0x00])) == .up)
    }
}
