import Foundation
import PAMCore
import Testing

@Suite("Label evaluation against ground truth")
struct LabelEvaluationTests {
    /// Four images worked out by hand:
    /// - a: expected Sky, Cloud, Water (+ unscored Person); predicted Sky, Water, Mountain (+ unscored Dog)
    ///   → TP Sky, Water; FP Mountain; FN Cloud
    /// - b: expected Tree, Vegetation, Nature; predicted Tree, Forest, Vegetation, Nature → TP 3; FP Forest
    /// - c: expected nothing; predicted Nature → FP Nature
    /// - d: expected Sky; failed to decode → FN Sky
    /// Totals TP 5, FP 3, FN 2: precision 5/8, recall 5/7, F1 2·5 / (2·5 + 3 + 2) = 10/15.
    static let truth = LabelTruth(entries: [
        .init(file: "a.jpg", labels: ["Sky", "Cloud", "Water", "Person"]),
        .init(file: "b.jpg", labels: ["Tree", "Vegetation", "Nature"]),
        .init(file: "c.jpg", labels: []),
        .init(file: "d.jpg", labels: ["Sky"]),
    ])
    static let outcomes: [String: LabelEvaluation.Outcome] = [
        "a.jpg": .labels(["Water", "Sky", "Mountain", "Dog"]),
        "b.jpg": .labels(["Tree", "Forest", "Vegetation", "Nature"]),
        "c.jpg": .labels(["Nature"]),
        "d.jpg": .failed("boom"),
    ]

    @Test("micro averages sum the counts of all scored labels")
    func micro() {
        let evaluation = LabelEvaluation(truth: Self.truth, outcomes: Self.outcomes)
        #expect(evaluation.micro.truePositives == 5)
        #expect(evaluation.micro.falsePositives == 3)
        #expect(evaluation.micro.falseNegatives == 2)
        #expect(evaluation.micro.precision == 5.0 / 8.0)
        #expect(evaluation.micro.recall == 5.0 / 7.0)
        #expect(abs(evaluation.micro.f1! - 10.0 / 15.0) < 1e-12)
    }

    @Test("per-label rows: support, counts, and ratios left undefined when they are 0/0")
    func perLabel() throws {
        let evaluation = LabelEvaluation(truth: Self.truth, outcomes: Self.outcomes)
        #expect(evaluation.labels.map(\.label) == LabelEvaluation.scoredLabels)
        func row(_ name: String) throws -> LabelEvaluation.LabelResult {
            try #require(evaluation.labels.first { $0.label == name })
        }
        let sky = try row("Sky")
        #expect((sky.support, sky.truePositives, sky.falsePositives, sky.falseNegatives) == (2, 1, 0, 1))
        #expect(sky.precision == 1 && sky.recall == 0.5 && abs(sky.f1! - 2.0 / 3.0) < 1e-12)
        let nature = try row("Nature")
        #expect((nature.support, nature.truePositives, nature.falsePositives, nature.falseNegatives) == (1, 1, 1, 0))
        #expect(nature.precision == 0.5 && nature.recall == 1 && abs(nature.f1! - 2.0 / 3.0) < 1e-12)
        let cloud = try row("Cloud") // expected once, never predicted
        #expect(cloud.precision == nil && cloud.recall == 0 && cloud.f1 == 0)
        let mountain = try row("Mountain") // predicted once, never expected
        #expect(mountain.support == 0 && mountain.precision == 0 && mountain.recall == nil && mountain.f1 == 0)
        let snow = try row("Snow") // neither
        #expect(snow.support == 0 && snow.precision == nil && snow.recall == nil && snow.f1 == nil)
        // Unscored names (Person, Dog) appear nowhere.
        #expect(evaluation.labels.allSatisfy { $0.label != "Person" && $0.label != "Dog" })
    }

    @Test("per-image details list scored labels in table order, and failures keep their message")
    func perImage() {
        let evaluation = LabelEvaluation(truth: Self.truth, outcomes: Self.outcomes)
        #expect(evaluation.images.map(\.file) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"])
        let a = evaluation.images[0]
        #expect(a.expected == ["Sky", "Cloud", "Water"])
        #expect(a.predicted == ["Sky", "Water", "Mountain"])
        #expect(a.missed == ["Cloud"] && a.extra == ["Mountain"] && a.error == nil)
        let d = evaluation.images[3]
        #expect(d.predicted.isEmpty && d.missed == ["Sky"] && d.error == "boom")
        #expect(evaluation.failures.map(\.file) == ["d.jpg"])
    }

    /// 3 + 3 + 0 + 1 expected scored labels, all missed.
    @Test("a truth entry without an outcome counts as a failure")
    func missingOutcome() {
        let evaluation = LabelEvaluation(truth: Self.truth, outcomes: [:])
        #expect(evaluation.failures.count == 4)
        #expect(evaluation.micro.truePositives == 0 && evaluation.micro.falseNegatives == 7 && evaluation.micro.precision == nil)
        #expect(evaluation.micro.recall == 0)
    }

    @Test("the JSON form has micro, labels and images")
    func json() throws {
        let evaluation = LabelEvaluation(truth: Self.truth, outcomes: Self.outcomes)
        let data = try JSONEncoder().encode(evaluation)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let micro = try #require(object["micro"] as? [String: Any])
        #expect((micro["precision"] as? Double) == 0.625)
        #expect((object["labels"] as? [Any])?.count == LabelEvaluation.scoredLabels.count)
        let images = try #require(object["images"] as? [[String: Any]])
        #expect(images.first?["missed"] as? [String] == ["Cloud"])
        #expect(images.first?["extra"] as? [String] == ["Mountain"])
        #expect(try JSONDecoder().decode(LabelEvaluation.self, from: data) == evaluation)
    }

    @Test("a well-formed truth file parses, keeping unscored labels")
    func parse() throws {
        let text = #"{"images": [{"file": "x.jpg", "labels": ["Sky", "Person"]}, {"file": "y.jpg", "labels": []}]}"#
        let truth = try LabelTruth.parse(Data(text.utf8), source: "t.json")
        #expect(truth.entries == [.init(file: "x.jpg", labels: ["Sky", "Person"]), .init(file: "y.jpg", labels: [])])
    }

    @Test(
        "malformed truth files are refused with the place of the problem",
        arguments: [
            ("{\"images\": [", "not valid JSON"),
            ("[1, 2]", "top level must be an object"),
            ("{\"pictures\": []}", "no \"images\" key"),
            ("{\"images\": {}}", "\"images\" must be an array"),
            ("{\"images\": [3]}", "images[0] must be an object"),
            ("{\"images\": [{\"labels\": []}]}", "images[0].file is missing"),
            (
                "{\"images\": [{\"file\": \"a.jpg\", \"labels\": []}, {\"file\": \"a.jpg\", \"labels\": []}]}",
                "images[1].file \"a.jpg\" is listed twice"
            ),
            ("{\"images\": [{\"file\": \"a.jpg\"}]}", "images[0].labels (a.jpg) is missing or not an array"),
            ("{\"images\": [{\"file\": \"a.jpg\", \"labels\": [\"Sky\", 7]}]}", "images[0].labels[1] (a.jpg) is not a string"),
            ("{\"images\": [{\"file\": \"a.jpg\", \"labels\": [\"sky\"]}]}", "the scored label is spelt \"Sky\""),
        ])
    func malformed(text: String, fragment: String) {
        do {
            _ = try LabelTruth.parse(Data(text.utf8), source: "truth.json")
            Issue.record("parsed: \(text)")
        } catch let error as PAMError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.path == "truth.json")
        } catch {
            Issue.record("not a PAMError: \(error)")
        }
    }
}

@Suite("Ground truth in the corpus form")
struct CorpusTruthTests {
    @Test("the corpus form parses in file-name order with its groups; the list form's group is the file")
    func corpusForm() throws {
        let text = #"{"b--tl.jpg": {"group": "b", "labels": ["Lake", "Water"]}, "a.jpg": {"group": "a", "labels": []}}"#
        let truth = try LabelTruth.parse(Data(text.utf8), source: "c.json")
        #expect(
            truth.entries == [
                .init(file: "a.jpg", labels: [], group: "a"), .init(file: "b--tl.jpg", labels: ["Lake", "Water"], group: "b"),
            ])
        let list = try LabelTruth.parse(Data(#"{"images": [{"file": "x.jpg", "labels": []}]}"#.utf8), source: "l.json")
        #expect(list.entries.first?.group == "x.jpg")
        #expect(LabelEvaluation.scoredLabels.contains("Lake"))
    }

    @Test(
        "a malformed corpus entry is refused with its file name",
        arguments: [
            (#"{"a.jpg": {"labels": []}}"#, "\"a.jpg\".group is missing"),
            (#"{"a.jpg": {"group": "a"}}"#, "\"a.jpg\".labels (a.jpg) is missing"),
            (#"{"a.jpg": {"group": "a", "labels": ["lake"]}}"#, "the scored label is spelt \"Lake\""),
            (#"{}"#, "no \"images\" key"),
        ])
    func malformedCorpus(text: String, fragment: String) {
        #expect {
            _ = try LabelTruth.parse(Data(text.utf8), source: "c.json")
        } throws: { error in
            guard let error = error as? PAMError else { return false }
            return error.code == .invalidArgument && error.message.contains(fragment)
        }
    }
}
