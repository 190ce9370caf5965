/// An update expression applied to an item, as DynamoDB applies it: every SET value is computed
/// from the item as it was, then the sections write their (non-overlapping) paths.
extension UpdateExpression {
    static let incorrectType = ItemError.validation("An operand in the update expression has an incorrect data type")
    static let missingAttribute = ItemError.validation("The provided expression refers to an attribute that does not exist in the item")

    /// Refuses an update of a key attribute.
    public func checkKeys(of definition: ItemTable) throws(ItemError) {
        for path in paths where definition.isKey(path.attribute) {
            throw .validation("Cannot update attribute \(path.attribute). This attribute is part of the key")
        }
    }

    /// The item after the update (`item` is the stored item, or just the key when there is none).
    public func apply(to item: Item) throws(ItemError) -> Item {
        var values: [AttributeValue] = []
        for action in sets { values.append(try Self.evaluate(action.value, in: item)) }
        var updated = item
        for (action, value) in zip(sets, values) { try action.path.set(value, in: &updated) }
        // List elements go from the highest index down, so each index means what it meant before.
        for path in removes.sorted(by: Self.removalOrder) { try path.remove(from: &updated) }
        for action in adds {
            guard let existing = action.path.value(in: updated) else {
                try action.path.set(action.value, in: &updated)
                continue
            }
            let sum: AttributeValue
            switch (existing, action.value) {
            case (.number(let a), .number(let b)): sum = .number(try a.adding(b))
            case (.stringSet(let a), .stringSet(let b)): sum = .stringSet(AttributeValue.sortedUnique(a + b))
            case (.numberSet(let a), .numberSet(let b)): sum = .numberSet(AttributeValue.sortedUnique(a + b))
            case (.binarySet(let a), .binarySet(let b)): sum = .binarySet(AttributeValue.sortedUnique(a + b))
            default: throw Self.incorrectType
            }
            try action.path.set(sum, in: &updated)
        }
        for action in deletes {
            guard let existing = action.path.value(in: updated) else { continue }
            let remaining: AttributeValue?
            switch (existing, action.value) {
            case (.stringSet(let a), .stringSet(let b)):
                let left = a.filter { value in !b.contains { $0.utf8.elementsEqual(value.utf8) } }
                remaining = left.isEmpty ? nil : .stringSet(left)
            case (.numberSet(let a), .numberSet(let b)):
                let left = a.filter { !b.contains($0) }
                remaining = left.isEmpty ? nil : .numberSet(left)
            case (.binarySet(let a), .binarySet(let b)):
                let left = a.filter { !b.contains($0) }
                remaining = left.isEmpty ? nil : .binarySet(left)
            default: throw Self.incorrectType
            }
            if let remaining { try action.path.set(remaining, in: &updated) } else { try action.path.remove(from: &updated) }
        }
        return updated
    }

    private static func removalOrder(_ left: AttributePath, _ right: AttributePath) -> Bool {
        for (a, b) in zip(left.elements, right.elements) where a != b {
            if case .index(let i) = a, case .index(let j) = b { return i > j }
            return false
        }
        return false
    }

    /// A SET value in the item as it was.
    static func evaluate(_ operand: Operand, in item: Item) throws(ItemError) -> AttributeValue {
        switch operand {
        case .path(let path):
            guard let value = path.value(in: item) else { throw missingAttribute }
            return value
        case .value(let value): return value
        case .size: throw incorrectType
        case .ifNotExists(let path, let fallback):
            if let value = path.value(in: item) { return value }
            return try evaluate(fallback, in: item)
        case .listAppend(let a, let b):
            guard case .list(let first) = try evaluate(a, in: item), case .list(let second) = try evaluate(b, in: item) else {
                throw incorrectType
            }
            return .list(first + second)
        case .plus(let a, let b), .minus(let a, let b):
            guard case .number(let first) = try evaluate(a, in: item), case .number(let second) = try evaluate(b, in: item) else {
                throw incorrectType
            }
            if case .plus = operand { return .number(try first.adding(second)) }
            return .number(try first.subtracting(second))
        }
    }
}
