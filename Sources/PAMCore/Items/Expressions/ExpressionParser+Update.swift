/// Update expressions: `SET path = value[, …]`, `REMOVE path[, …]`, `ADD path :value[, …]`,
/// `DELETE path :value[, …]`, each section at most once, in any order. A SET value is an operand
/// (path, `:value`, `if_not_exists(path, value)`, `list_append(value, value)`), optionally `+` or
/// `-` another.
extension ExpressionParser {
    mutating func parseUpdate() throws(ItemError) -> UpdateExpression {
        var update = UpdateExpression()
        var seen: Set<String> = []
        repeat {
            guard current.kind == .identifier else { throw syntaxError() }
            let section = current.text.uppercased()
            guard ["SET", "REMOVE", "ADD", "DELETE"].contains(section) else { throw syntaxError() }
            guard seen.insert(section).inserted else {
                throw kind.invalid("The \"\(section)\" section can only be used once in an update expression;")
            }
            position += 1
            repeat {
                if current.isSymbol(",") { position += 1 }
                switch section {
                case "SET":
                    let path = try parsePath()
                    try expectSymbol("=")
                    update.sets.append((path, try parseSetValue()))
                case "REMOVE":
                    update.removes.append(try parsePath())
                case "ADD":
                    let path = try parsePath()
                    let value = try parseValueReference()
                    guard ["N", "SS", "NS", "BS"].contains(value.typeName) else {
                        throw kind.invalid(
                            "Incorrect operand type for operator or function; operator: ADD, operand type: \(Self.longTypeName(value))")
                    }
                    update.adds.append((path, value))
                default:
                    let path = try parsePath()
                    let value = try parseValueReference()
                    guard ["SS", "NS", "BS"].contains(value.typeName) else {
                        throw kind.invalid(
                            "Incorrect operand type for operator or function; operator: DELETE, operand type: \(Self.longTypeName(value))")
                    }
                    update.deletes.append((path, value))
                }
            } while current.isSymbol(",")
        } while current.kind != .end
        try Self.checkOverlaps(update.paths, kind: .update)
        return update
    }

    /// The type names ADD and DELETE print.
    static func longTypeName(_ value: AttributeValue) -> String {
        switch value {
        case .string: "STRING"
        case .number: "NUMBER"
        case .binary: "BINARY"
        case .bool: "BOOLEAN"
        case .null: "NULL"
        case .list: "LIST"
        case .map: "MAP"
        default: value.typeName
        }
    }

    private mutating func parseSetValue() throws(ItemError) -> Operand {
        let left = try parseSetOperand()
        guard current.isSymbol("+") || current.isSymbol("-") else { return left }
        let plus = current.isSymbol("+")
        position += 1
        let right = try parseSetOperand()
        for case .value(let value) in [left, right] where value.typeName != "N" {
            throw incorrectType(plus ? "+" : "-", value.typeName)
        }
        return plus ? .plus(left, right) : .minus(left, right)
    }

    private mutating func parseSetOperand() throws(ItemError) -> Operand {
        guard atFunctionCall else { return try parsePathOrValue() }
        let name = current.text
        switch name {
        case "if_not_exists":
            let arguments = try parseArguments { parser throws(ItemError) in try parser.parseSetValue() }
            try operandCount(name, arguments, 2)
            return .ifNotExists(try documentPath(name, arguments[0]), arguments[1])
        case "list_append":
            let arguments = try parseArguments { parser throws(ItemError) in try parser.parseSetValue() }
            try operandCount(name, arguments, 2)
            for case .value(let value) in arguments where value.typeName != "L" { throw incorrectType(name, value.typeName) }
            return .listAppend(arguments[0], arguments[1])
        default:
            if Self.conditionFunctions.contains(name) {
                throw kind.invalid("The function is not allowed in an update expression; function: \(name)")
            }
            throw kind.invalid("Invalid function name; function: \(name)")
        }
    }
}
