/// A request's `ExpressionAttributeNames` and `ExpressionAttributeValues`, and which of them its
/// expressions used: DynamoDB refuses a request that defines one it does not use, or uses one it
/// does not define.
public struct ExpressionAttributes: Sendable {
    public var names: [String: String]
    public var values: Item
    private(set) var usedNames: Set<String> = []
    private(set) var usedValues: Set<String> = []

    /// Checks the maps' keys (`#word`, `:word`), as DynamoDB does before reading any expression.
    public init(names: [String: String]?, values: Item?) throws(ItemError) {
        if let names, names.isEmpty { throw .validation("ExpressionAttributeNames must not be empty") }
        if let values, values.isEmpty { throw .validation("ExpressionAttributeValues must not be empty") }
        for key in (names ?? [:]).keys.sorted() where !Self.isReference(key, marker: "#") {
            throw .validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"\(key)\"")
        }
        for key in (values ?? [:]).keys.sorted() where !Self.isReference(key, marker: ":") {
            throw .validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"\(key)\"")
        }
        self.names = names ?? [:]
        self.values = values ?? [:]
    }

    private static func isReference(_ key: String, marker: Character) -> Bool {
        key.count > 1 && key.first == marker && key.dropFirst().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    mutating func name(_ reference: String, kind: ExpressionKind) throws(ItemError) -> String {
        guard let name = names[reference] else {
            throw kind.invalid("An expression attribute name used in the document path is not defined; attribute name: \(reference)")
        }
        usedNames.insert(reference)
        return name
    }

    mutating func value(_ reference: String, kind: ExpressionKind) throws(ItemError) -> AttributeValue {
        guard let value = values[reference] else {
            throw kind.invalid("An expression attribute value used in expression is not defined; attribute value: \(reference)")
        }
        usedValues.insert(reference)
        return value
    }

    /// After every expression of the request is read: refuses definitions no expression used.
    public func checkAllUsed() throws(ItemError) {
        let unusedValues = values.keys.filter { !usedValues.contains($0) }.sorted()
        if !unusedValues.isEmpty {
            throw .validation(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {\(unusedValues.joined(separator: ", "))}")
        }
        let unusedNames = names.keys.filter { !usedNames.contains($0) }.sorted()
        if !unusedNames.isEmpty {
            throw .validation(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {\(unusedNames.joined(separator: ", "))}")
        }
    }
}
