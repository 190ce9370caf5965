/// Grouped k-fold assignment for cross-validation: every member of a group (the crops of one
/// source photo) falls in the same fold, so no fold is tested on a picture it was trained on.
///
/// Deterministic: groups are taken largest first (ties by name) and each goes to the fold that has
/// the fewest members so far (ties to the lowest fold), which also balances the fold sizes.
public struct GroupedFolds: Sendable, Hashable {
    /// The number of folds.
    public let count: Int
    /// For each member, in input order, its fold (0..<count).
    public let foldOfMember: [Int]

    /// Assigns `groups[i]` (the group of member `i`) to `count` folds.
    ///
    /// - Precondition: `count >= 2`.
    public init(groups: [String], count: Int) {
        precondition(count >= 2, "cross-validation needs at least two folds")
        self.count = count
        var sizes: [String: Int] = [:]
        for group in groups { sizes[group, default: 0] += 1 }
        let order = sizes.keys.sorted { sizes[$0]! != sizes[$1]! ? sizes[$0]! > sizes[$1]! : $0 < $1 }
        var load = [Int](repeating: 0, count: count)
        var foldOfGroup: [String: Int] = [:]
        for group in order {
            let fold = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            foldOfGroup[group] = fold
            load[fold] += sizes[group]!
        }
        foldOfMember = groups.map { foldOfGroup[$0]! }
    }

    /// The members (input indices) in `fold`, ascending.
    public func test(_ fold: Int) -> [Int] { foldOfMember.indices.filter { foldOfMember[$0] == fold } }
    /// The members not in `fold`, ascending.
    public func train(_ fold: Int) -> [Int] { foldOfMember.indices.filter { foldOfMember[$0] != fold } }
}
