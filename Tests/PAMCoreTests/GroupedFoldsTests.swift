import PAMCore
import Testing

@Suite("Grouped folds and calibration error")
struct GroupedFoldsTests {
    @Test("no group is split across folds, every member is in exactly one, and sizes are balanced")
    func grouping() {
        let groups = ["a", "a", "a", "b", "c", "c", "d", "e", "e", "e", "e", "f", "g", "h"]
        let folds = GroupedFolds(groups: groups, count: 3)
        for group in Set(groups) {
            let foldsOfGroup = Set(groups.indices.filter { groups[$0] == group }.map { folds.foldOfMember[$0] })
            #expect(foldsOfGroup.count == 1, "\(group) is in folds \(foldsOfGroup)")
        }
        let tests = (0..<3).map { folds.test($0) }
        #expect(tests.flatMap { $0 }.sorted() == Array(groups.indices))
        for fold in 0..<3 {
            #expect(Set(folds.train(fold)).isDisjoint(with: folds.test(fold)))
            #expect(folds.train(fold).count + folds.test(fold).count == groups.count)
        }
        // 14 members: the largest groups (e: 4, a: 3) go to different folds and the rest fill up.
        #expect(tests.map(\.count).max()! - tests.map(\.count).min()! <= 1)
        #expect(folds.foldOfMember[0] != folds.foldOfMember[7])
    }

    @Test("with labels, the groups of a rare label are spread over the folds, and groups still stay whole")
    func stratified() {
        // 40 sources of 2 crops; 5 sources (10 photos) are Night, listed side by side so that an
        // assignment by size and name alone puts most of them in one or two folds.
        let groups = (0..<80).map { "source-\(String(format: "%02d", $0 / 2))" }
        let labels = (0..<80).map { $0 / 2 < 5 ? Set(["Night", "Sky"]) : Set(["Sky"]) }
        let folds = GroupedFolds(groups: groups, labels: labels, count: 5)
        let nightPerFold = (0..<5).map { fold in folds.test(fold).filter { labels[$0].contains("Night") }.count }
        #expect(nightPerFold == [2, 2, 2, 2, 2], "\(nightPerFold)")
        for group in Set(groups) {
            #expect(Set(groups.indices.filter { groups[$0] == group }.map { folds.foldOfMember[$0] }).count == 1)
        }
        #expect((0..<5).map { folds.test($0).count } == [16, 16, 16, 16, 16])
        // Without labels: the former assignment, largest and then by name.
        #expect(GroupedFolds(groups: groups, labels: [], count: 5) == GroupedFolds(groups: groups, count: 5))
    }

    @Test("the assignment depends only on the groups, not on chance")
    func deterministic() {
        let groups = (0..<50).map { "source-\($0 % 17)" }
        #expect(GroupedFolds(groups: groups, count: 5) == GroupedFolds(groups: groups, count: 5))
        #expect(Set(GroupedFolds(groups: groups, count: 5).foldOfMember) == Set(0..<5))
    }

    @Test("ECE on a hand-computed example")
    func expectedCalibrationError() throws {
        // Bin 9 (0.9–1.0): confidences 0.9, 0.95 (mean 0.925), outcomes true, false (0.5): gap 0.425.
        // Bin 2 (0.2–0.3): 0.2, 0.2 (mean 0.2), outcomes false, false (0): gap 0.2.
        // Bin 5 (0.5–0.6): 0.5 alone, true: gap 0.5. Weighted: (2·0.425 + 2·0.2 + 1·0.5) / 5 = 0.35.
        let ece = try #require(
            CalibrationError.expected(confidences: [0.9, 0.95, 0.2, 0.2, 0.5], outcomes: [true, false, false, false, true]))
        #expect(abs(ece - 0.35) < 1e-12)
        // Confidence 1 falls in the last bin; a perfectly calibrated set scores 0.
        #expect(CalibrationError.expected(confidences: [1, 1, 0, 0], outcomes: [true, true, false, false]) == 0)
        #expect(CalibrationError.expected(confidences: [], outcomes: []) == nil)
    }
}
