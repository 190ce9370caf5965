/// Grouped k-fold assignment for cross-validation: every member of a group (the crops of one
/// source photo) falls in the same fold, so no fold is tested on a picture it was trained on.
///
/// Stratified by label when members' labels are given: a label carried by few groups (Night: 16
/// photos from 9 sources) is spread over the folds instead of landing mostly in one — unstratified,
/// one fold held 11 of the 16 Night photos, its model trained on 5 and never found Night, and the
/// cross-validated F1 of a rare label swung between 0 and 0.39 with the tie-breaking of the order.
///
/// Deterministic: groups are taken rarest label first (the support of the least common label among
/// their members; groups without labels last), then largest first, then by name; each goes to the
/// fold that so far holds the smallest share of its labels (summed over them, each label's count in
/// the fold over its total), then the fewest members, then the lowest fold. Without labels this is
/// largest first into the fold with the fewest members, which also balances the fold sizes.
public struct GroupedFolds: Sendable, Hashable {
    /// The number of folds.
    public let count: Int
    /// For each member, in input order, its fold (0..<count).
    public let foldOfMember: [Int]

    /// Assigns `groups[i]` (the group of member `i`, whose labels are `labels[i]` when given) to
    /// `count` folds.
    ///
    /// - Precondition: `count >= 2`; `labels` is empty or has one entry per member.
    public init(groups: [String], labels: [Set<String>] = [], count: Int) {
        precondition(count >= 2, "cross-validation needs at least two folds")
        precondition(labels.isEmpty || labels.count == groups.count, "one label set per member")
        self.count = count
        var sizes: [String: Int] = [:]
        var labelsOfGroup: [String: [String: Int]] = [:]
        var support: [String: Int] = [:]
        for (index, group) in groups.enumerated() {
            sizes[group, default: 0] += 1
            for label in labels.isEmpty ? [] : labels[index] {
                labelsOfGroup[group, default: [:]][label, default: 0] += 1
                support[label, default: 0] += 1
            }
        }
        func rarest(_ group: String) -> Int { labelsOfGroup[group]?.keys.map { support[$0]! }.min() ?? Int.max }
        let order = sizes.keys.sorted { first, second in
            if rarest(first) != rarest(second) { return rarest(first) < rarest(second) }
            return sizes[first]! != sizes[second]! ? sizes[first]! > sizes[second]! : first < second
        }
        var load = [Int](repeating: 0, count: count)
        var labelLoad = [[String: Int]](repeating: [:], count: count)
        var foldOfGroup: [String: Int] = [:]
        for group in order {
            let carried = labelsOfGroup[group] ?? [:]
            // Summed in label order: a sum's last bit depends on its order, and a Dictionary's order
            // changes from one process to the next, which would change the folds (and the model).
            let carriedLabels = carried.keys.sorted()
            func share(_ fold: Int) -> Double {
                carriedLabels.reduce(0) { $0 + Double(labelLoad[fold][$1, default: 0]) / Double(support[$1]!) }
            }
            let fold = load.indices.min { a, b in
                let (shareA, shareB) = (share(a), share(b))
                if shareA != shareB { return shareA < shareB }
                return load[a] != load[b] ? load[a] < load[b] : a < b
            }!
            foldOfGroup[group] = fold
            load[fold] += sizes[group]!
            for (label, members) in carried { labelLoad[fold][label, default: 0] += members }
        }
        foldOfMember = groups.map { foldOfGroup[$0]! }
    }

    /// The members (input indices) in `fold`, ascending.
    public func test(_ fold: Int) -> [Int] { foldOfMember.indices.filter { foldOfMember[$0] == fold } }
    /// The members not in `fold`, ascending.
    public func train(_ fold: Int) -> [Int] { foldOfMember.indices.filter { foldOfMember[$0] != fold } }
}
