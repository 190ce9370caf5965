import PAMCore

/// The expressions of one request, read against its `ExpressionAttributeNames` and
/// `ExpressionAttributeValues`; `finish()` then refuses definitions that no expression used (or
/// that were given with no expression at all), as DynamoDB does.
struct DynamoDBExpressions {
    private var attributes: ExpressionAttributes
    private var sawExpression = false

    init(_ request: DynamoDBRequest) throws(ItemError) {
        attributes = try ExpressionAttributes(names: request.ExpressionAttributeNames, values: request.ExpressionAttributeValues)
    }

    init(names: [String: String]?) throws(ItemError) {
        attributes = try ExpressionAttributes(names: names, values: nil)
    }

    mutating func condition(_ text: String?, _ kind: ExpressionKind) throws(ItemError) -> Condition? {
        guard let text else { return nil }
        sawExpression = true
        return try ExpressionParser.condition(text, kind: kind, attributes: &attributes)
    }

    mutating func update(_ text: String?) throws(ItemError) -> UpdateExpression? {
        guard let text else { return nil }
        sawExpression = true
        return try ExpressionParser.update(text, attributes: &attributes)
    }

    /// The paths to return: the ProjectionExpression's, or the legacy AttributesToGet's (not both).
    mutating func projection(_ text: String?, attributesToGet: [String]?) throws(ItemError) -> [AttributePath]? {
        if let attributesToGet {
            guard text == nil else { throw Self.mixed("AttributesToGet", "ProjectionExpression") }
            guard !attributesToGet.isEmpty else {
                throw .validation(
                    "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1"
                )
            }
            guard Set(attributesToGet).count == attributesToGet.count else {
                throw .validation(
                    "One or more parameter values were invalid: Duplicate value in attribute name: \(attributesToGet.joined(separator: ", "))"
                )
            }
            return attributesToGet.map { AttributePath($0) }
        }
        guard let text else { return nil }
        sawExpression = true
        return try ExpressionParser.projection(text, attributes: &attributes)
    }

    static func mixed(_ legacy: String, _ expression: String) -> ItemError {
        .validation(
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {\(legacy)} "
                + "Expression parameters: {\(expression)}")
    }

    func finish() throws(ItemError) {
        if !sawExpression {
            if !attributes.values.isEmpty { throw .validation("ExpressionAttributeValues can only be specified when using expressions") }
            if !attributes.names.isEmpty { throw .validation("ExpressionAttributeNames can only be specified when using expressions") }
        }
        try attributes.checkAllUsed()
    }
}
