import Foundation
import PAMCore
import PAMTestSupport
import Testing

@testable import PAMLocal

@Suite("The fitted label model")
struct LabelModelTests {
    @Test("the committed model loads, scores every label with Lake among them, and reads the current features")
    func committedModel() throws {
        let model = LabelModel.trained
        #expect(model.labels == LabelModelTrainer.labels)
        #expect(model.labels.contains("Lake"))
        #expect(model.featureNames == LabelFeatures.names)
        #expect(model.scales.allSatisfy { $0 > 0 })
        // Its JSON form is what the generated file embeds, and reading it back changes nothing.
        let again = try LabelModel(json: Data(model.json().utf8), source: "again")
        #expect(again.json() == model.json())
        #expect(
            LabelModel.trainedJSON.trimmingCharacters(in: .whitespacesAndNewlines)
                == model.json().trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("a model document with the wrong counts is refused with what is wrong")
    func malformedDocument() {
        let text =
            #"{"featureNames": ["a", "b"], "means": [0, 0], "scales": [1, 1], "heads": [{"label": "Sky", "bias": 0, "threshold": 0.4, "weights": [1]}]}"#
        #expect {
            _ = try LabelModel(json: Data(text.utf8), source: "m.json")
        } throws: { error in
            guard let error = error as? PAMError else { return false }
            return error.code == .invalidArgument && error.message.contains("head Sky has 1 weights for 2 features")
                && error.path == "m.json"
        }
        #expect(throws: PAMError.self) { _ = try LabelModel(json: Data("[]".utf8), source: "m.json") }
        let zeroScale = #"{"featureNames": ["a"], "means": [0], "scales": [0], "heads": []}"#
        #expect(throws: PAMError.self) { _ = try LabelModel(json: Data(zeroScale.utf8), source: "m.json") }
        let badThreshold =
            #"{"featureNames": ["a"], "means": [0], "scales": [1], "heads": [{"label": "Sky", "bias": 0, "threshold": 1.5, "weights": [1]}]}"#
        #expect {
            _ = try LabelModel(json: Data(badThreshold.utf8), source: "m.json")
        } throws: { ($0 as? PAMError)?.message.contains("head Sky has threshold 1.5, not in 0…1") == true }
        let noThreshold = #"{"featureNames": ["a"], "means": [0], "scales": [1], "heads": [{"label": "Sky", "bias": 0, "weights": [1]}]}"#
        #expect(throws: PAMError.self) { _ = try LabelModel(json: Data(noThreshold.utf8), source: "m.json") }
    }

    @Test("thresholds: one shared by micro-F1, and a lower one for a label the shared one never finds")
    func thresholdChoice() {
        let labels = LabelModelTrainer.labels
        let sky = labels.firstIndex(of: "Sky")!
        let rock = labels.firstIndex(of: "Rock")!
        // Sky is right whenever its probability reaches 0.6, Rock's photos never exceed 0.3 and
        // its negatives stay at 0.05; every other label is absent and at 0.
        var probabilities: [[Double]] = []
        var truths: [Set<String>] = []
        for photo in 0..<20 {
            var row = [Double](repeating: 0, count: labels.count)
            let hasSky = photo < 10
            let hasRock = photo % 5 == 0
            row[sky] = hasSky ? 0.6 + Double(photo) / 100 : 0.5 - Double(photo) / 100
            row[rock] = hasRock ? 0.3 : 0.05
            probabilities.append(row)
            truths.append(Set((hasSky ? ["Sky", "Nature", "Outdoors"] : []) + (hasRock ? ["Rock", "Nature"] : [])))
        }
        let thresholds = LabelModelTrainer.thresholds(probabilities: probabilities, truths: truths)
        #expect(thresholds.count == labels.count)
        // Sky's negatives reach 0.40 and its positives start at 0.60: 0.45 … 0.60 separate them
        // perfectly, and a tie goes to the lower candidate.
        #expect(thresholds[sky] == 0.45)
        // Rock is never found at 0.45; every candidate from 0.30 down finds all its photos and none
        // else, and a tie goes to the higher one.
        #expect(thresholds[rock] == 0.3)
        for index in labels.indices where index != sky && index != rock { #expect(thresholds[index] == 0.45) }
    }

    @Test("a label is not given a lower threshold where it would be wrong more often than right")
    func thresholdFloor() {
        let labels = LabelModelTrainer.labels
        let sky = labels.firstIndex(of: "Sky")!
        let lake = labels.firstIndex(of: "Lake")!
        // Sky as above. Lake's 2 photos (with sky) sit at 0.2, and so do 3 photos without a lake: every
        // candidate that finds a lake returns Lake 5 times, right 2 of them.
        var probabilities: [[Double]] = []
        var truths: [Set<String>] = []
        for photo in 0..<20 {
            var row = [Double](repeating: 0, count: labels.count)
            let hasSky = photo < 10
            let hasLake = photo == 0 || photo == 5
            row[sky] = hasSky ? 0.6 + Double(photo) / 100 : 0.5 - Double(photo) / 100
            row[lake] = hasLake || [3, 13, 17].contains(photo) ? 0.2 : 0.05
            probabilities.append(row)
            truths.append(Set((hasSky ? ["Sky", "Nature", "Outdoors"] : []) + (hasLake ? ["Lake", "Water", "Nature", "Outdoors"] : [])))
        }
        let thresholds = LabelModelTrainer.thresholds(probabilities: probabilities, truths: truths)
        #expect(thresholds[sky] == 0.45)
        #expect(thresholds[lake] == 0.45, "Lake keeps the shared threshold")
    }

    @Test("a model with a number that is not finite is refused before anything is written")
    func nonFiniteRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pam-model-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("LabelModel+Trained.swift")
        let model = LabelModel(
            featureNames: ["a"], means: [0], scales: [1], heads: [LabelModel.Head(label: "Sky", bias: .nan, weights: [1])])
        #expect(throws: PAMError.self) { try model.writeSwiftSource(to: file, provenance: "test") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("a probability is σ(bias + w·standardised x)")
    func probabilities() {
        let model = LabelModel(
            featureNames: ["a", "b"], means: [1, 0], scales: [2, 1],
            heads: [.init(label: "Sky", bias: 0.5, weights: [1, -1]), .init(label: "Lake", bias: 0, weights: [0, 0])])
        let p = model.probabilities([5, 1]) // standardised (2, 1): z = 0.5 + 2 − 1 = 1.5
        #expect(abs(p[0] - 1 / (1 + exp(-1.5))) < 1e-15)
        #expect(p[1] == 0.5)
    }

    @Test("the hierarchy is enforced: a child implies its parents, at least as confident")
    func hierarchy() throws {
        let labels = ["Forest", "Tree", "Vegetation", "Nature", "Outdoors", "Lake", "Water", "Night"]
        let probabilities = [0.9, 0.2, 0.1, 0.3, 0.05, 0.7, 0.4, 0.6]
        let result = HistogramLabeler.labels(probabilities: probabilities, thresholds: labels.map { _ in 0.5 }, of: labels)
        let byName = Dictionary(uniqueKeysWithValues: result.map { ($0.name, $0) })
        for name in ["Tree", "Vegetation", "Plant", "Nature", "Outdoors"] { #expect(byName[name]?.confidence == 90, "\(name)") }
        #expect(byName["Water"]?.confidence == 70) // Lake implies Water
        #expect(byName["Forest"]?.parents == ["Tree", "Vegetation", "Plant", "Nature", "Outdoors"])
        #expect(byName["Lake"]?.parents == ["Water", "Nature", "Outdoors"])
        // Night implies Outdoors, not Nature: a street at night has nothing natural in it.
        #expect(LabelTaxonomy.ancestors(of: "Night") == ["Outdoors"])
        for label in result {
            for parent in label.parents { #expect(try #require(byName[parent]).confidence >= label.confidence) }
        }
        #expect(result.map(\.name) == result.map(\.name).sorted())
    }

    /// The fixture photos, each its own group, described by the first `features` entries of their
    /// feature vectors: enough to exercise every step of the fitting in a second.
    static func fixtureSamples(count: Int, features: Int = 24) throws -> [LabelModelTrainer.Sample] {
        let truth = try FixtureFiles.photoTruth()
        return try truth.keys.sorted().prefix(count).map { file in
            let vector = try HistogramLabeler().featureVector(forJPEG: FixtureFiles.data("photos", file))
            return LabelModelTrainer.Sample(vector: Array(vector.prefix(features)), labels: truth[file]!, group: file)
        }
    }

    @Test("training twice on the same photos writes the same bytes")
    func reproducible() throws {
        let samples = try Self.fixtureSamples(count: 20)
        let trainer = LabelModelTrainer(calibrationFolds: 3)
        let first = trainer.fit(samples).swiftSource(provenance: "test")
        let second = trainer.fit(samples).swiftSource(provenance: "test")
        #expect(first == second)
        #expect(first.contains("\"label\": \"Lake\""))
        // The file is written whole, and reads back as the same model.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pam-model-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("LabelModel+Trained.swift")
        try trainer.fit(samples).writeSwiftSource(to: file, provenance: "test")
        #expect(try String(contentsOf: file, encoding: .utf8) == first)
        // Another penalty gives other numbers: the bytes depend on the fit, not only on the layout.
        #expect(LabelModelTrainer(lambda: 1, calibrationFolds: 3).fit(samples).swiftSource(provenance: "test") != first)
    }

    @Test("the fitted probabilities stay inside (0, 1), an unseen label stays unlikely, and a frequent one is learnt")
    func fitted() throws {
        let samples = try Self.fixtureSamples(count: 60)
        let model = LabelModelTrainer(lambda: 10).fit(samples)
        let probabilities = samples.map { model.probabilities($0.vector) }
        for (index, label) in model.labels.enumerated() {
            let values = probabilities.map { $0[index] }
            #expect(values.allSatisfy { $0 > 0 && $0 < 1 }, "\(label)")
            if !samples.contains(where: { $0.labels.contains(label) }) {
                #expect(values.allSatisfy { $0 < 0.2 }, "\(label) never seen, yet \(values.max()!)")
            }
        }
        // In-sample, photos with Sky score higher than photos without, on average.
        let sky = model.labels.firstIndex(of: "Sky")!
        let positives = samples.indices.filter { samples[$0].labels.contains("Sky") }.map { probabilities[$0][sky] }
        let negatives = samples.indices.filter { !samples[$0].labels.contains("Sky") }.map { probabilities[$0][sky] }
        #expect(!positives.isEmpty && !negatives.isEmpty)
        let positiveMean: Double = positives.reduce(0, +) / Double(positives.count)
        let negativeMean: Double = negatives.reduce(0, +) / Double(negatives.count)
        #expect(positiveMean > negativeMean + 0.2)
    }

    @Test("with fewer photos than features the fit is still the penalised optimum (the row-basis path)")
    func fewerRowsThanColumns() {
        // 6 rows, 10 columns, one row a combination of two others: deterministic, not separable by one column.
        let rows = 6
        let columns = 10
        var x: [Double] = (0..<rows * columns).map { index -> Double in
            let step: Int = (index * 37 + 11) % 17
            return Double(step) / 8 - 1
        }
        for column in 0..<columns { x[5 * columns + column] = x[column] - 0.5 * x[columns + column] }
        let targets: [Double] = [1, 0, 1, 1, 0, 0]
        let lambda = 3.0
        let fit = LogisticRegression.fit(x: x, rows: rows, columns: columns, targets: targets, lambda: lambda)
        #expect(LogisticRegression.rowBasis(x, rows: rows, columns: columns).count == rows - 1)
        // At the optimum: Σ(p − y) = 0 for the bias, and Xᵀ(p − y) + λw = 0 for the weights.
        var residuals: [Double] = []
        for row in 0..<rows {
            var z = fit.bias
            for column in 0..<columns { z += fit.weights[column] * x[row * columns + column] }
            residuals.append(LabelModel.sigmoid(z) - targets[row])
        }
        #expect(abs(residuals.reduce(0, +)) < 1e-8)
        for column in 0..<columns {
            var gradient = lambda * fit.weights[column]
            for row in 0..<rows { gradient += residuals[row] * x[row * columns + column] }
            #expect(abs(gradient) < 1e-8, "column \(column): gradient \(gradient)")
        }
        #expect(fit.weights.contains { abs($0) > 1e-3 }, "the fit learnt something")
    }

    @Test("logistic regression and Cholesky solve agree with a hand-checked case")
    func solver() throws {
        // [[4, 2], [2, 3]] x = [2, 1] → x = (0.5, 0).
        let x = try #require(LogisticRegression.solveSymmetric([4, 2, 2, 3], [2, 1], size: 2))
        #expect(abs(x[0] - 0.5) < 1e-12 && abs(x[1]) < 1e-12)
        #expect(LogisticRegression.solveSymmetric([1, 2, 2, 1], [1, 1], size: 2) == nil)
        // Symmetric data: the bias is 0 and the weight positive; the gradient vanishes at the fit.
        let features: [Double] = [-2, -1, 1, 2]
        let targets: [Double] = [0, 0, 1, 1]
        let fit = LogisticRegression.fit(x: features, rows: 4, columns: 1, targets: targets, lambda: 1)
        #expect(abs(fit.bias) < 1e-9 && fit.weights[0] > 0)
        var gradient = fit.weights[0]
        for (value, target) in zip(features, targets) {
            gradient += (LabelModel.sigmoid(fit.bias + fit.weights[0] * value) - target) * value
        }
        #expect(abs(gradient) < 1e-8)
    }
}
