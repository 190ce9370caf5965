import Foundation
import PAMTestSupport
import Testing

/// `pam eval --folds`: grouped cross-validation of the labeler's model from the command line.
@Suite("pam eval --folds")
struct EvalFoldsTests {
    /// Eight fixture photos in four groups of two, in the corpus form of the truth file.
    static func smallTruth(in folder: URL) throws -> URL {
        let photos = [
            ("lomiri-aitzgorri-aitzol-berasategi.jpg", "a"), ("lomiri-sunset-aitzol-berasategi.jpg", "a"),
            ("mate-storm.jpg", "b"), ("mate-green-meadow.jpg", "b"),
            ("mate-yellow-flower.jpg", "c"), ("lomiri-bridge-sander-klootwijk.jpg", "c"),
            ("mate-wood.jpg", "d"), ("lomiri-greentock-peter-nerlich.jpg", "d"),
        ]
        let labels = try FixtureFiles.photoTruth()
        var corpus: [String: [String: Any]] = [:]
        for (file, group) in photos { corpus[file] = ["group": group, "labels": try #require(labels[file]).sorted()] }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("truth.json")
        try JSONSerialization.data(withJSONObject: corpus, options: [.sortedKeys]).write(to: url)
        return url
    }

    @Test("grouped 2-fold cross-validation prints the table with ECE, and JSON with the calibration")
    func folds() async throws {
        let folder = CLITests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let truth = try Self.smallTruth(in: folder)
        let run = try await CLITests.pam(["eval", "Fixtures/photos", "--truth", truth.path, "--folds", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("precision  recall     F1    ECE"))
        #expect(run.stdout.range(of: #"\nLake +0 "#, options: .regularExpression) != nil)
        #expect(run.stdout.contains("grouped 2-fold cross-validation over 4 groups"))
        #expect(run.stdout.contains("8 images scored, 0 failed"))

        let json = try await CLITests.pam(["eval", "Fixtures/photos", "--truth", truth.path, "--folds", "2", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let calibration = try #require(object["calibration"] as? [String: Any])
        let overall = try #require(calibration["overall"] as? Double)
        #expect((0...1).contains(overall))
        #expect((calibration["labels"] as? [String: Any])?.count == 18)
        #expect(calibration["folds"] as? Int == 2 && calibration["groups"] as? Int == 4)
        // The committed model is not used: without --folds, there is no calibration.
        let plain = try await CLITests.pam(["eval", "Fixtures/photos", "--truth", truth.path, "--json"])
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("\"calibration\""))
    }

    @Test("--folds outside 2…20 and a missing photo are refused with a reason")
    func refusals() async throws {
        let folder = CLITests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let truth = try Self.smallTruth(in: folder)
        let one = try await CLITests.pam(["eval", "Fixtures/photos", "--truth", truth.path, "--folds", "1"])
        #expect(one.status != 0 && one.stderr.contains("--folds must be 2…20"))
        let elsewhere = try await CLITests.pam(["eval", folder.path, "--truth", truth.path, "--folds", "2"])
        #expect(elsewhere.status != 0 && elsewhere.stderr.contains("cannot read a photo the truth file lists"))
        // A label the labeler does not know (a typo) would train its photo as a negative of the real one.
        let text = try String(contentsOf: truth, encoding: .utf8)
        let typo = folder.appendingPathComponent("typo.json")
        try Data(text.replacingOccurrences(of: "\"Sky\"", with: "\"Skies\"").utf8).write(to: typo)
        for command in [
            ["eval", "Fixtures/photos", "--truth", typo.path, "--folds", "2"],
            ["train", "--corpus", "Fixtures/photos", "--truth", typo.path, "--out", folder.appendingPathComponent("model.swift").path],
        ] {
            let run = try await CLITests.pam(command)
            #expect(
                run.status != 0 && run.stderr.contains("the label \"Skies\", which the labeler does not know"),
                "\(command[0]): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.swift").path))
    }
}
