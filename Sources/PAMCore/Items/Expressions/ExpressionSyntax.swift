/// Which expression of a request is being read; DynamoDB names it in its messages
/// (`Invalid UpdateExpression: …`).
public enum ExpressionKind: String, Sendable {
    case update = "UpdateExpression"
    case condition = "ConditionExpression"
    case filter = "FilterExpression"
    case keyCondition = "KeyConditionExpression"
    case projection = "ProjectionExpression"

    /// A `ValidationException` about this expression.
    func invalid(_ detail: String) -> ItemError { .validation("Invalid \(rawValue): \(detail)") }
}

/// A document path: `a.b[2].c` → name a, name b, index 2, name c (names already substituted).
public struct AttributePath: Sendable, Hashable, CustomStringConvertible {
    public enum Element: Sendable, Hashable {
        case name(String)
        case index(Int)
    }

    public var elements: [Element]

    public init(_ elements: [Element]) { self.elements = elements }

    public init(_ name: String) { elements = [.name(name)] }

    /// The top-level attribute the path starts at.
    public var attribute: String {
        if case .name(let name) = elements.first { return name }
        return ""
    }

    /// `[a, b, [2]]`, as DynamoDB prints paths in its messages.
    public var description: String {
        "["
            + elements.map { element in
                switch element {
                case .name(let name): name
                case .index(let index): "[\(index)]"
                }
            }.joined(separator: ", ") + "]"
    }

    /// Whether one path is the other or leads into it.
    func overlaps(_ other: AttributePath) -> Bool {
        let common = min(elements.count, other.elements.count)
        return Array(elements.prefix(common)) == Array(other.elements.prefix(common))
    }
}

/// A value in an expression: a path into the item, a `:value`, or a function of them.
public indirect enum Operand: Sendable, Hashable {
    case path(AttributePath)
    case value(AttributeValue)
    case size(AttributePath)
    case ifNotExists(AttributePath, Operand)
    case listAppend(Operand, Operand)
    case plus(Operand, Operand)
    case minus(Operand, Operand)
}

/// A comparison operator.
public enum Comparator: String, Sendable, Hashable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

/// A condition (ConditionExpression, FilterExpression, KeyConditionExpression).
public indirect enum Condition: Sendable, Hashable {
    case compare(Operand, Comparator, Operand)
    case between(Operand, Operand, Operand)
    case isIn(Operand, [Operand])
    case and(Condition, Condition)
    case or(Condition, Condition)
    case not(Condition)
    case exists(AttributePath)
    case notExists(AttributePath)
    case type(AttributePath, Operand)
    case beginsWith(Operand, Operand)
    case contains(Operand, Operand)
}

/// An UpdateExpression's actions, by section.
public struct UpdateExpression: Sendable, Hashable {
    public var sets: [(path: AttributePath, value: Operand)] = []
    public var removes: [AttributePath] = []
    public var adds: [(path: AttributePath, value: AttributeValue)] = []
    public var deletes: [(path: AttributePath, value: AttributeValue)] = []

    public init() {}

    /// Every path the update writes, in order.
    public var paths: [AttributePath] { sets.map(\.path) + removes + adds.map(\.path) + deletes.map(\.path) }

    public static func == (lhs: UpdateExpression, rhs: UpdateExpression) -> Bool {
        lhs.sets.map(\.path) == rhs.sets.map(\.path) && lhs.sets.map(\.value) == rhs.sets.map(\.value) && lhs.removes == rhs.removes
            && lhs.adds.map(\.path) == rhs.adds.map(\.path) && lhs.adds.map(\.value) == rhs.adds.map(\.value)
            && lhs.deletes.map(\.path) == rhs.deletes.map(\.path) && lhs.deletes.map(\.value) == rhs.deletes.map(\.value)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(paths) }
}
