/// Conditions, lowest precedence first: `OR`, `AND`, `NOT`, then comparisons, `BETWEEN`, `IN`,
/// functions and parenthesised conditions.
extension ExpressionParser {
    mutating func parseOr() throws(ItemError) -> Condition {
        var left = try parseAnd()
        while current.isKeyword("OR") {
            position += 1
            left = .or(left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws(ItemError) -> Condition {
        var left = try parseNot()
        while current.isKeyword("AND") {
            position += 1
            left = .and(left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws(ItemError) -> Condition {
        if current.isKeyword("NOT") {
            position += 1
            return .not(try parseNot())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ItemError) -> Condition {
        if current.isSymbol("(") {
            position += 1
            let condition = try parseOr()
            try expectSymbol(")")
            return condition
        }
        if atFunctionCall {
            let name = current.text
            let arguments = try parseArguments { parser throws(ItemError) in try parser.parseConditionOperand() }
            switch name {
            case "attribute_exists", "attribute_not_exists":
                try operandCount(name, arguments, 1)
                let path = try documentPath(name, arguments[0])
                return name == "attribute_exists" ? .exists(path) : .notExists(path)
            case "attribute_type":
                try operandCount(name, arguments, 2)
                let path = try documentPath(name, arguments[0])
                if case .value(let value) = arguments[1] {
                    guard case .string(let type) = value else { throw incorrectType(name, value.typeName) }
                    guard AttributeValue.typeNames.contains(type) else {
                        throw kind.invalid("Invalid attribute type name found; type: \(type), valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}")
                    }
                }
                return .type(path, arguments[1])
            case "begins_with":
                try operandCount(name, arguments, 2)
                for case .value(let value) in arguments where value.typeName != "S" && value.typeName != "B" {
                    throw incorrectType(name, value.typeName)
                }
                return .beginsWith(arguments[0], arguments[1])
            case "contains":
                try operandCount(name, arguments, 2)
                return .contains(arguments[0], arguments[1])
            case "size":
                try operandCount(name, arguments, 1)
                let operand = Operand.size(try documentPath(name, arguments[0]))
                guard startsComparison else { throw unknownFunction(name) }
                return try parseComparison(operand)
            default:
                throw unknownFunction(name)
            }
        }
        return try parseComparison(try parseConditionOperand())
    }

    private var startsComparison: Bool {
        (current.kind == .symbol && Comparator(rawValue: current.text) != nil) || current.isKeyword("BETWEEN") || current.isKeyword("IN")
    }

    /// A path, `:value` or `size(path)`.
    private mutating func parseConditionOperand() throws(ItemError) -> Operand {
        if atFunctionCall {
            let name = current.text
            guard name == "size" else { throw unknownFunction(name) }
            let arguments = try parseArguments { parser throws(ItemError) in try parser.parseConditionOperand() }
            try operandCount(name, arguments, 1)
            return .size(try documentPath(name, arguments[0]))
        }
        guard current.kind == .valueReference || current.kind == .nameReference || current.kind == .identifier else { throw syntaxError() }
        if current.isKeyword("AND") || current.isKeyword("OR") || current.isKeyword("NOT") { throw syntaxError() }
        return try parsePathOrValue()
    }

    private mutating func parseComparison(_ left: Operand) throws(ItemError) -> Condition {
        if current.kind == .symbol, let comparator = Comparator(rawValue: current.text) {
            position += 1
            let right = try parseConditionOperand()
            if comparator != .equal, comparator != .notEqual {
                for case .value(let value) in [left, right] where !["S", "N", "B"].contains(value.typeName) {
                    throw incorrectType(comparator.rawValue, value.typeName)
                }
            }
            return .compare(left, comparator, right)
        }
        if current.isKeyword("BETWEEN") {
            position += 1
            let lower = try parseConditionOperand()
            guard current.isKeyword("AND") else { throw syntaxError() }
            position += 1
            let upper = try parseConditionOperand()
            for case .value(let value) in [left, lower, upper] where !["S", "N", "B"].contains(value.typeName) {
                throw incorrectType("BETWEEN", value.typeName)
            }
            if case .value(let low) = lower, case .value(let high) = upper, let order = ItemOrder.compare(low, high), order > 0 {
                throw kind.invalid(
                    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: "
                        + "AttributeValue: {\(low.typeName):\(ItemOrder.text(low))}, upper bound operand: AttributeValue: {\(high.typeName):\(ItemOrder.text(high))}"
                )
            }
            return .between(left, lower, upper)
        }
        if current.isKeyword("IN") {
            position += 1
            guard current.isSymbol("(") else { throw syntaxError() }
            position += 1
            var candidates = [try parseConditionOperand()]
            while current.isSymbol(",") {
                position += 1
                candidates.append(try parseConditionOperand())
            }
            try expectSymbol(")")
            if candidates.count > 100 {
                throw kind.invalid("The IN operator is provided with too many operands; number of operands: \(candidates.count)")
            }
            return .isIn(left, candidates)
        }
        throw syntaxError()
    }
}
