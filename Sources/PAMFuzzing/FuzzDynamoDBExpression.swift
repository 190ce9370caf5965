import Foundation
import PAMCore

extension FuzzTarget {
    /// Input: `<kind>\n<expression>`, kind `update`, `condition`, `projection` or `key` (anything
    /// else: a condition), read against fixed `#names` and `:values` and applied to a fixed item.
    package static let dynamoDBExpression = FuzzTarget(name: "dynamodb-expression") { data in fuzzDynamoDBExpression(data) }
}

private let fuzzItem: Item = [
    "pk": .string("p"), "Count": .number(3), "Images": .stringSet(["a.jpg", "b.jpg"]), "flag": .bool(true), "nothing": .null,
    "arr": .list([.number(1), .map(["c": .string("deep")]), .string("x")]), "doc": .map(["a": .map(["b": .number(2)])]),
    "bin": .binary(Data([0, 1, 2])), "nums": .numberSet([DecimalNumber(1), DecimalNumber(2)]),
]

private let fuzzTable = ItemTable(
    name: "fuzz", partitionKey: KeyAttribute(name: "pk", type: "S"), sortKey: KeyAttribute(name: "sk", type: "N"))

private func fuzzAttributes() -> ExpressionAttributes? {
    try? ExpressionAttributes(
        names: ["#a": "a", "#c": "Count", "#i": "Images", "#pk": "pk", "#sk": "sk"],
        values: [
            ":n": .number(1), ":big": .number(try DecimalNumber(parsing: "9.9999999999999999999999999999999999999E+125")),
            ":s": .string("x"), ":e": .string(""), ":b": .binary(Data([1])), ":t": .bool(false), ":z": .null, ":l": .list([.string("y")]),
            ":m": .map(["k": .number(1)]), ":ss": .stringSet(["a.jpg"]), ":ns": .numberSet([DecimalNumber(5)]),
            ":bs": .binarySet([Data([9])]), ":type": .string("SS"),
        ])
}

@discardableResult
package func fuzzDynamoDBExpression(_ data: Data) -> Bool {
    let text = String(decoding: data, as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let kind = parts.count == 2 ? String(parts[0]) : "condition"
    let expression = parts.count == 2 ? String(parts[1]) : text
    guard var attributes = fuzzAttributes() else { return false }
    switch kind {
    case "update":
        guard let update = try? ExpressionParser.update(expression, attributes: &attributes) else { return false }
        guard let updated = try? update.apply(to: fuzzItem) else { return true }
        // SET paths of names only are there afterwards; REMOVE paths of names only are gone.
        for (path, _) in update.sets where path.elements.allSatisfy(isName) {
            require(path.value(in: updated) != nil, "SET \(path) left nothing there in \(updated)")
        }
        for path in update.removes where path.elements.allSatisfy(isName) {
            require(path.value(in: updated) == nil, "REMOVE \(path) left a value")
        }
        require(AttributeValue.size(of: updated) >= 0, "negative size")
        return true
    case "projection":
        guard let paths = try? ExpressionParser.projection(expression, attributes: &attributes) else { return false }
        let projected = Projection.apply(paths, to: fuzzItem)
        require(projected.keys.allSatisfy { fuzzItem[$0] != nil }, "projection \(paths) invented attributes \(projected.keys)")
        return true
    case "key":
        guard let condition = try? ExpressionParser.condition(expression, kind: .keyCondition, attributes: &attributes),
            let key = try? KeyCondition(condition, table: fuzzTable)
        else { return false }
        require(key.partition.typeName == "S", "the partition key value \(key.partition) is not the schema's S")
        if let lower = key.lower, let upper = key.upper {
            // Bounds are the sort key's (N) ordered bytes, or a begins_with prefix (refused for N).
            require(lower.bytes.first.map { $0 <= 2 } ?? false, "lower bound \(lower.bytes) is not a number's bytes")
            require(upper.bytes.first.map { $0 <= 2 } ?? false, "upper bound \(upper.bytes) is not a number's bytes")
        }
        return true
    default:
        guard let condition = try? ExpressionParser.condition(expression, kind: .condition, attributes: &attributes) else { return false }
        let onItem = condition.holds(for: fuzzItem)
        // Evaluation is a function of the item: the same answer twice; NOT flips it.
        require(condition.holds(for: fuzzItem) == onItem, "condition answered differently twice")
        require(Condition.not(condition).holds(for: fuzzItem) == !onItem, "NOT did not flip \(condition)")
        _ = condition.holds(for: nil)
        return true
    }
}

private func isName(_ element: AttributePath.Element) -> Bool {
    if case .name = element { return true }
    return false
}
