/// DynamoDB's expression language, read by recursive descent over `ExpressionTokenizer`'s tokens:
/// conditions (`OR` < `AND` < `NOT` < comparisons, `BETWEEN`, `IN`, functions, parentheses),
/// update expressions (`SET`, `REMOVE`, `ADD`, `DELETE` sections) and projections. `#names` and
/// `:values` are substituted while reading (and their use recorded in `attributes`); refusals are
/// DynamoDB's `ValidationException`s with its messages.
public struct ExpressionParser {
    let kind: ExpressionKind
    let characters: [Character]
    let tokens: [ExpressionToken]
    var position = 0
    var attributes: ExpressionAttributes

    init(_ text: String, kind: ExpressionKind, attributes: ExpressionAttributes) throws(ItemError) {
        guard !text.allSatisfy(\.isWhitespace) else { throw kind.invalid("The expression can not be empty;") }
        self.kind = kind
        self.characters = Array(text)
        self.tokens = try ExpressionTokenizer.tokens(text, kind: kind)
        self.attributes = attributes
    }

    // MARK: Entry points

    /// A ConditionExpression, FilterExpression or KeyConditionExpression.
    public static func condition(_ text: String, kind: ExpressionKind, attributes: inout ExpressionAttributes) throws(ItemError)
        -> Condition
    {
        var parser = try ExpressionParser(text, kind: kind, attributes: attributes)
        let condition = try parser.parseOr()
        try parser.expectEnd()
        attributes = parser.attributes
        return condition
    }

    /// An UpdateExpression.
    public static func update(_ text: String, attributes: inout ExpressionAttributes) throws(ItemError) -> UpdateExpression {
        var parser = try ExpressionParser(text, kind: .update, attributes: attributes)
        let update = try parser.parseUpdate()
        attributes = parser.attributes
        return update
    }

    /// A ProjectionExpression: the paths to return.
    public static func projection(_ text: String, attributes: inout ExpressionAttributes) throws(ItemError) -> [AttributePath] {
        var parser = try ExpressionParser(text, kind: .projection, attributes: attributes)
        var paths = [try parser.parsePath()]
        while parser.current.isSymbol(",") {
            parser.position += 1
            paths.append(try parser.parsePath())
        }
        try parser.expectEnd()
        try checkOverlaps(paths, kind: .projection)
        attributes = parser.attributes
        return paths
    }

    // MARK: Tokens

    var current: ExpressionToken { tokens[position] }
    var next: ExpressionToken { tokens[min(position + 1, tokens.count - 1)] }

    /// `Syntax error; token: "…", near: "…"` at the current token: its text, and the source from
    /// the token before it to the token after it.
    func syntaxError() -> ItemError {
        let token = current
        let start = position > 0 ? tokens[position - 1].start : token.start
        let end = token.kind == .end ? token.end : next.kind == .end ? token.end : next.end
        return ExpressionTokenizer.syntaxError(kind, token: token.text, characters: characters, start: start, end: end)
    }

    mutating func expectSymbol(_ symbol: String) throws(ItemError) {
        guard current.isSymbol(symbol) else { throw syntaxError() }
        position += 1
    }

    func expectEnd() throws(ItemError) {
        guard current.kind == .end else { throw syntaxError() }
    }

    var atFunctionCall: Bool { current.kind == .identifier && next.isSymbol("(") }

    // MARK: Paths and operands

    mutating func parsePath() throws(ItemError) -> AttributePath {
        var elements = [AttributePath.Element.name(try parseName())]
        while true {
            if current.isSymbol(".") {
                position += 1
                elements.append(.name(try parseName()))
            } else if current.isSymbol("[") {
                position += 1
                guard current.kind == .integer, let index = Int(current.text) else { throw syntaxError() }
                position += 1
                try expectSymbol("]")
                elements.append(.index(index))
            } else {
                return AttributePath(elements)
            }
        }
    }

    private mutating func parseName() throws(ItemError) -> String {
        let token = current
        switch token.kind {
        case .nameReference:
            position += 1
            return try attributes.name(token.text, kind: kind)
        case .identifier:
            if ReservedWords.contains(token.text) {
                throw kind.invalid("Attribute name is a reserved keyword; reserved keyword: \(token.text)")
            }
            position += 1
            return token.text
        default:
            throw syntaxError()
        }
    }

    mutating func parseValueReference() throws(ItemError) -> AttributeValue {
        guard current.kind == .valueReference else { throw syntaxError() }
        let reference = current.text
        position += 1
        return try attributes.value(reference, kind: kind)
    }

    /// A path or a `:value`.
    mutating func parsePathOrValue() throws(ItemError) -> Operand {
        current.kind == .valueReference ? .value(try parseValueReference()) : .path(try parsePath())
    }

    /// The arguments of a call whose name is the current token.
    mutating func parseArguments(_ parseOne: (inout ExpressionParser) throws(ItemError) -> Operand) throws(ItemError) -> [Operand] {
        position += 2
        var arguments = [try parseOne(&self)]
        while current.isSymbol(",") {
            position += 1
            arguments.append(try parseOne(&self))
        }
        try expectSymbol(")")
        return arguments
    }

    func operandCount(_ function: String, _ arguments: [Operand], _ count: Int) throws(ItemError) {
        guard arguments.count == count else {
            throw kind.invalid(
                "Incorrect number of operands for operator or function; operator or function: \(function), number of operands: \(arguments.count)"
            )
        }
    }

    func documentPath(_ function: String, _ operand: Operand) throws(ItemError) -> AttributePath {
        guard case .path(let path) = operand else {
            throw kind.invalid("Operator or function requires a document path; operator or function: \(function)")
        }
        return path
    }

    func incorrectType(_ function: String, _ type: String) -> ItemError {
        kind.invalid("Incorrect operand type for operator or function; operator or function: \(function), operand type: \(type)")
    }

    static let conditionFunctions: Set<String> = [
        "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size",
    ]
    static let updateFunctions: Set<String> = ["if_not_exists", "list_append"]

    func unknownFunction(_ name: String) -> ItemError {
        if Self.conditionFunctions.contains(name) || Self.updateFunctions.contains(name) {
            return kind.invalid("The function is not allowed to be used this way in an expression; function: \(name)")
        }
        return kind.invalid("Invalid function name; function: \(name)")
    }

    // MARK: Overlapping paths

    static func checkOverlaps(_ paths: [AttributePath], kind: ExpressionKind) throws(ItemError) {
        for (index, path) in paths.enumerated() {
            for other in paths[(index + 1)...] where path.overlaps(other) {
                throw kind.invalid(
                    "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: \(path), path two: \(other)"
                )
            }
        }
    }
}
