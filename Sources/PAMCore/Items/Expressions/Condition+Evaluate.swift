import Foundation

/// Conditions over an item, as DynamoDB evaluates them: a missing attribute or a comparison of
/// different types is false (`<>` is then true), never an error.
extension Condition {
    /// Whether the condition holds for `item` (nil: no item, every attribute missing).
    public func holds(for item: Item?) -> Bool {
        let item = item ?? [:]
        switch self {
        case .compare(let left, let comparator, let right):
            let a = left.resolve(in: item)
            let b = right.resolve(in: item)
            switch comparator {
            case .equal: return a != nil && a == b
            case .notEqual: return !(a != nil && a == b)
            default:
                guard let a, let b, let order = ItemOrder.compare(a, b) else { return false }
                switch comparator {
                case .less: return order < 0
                case .lessOrEqual: return order <= 0
                case .greater: return order > 0
                default: return order >= 0
                }
            }
        case .between(let operand, let lower, let upper):
            guard let value = operand.resolve(in: item), let low = lower.resolve(in: item), let high = upper.resolve(in: item),
                let above = ItemOrder.compare(value, low), let below = ItemOrder.compare(value, high)
            else { return false }
            return above >= 0 && below <= 0
        case .isIn(let operand, let candidates):
            guard let value = operand.resolve(in: item) else { return false }
            return candidates.contains { $0.resolve(in: item) == value }
        case .and(let left, let right): return left.holds(for: item) && right.holds(for: item)
        case .or(let left, let right): return left.holds(for: item) || right.holds(for: item)
        case .not(let condition): return !condition.holds(for: item)
        case .exists(let path): return path.value(in: item) != nil
        case .notExists(let path): return path.value(in: item) == nil
        case .type(let path, let type):
            guard let value = path.value(in: item), case .string(let name)? = type.resolve(in: item) else { return false }
            return value.typeName == name
        case .beginsWith(let operand, let prefix):
            switch (operand.resolve(in: item), prefix.resolve(in: item)) {
            case (.string(let text)?, .string(let start)?): return text.utf8.starts(with: start.utf8)
            case (.binary(let data)?, .binary(let start)?): return data.starts(with: start)
            default: return false
            }
        case .contains(let operand, let element):
            guard let container = operand.resolve(in: item), let element = element.resolve(in: item) else { return false }
            switch (container, element) {
            case (.string(let text), .string(let part)): return part.isEmpty || Self.contains(Array(text.utf8), Array(part.utf8))
            case (.stringSet(let values), .string(let part)): return values.contains { $0.utf8.elementsEqual(part.utf8) }
            case (.numberSet(let values), .number(let number)): return values.contains(number)
            case (.binarySet(let values), .binary(let data)): return values.contains(data)
            case (.binary(let data), .binary(let part)): return part.isEmpty || Self.contains(Array(data), Array(part))
            case (.list(let values), _): return values.contains(element)
            default: return false
            }
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }

    /// Every path the condition reads (for the key-attribute checks of Query's filter).
    public var paths: [AttributePath] {
        switch self {
        case .compare(let a, _, let b): a.paths + b.paths
        case .between(let a, let b, let c): a.paths + b.paths + c.paths
        case .isIn(let a, let list): a.paths + list.flatMap(\.paths)
        case .and(let a, let b), .or(let a, let b): a.paths + b.paths
        case .not(let a): a.paths
        case .exists(let path), .notExists(let path): [path]
        case .type(let path, let type): [path] + type.paths
        case .beginsWith(let a, let b), .contains(let a, let b): a.paths + b.paths
        }
    }
}

extension Operand {
    /// The operand's value in `item`; nil when a path is missing. (Update operands — `+`,
    /// `if_not_exists`, `list_append` — are resolved by `UpdateExpression.apply`.)
    func resolve(in item: Item) -> AttributeValue? {
        switch self {
        case .path(let path): return path.value(in: item)
        case .value(let value): return value
        case .size(let path):
            guard let value = path.value(in: item) else { return nil }
            switch value {
            case .string(let text): return .number(text.utf8.count)
            case .binary(let data): return .number(data.count)
            case .stringSet(let values): return .number(values.count)
            case .numberSet(let values): return .number(values.count)
            case .binarySet(let values): return .number(values.count)
            case .list(let values): return .number(values.count)
            case .map(let members): return .number(members.count)
            default: return nil
            }
        default: return nil
        }
    }

    var paths: [AttributePath] {
        switch self {
        case .path(let path), .size(let path): [path]
        case .value: []
        case .ifNotExists(let path, let operand): [path] + operand.paths
        case .listAppend(let a, let b), .plus(let a, let b), .minus(let a, let b): a.paths + b.paths
        }
    }
}
