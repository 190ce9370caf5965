/// A Query's KeyConditionExpression as the store reads it: the partition key's value, and the sort
/// key's bounds. DynamoDB accepts `pk = :v`, optionally `AND` one sort-key condition (`=`, `<`,
/// `<=`, `>`, `>=`, `BETWEEN`, `begins_with`); anything else is refused with its messages.
public struct KeyCondition: Sendable, Hashable {
    public var partition: AttributeValue
    public var lower: ItemQuery.Bound?
    public var upper: ItemQuery.Bound?

    public init(_ condition: Condition, table: ItemTable) throws(ItemError) {
        var terms: [Condition] = []
        try Self.flatten(condition, into: &terms)
        var partition: AttributeValue?
        var sortTerm: Condition?
        for term in terms {
            let (attribute, term) = try Self.keyTerm(term)
            if attribute == table.partitionKey.name {
                guard partition == nil else {
                    throw ItemError.validation("KeyConditionExpressions must only contain one condition per key")
                }
                guard case .compare(_, .equal, .value(let value)) = term else {
                    throw ItemError.validation("Query key condition not supported")
                }
                try Self.checkType(value, table.partitionKey)
                partition = value
            } else if let sortKey = table.sortKey, attribute == sortKey.name {
                guard sortTerm == nil else { throw ItemError.validation("KeyConditionExpressions must only contain one condition per key") }
                sortTerm = term
            } else {
                throw ItemError.validation("Query condition missed key schema element: \(table.sortKey?.name ?? table.partitionKey.name)")
            }
        }
        guard let partition else { throw ItemError.validation("Query condition missed key schema element: \(table.partitionKey.name)") }
        self.partition = partition
        guard let sortTerm, let sortKey = table.sortKey else { return }
        func bytes(_ value: AttributeValue) throws(ItemError) -> [UInt8] {
            try Self.checkType(value, sortKey)
            return KeyBytes.of(value)
        }
        switch sortTerm {
        case .compare(_, let comparator, .value(let value)):
            let key = try bytes(value)
            switch comparator {
            case .equal: (lower, upper) = (.init(key, inclusive: true), .init(key, inclusive: true))
            case .less: upper = .init(key, inclusive: false)
            case .lessOrEqual: upper = .init(key, inclusive: true)
            case .greater: lower = .init(key, inclusive: false)
            case .greaterOrEqual: lower = .init(key, inclusive: true)
            case .notEqual: throw ItemError.validation("Unsupported operator on KeyConditionExpression: operator: <>")
            }
        case .between(_, .value(let low), .value(let high)):
            (lower, upper) = (.init(try bytes(low), inclusive: true), .init(try bytes(high), inclusive: true))
        case .beginsWith(_, .value(let prefix)):
            guard sortKey.type != "N" else {
                throw ExpressionKind.keyCondition.invalid(
                    "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")
            }
            let start = try bytes(prefix)
            lower = .init(start, inclusive: true)
            upper = KeyBytes.successor(ofPrefix: start).map { .init($0, inclusive: false) }
        default:
            throw ItemError.validation("Query key condition not supported")
        }
    }

    private static func flatten(_ condition: Condition, into terms: inout [Condition]) throws(ItemError) {
        switch condition {
        case .and(let left, let right):
            try flatten(left, into: &terms)
            try flatten(right, into: &terms)
        case .or: throw ExpressionKind.keyCondition.invalid("Invalid operator used in KeyConditionExpression: OR")
        case .not: throw ExpressionKind.keyCondition.invalid("Invalid operator used in KeyConditionExpression: NOT")
        case .isIn: throw ExpressionKind.keyCondition.invalid("Invalid operator used in KeyConditionExpression: IN")
        case .exists: throw ExpressionKind.keyCondition.invalid("Invalid operator used in KeyConditionExpression: attribute_exists")
        case .notExists: throw ExpressionKind.keyCondition.invalid("Invalid operator used in KeyConditionExpression: attribute_not_exists")
        case .type: throw ExpressionKind.keyCondition.invalid("Invalid operator used in KeyConditionExpression: attribute_type")
        case .contains: throw ExpressionKind.keyCondition.invalid("Invalid operator used in KeyConditionExpression: contains")
        default: terms.append(condition)
        }
    }

    /// The key attribute a term tests, with the term in `path op :value` order.
    private static func keyTerm(_ term: Condition) throws(ItemError) -> (String, Condition) {
        switch term {
        case .compare(.path(let path), let comparator, .value(let value)) where path.elements.count == 1:
            return (path.attribute, .compare(.path(path), comparator, .value(value)))
        case .compare(.value(let value), let comparator, .path(let path)) where path.elements.count == 1:
            let flipped: Comparator =
                switch comparator {
                case .less: .greater
                case .lessOrEqual: .greaterOrEqual
                case .greater: .less
                case .greaterOrEqual: .lessOrEqual
                default: comparator
                }
            return (path.attribute, .compare(.path(path), flipped, .value(value)))
        case .between(.path(let path), .value, .value) where path.elements.count == 1: return (path.attribute, term)
        case .beginsWith(.path(let path), .value) where path.elements.count == 1: return (path.attribute, term)
        default: throw ItemError.validation("Query key condition not supported")
        }
    }

    private static func checkType(_ value: AttributeValue, _ key: KeyAttribute) throws(ItemError) {
        guard value.typeName == key.type else { throw ItemError.invalidParameter("Condition parameter type does not match schema type") }
    }
}
