import Foundation
import PAMCore
import Testing

/// The expression language on its own: parsing (precedence, paths, substitutions, refusals with
/// DynamoDB's messages) and evaluation over items.
@Suite("DynamoDB expressions")
struct ExpressionTests {
    static let values: Item = [
        ":zero": .number(0), ":one": .number(1), ":five": .number(5), ":ten": .number(10), ":sky": .string("Sky"), ":s": .string("S"),
        ":img": .stringSet(["b.jpg"]), ":key": .string("b.jpg"), ":list": .list([.string("z")]), ":t": .bool(true), ":pre": .string("Sk"),
        ":ns": .numberSet([DecimalNumber(7)]),
    ]
    static let names = ["#c": "Count", "#i": "Images", "#n": "name"]

    static let item: Item = [
        "Label": .string("Sky"), "Count": .number(3), "Images": .stringSet(["a.jpg", "b.jpg"]), "flag": .bool(true),
        "arr": .list([.number(1), .map(["c": .string("deep")]), .string("x")]), "doc": .map(["a": .map(["b": .number(2)])]),
        "name": .string("Skyline"), "nothing": .null, "nums": .numberSet([DecimalNumber(1), DecimalNumber(2)]),
    ]

    static func attributes(names: [String: String]? = nil, values: Item? = nil) throws -> ExpressionAttributes {
        try ExpressionAttributes(names: names ?? Self.names, values: values ?? Self.values)
    }

    static func condition(_ text: String, kind: ExpressionKind = .condition) throws -> Condition {
        var attributes = try attributes()
        return try ExpressionParser.condition(text, kind: kind, attributes: &attributes)
    }

    static func holds(_ text: String, on item: Item? = ExpressionTests.item) throws -> Bool {
        try condition(text).holds(for: item)
    }

    static func update(_ text: String, on item: Item = ExpressionTests.item) throws -> Item {
        var attributes = try attributes()
        return try ExpressionParser.update(text, attributes: &attributes).apply(to: item)
    }

    @Test(
        "conditions evaluate as DynamoDB's do",
        arguments: [
            ("Label = :sky", true), ("Label <> :sky", false), ("absent <> :sky", true), ("absent = :sky", false),
            ("#c > :one", true), ("#c >= :five", false), ("#c < :five AND #c > :zero", true), ("#c BETWEEN :one AND :five", true),
            ("#c BETWEEN :five AND :ten", false), ("Label BETWEEN :one AND :five", false), ("#c IN (:one, :five, :zero)", false),
            ("Label IN (:one, :sky)", true), ("attribute_exists(#i)", true), ("attribute_not_exists(#i)", false),
            ("attribute_exists(doc.a.b)", true), ("attribute_exists(doc.a.c)", false), ("attribute_exists(arr[1].c)", true),
            ("attribute_exists(arr[5])", false), ("attribute_type(#c, :s)", false), ("attribute_type(Label, :s)", true),
            ("begins_with(#n, :pre)", true), ("begins_with(Label, :sky)", true), ("begins_with(#c, :pre)", false),
            ("contains(#i, :key)", true), ("NOT contains(#i, :key)", false), ("contains(#n, :pre)", true), ("contains(arr, :one)", true),
            ("contains(nums, :one)", true), ("size(#i) = :one", false), ("size(#n) > :five", true),
            ("size(arr) BETWEEN :one AND :five", true),
            ("size(absent) = :zero", false), ("doc.a.b > :one", true), ("arr[0] = :one", true), ("arr[2] = :one", false),
            ("flag = :t", true),
            // Precedence: NOT binds tighter than AND, AND tighter than OR; parentheses override.
            ("#c = :zero OR #c = :one OR Label = :sky", true), ("Label = :sky OR #c = :zero AND #c = :one", true),
            ("(Label = :sky OR #c = :zero) AND #c = :one", false), ("NOT Label = :sky OR #c = :five", false),
            ("NOT (Label = :sky AND #c = :five)", true), ("NOT NOT attribute_exists(Label)", true),
            ("not Label = :sky or label = :sky", false), ("((((Label = :sky))))", true),
        ])
    func conditions(_ text: String, _ expected: Bool) throws {
        #expect(try Self.holds(text) == expected, "\(text)")
    }

    @Test("a condition on no item sees every attribute missing")
    func noItem() throws {
        #expect(try Self.holds("attribute_not_exists(Label)", on: nil))
        #expect(try Self.holds("NOT contains(#i, :key)", on: nil))
        #expect(try !Self.holds("#c >= :zero", on: nil))
    }

    @Test("the reference handlers' updates")
    func referenceUpdates() throws {
        var attributes = try ExpressionAttributes(
            names: ["#Count": "Count"],
            values: [":zero": .number(0), ":one": .number(1), ":empty": .list([]), ":images": .list([.string("p.jpg")])])
        let first = try ExpressionParser.update(
            "SET #Count = if_not_exists(#Count, :zero) + :one, Images = list_append(if_not_exists(Images, :empty), :images)",
            attributes: &attributes)
        try attributes.checkAllUsed()
        let created = try first.apply(to: ["Label": .string("Sky")])
        #expect(created == ["Label": .string("Sky"), "Count": .number(1), "Images": .list([.string("p.jpg")])])
        #expect(try first.apply(to: created)["Count"] == .number(2))
        #expect(try first.apply(to: created)["Images"] == .list([.string("p.jpg"), .string("p.jpg")]))

        var second = try ExpressionAttributes(names: ["#count": "count"], values: [":countval": .number(1)])
        let add = try ExpressionParser.update("ADD #count :countval", attributes: &second)
        #expect(try add.apply(to: [:]) == ["count": .number(1)])
        #expect(try add.apply(to: ["count": .number(41)]) == ["count": .number(42)])

        let counted = try Self.update("ADD #c :one, #i :img")
        #expect(counted["Count"] == .number(4) && counted["Images"] == .stringSet(["a.jpg", "b.jpg"]))
        let removed = try Self.update("DELETE #i :img ADD #c :one")
        #expect(removed["Images"] == .stringSet(["a.jpg"]))
        let emptied = try Self.update("DELETE #i :img", on: ["Images": .stringSet(["b.jpg"])])
        #expect(emptied["Images"] == nil)
    }

    @Test("SET, REMOVE, ADD, DELETE on nested paths and lists")
    func updates() throws {
        #expect(try Self.update("SET doc.a.b = :five")["doc"] == .map(["a": .map(["b": .number(5)])]))
        #expect(try Self.update("SET doc.a.z = :five")["doc"] == .map(["a": .map(["b": .number(2), "z": .number(5)])]))
        #expect(try Self.update("SET arr[1].c = :sky")["arr"] == .list([.number(1), .map(["c": .string("Sky")]), .string("x")]))
        #expect(
            try Self.update("SET arr[9] = :sky")["arr"]
                == .list([.number(1), .map(["c": .string("deep")]), .string("x"), .string("Sky")]))
        #expect(try Self.update("REMOVE arr[0], arr[2]")["arr"] == .list([.map(["c": .string("deep")])]))
        #expect(try Self.update("REMOVE arr[2], arr[0]")["arr"] == .list([.map(["c": .string("deep")])]))
        #expect(try Self.update("REMOVE absent, doc.a.b")["doc"] == .map(["a": .map([:])]))
        #expect(try Self.update("SET #c = #c - :five")["Count"] == .number(-2))
        #expect(try Self.update("SET x = :ten + #c")["x"] == .number(13))
        #expect(try Self.update("SET arr = list_append(:list, arr)")["arr"]?.listCount == 4)
        #expect(
            try Self.update("set a = :one remove flag add nums :ns delete #i :img")["nums"]
                == .numberSet([1, 2, 7].map(DecimalNumber.init)))
        #expect(try Self.update("SET a = :one, b = :five")["b"] == .number(5))
        // Every SET value is computed from the item as it was.
        #expect(try Self.update("SET #c = :ten, y = #c")["y"] == .number(3))
    }

    @Test(
        "update refusals, with DynamoDB's messages",
        arguments: [
            ("SET doc.nope.b = :one", "The document path provided in the update expression is invalid for update"),
            ("SET x = absent", "The provided expression refers to an attribute that does not exist in the item"),
            ("SET x = Label + :one", "An operand in the update expression has an incorrect data type"),
            ("ADD Label :one", "An operand in the update expression has an incorrect data type"),
            ("SET x = list_append(Label, :list)", "An operand in the update expression has an incorrect data type"),
            ("DELETE nums :img", "An operand in the update expression has an incorrect data type"),
        ])
    func updateRefusals(_ text: String, _ message: String) {
        #expect(throws: ItemError.validation(message)) { try Self.update(text) }
    }

    @Test(
        "parse refusals, with DynamoDB's messages",
        arguments: [
            ("SET", ExpressionKind.update, "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"SET\""),
            ("SET a = :one,", .update, "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \",\""),
            ("SET a :one", .update, "Invalid UpdateExpression: Syntax error; token: \":one\", near: \"a :one\""),
            ("PUT a = :one", .update, "Invalid UpdateExpression: Syntax error; token: \"PUT\", near: \"PUT a\""),
            (
                "SET a = :one SET b = :one", .update,
                "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"
            ),
            ("SET a = :one + :one + :one", .update, "Invalid UpdateExpression: Syntax error; token: \"+\", near: \":one + :one\""),
            (
                "SET a = :nope", .update,
                "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope"
            ),
            (
                "SET #nope = :one", .update,
                "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #nope"
            ),
            ("ADD Count :one", .update, "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Count"),
            (
                "ADD a :sky", .update,
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING"
            ),
            (
                "DELETE a :one", .update,
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER"
            ),
            (
                "SET a = :sky + :one", .update,
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"
            ),
            (
                "SET a = list_append(:one, a)", .update,
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N"
            ),
            (
                "SET a = if_not_exists(:one, :one)", .update,
                "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"
            ),
            ("SET a = size(b)", .update, "Invalid UpdateExpression: The function is not allowed in an update expression; function: size"),
            ("SET a = foo(b)", .update, "Invalid UpdateExpression: Invalid function name; function: foo"),
            (
                "SET a = :one, a.b = :one", .update,
                "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"
            ),
            (
                "SET a = :one REMOVE a", .update,
                "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"
            ),
            ("   ", .update, "Invalid UpdateExpression: The expression can not be empty;"),
            ("a = :one AND", .condition, "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\""),
            ("a = = :one", .condition, "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"= = :one\""),
            ("(a = :one", .condition, "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \":one\""),
            ("a @ :one", .filter, "Invalid FilterExpression: Syntax error; token: \"@\", near: \"@\""),
            (
                "size(a)", .condition,
                "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"
            ),
            ("nope(a)", .condition, "Invalid ConditionExpression: Invalid function name; function: nope"),
            (
                "attribute_exists(a, b)", .condition,
                "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"
            ),
            (
                "attribute_exists(:one)", .condition,
                "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists"
            ),
            (
                "attribute_type(a, :sky)", .condition,
                "Invalid ConditionExpression: Invalid attribute type name found; type: Sky, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"
            ),
            (
                "begins_with(a, :one)", .condition,
                "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"
            ),
            (
                "a < :t", .filter,
                "Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"
            ),
            (
                "a BETWEEN :ten AND :one", .condition,
                "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}"
            ),
            ("a = :one, b", .projection, "Invalid ProjectionExpression: Syntax error; token: \"=\", near: \"a = :one\""),
        ])
    func parseRefusals(_ text: String, _ kind: ExpressionKind, _ message: String) throws {
        var attributes = try Self.attributes()
        #expect(throws: ItemError.validation(message)) {
            switch kind {
            case .update: _ = try ExpressionParser.update(text, attributes: &attributes)
            case .projection: _ = try ExpressionParser.projection(text, attributes: &attributes)
            default: _ = try ExpressionParser.condition(text, kind: kind, attributes: &attributes)
            }
        }
    }

    @Test("unused and malformed names and values are refused")
    func unused() throws {
        var attributes = try ExpressionAttributes(names: ["#a": "a", "#b": "b"], values: [":x": .number(1), ":y": .number(2)])
        _ = try ExpressionParser.condition("#a = :y", kind: .condition, attributes: &attributes)
        #expect(throws: ItemError.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}")) {
            try attributes.checkAllUsed()
        }
        _ = try ExpressionParser.update("SET #a = :x", attributes: &attributes)
        #expect(throws: ItemError.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}")) {
            try attributes.checkAllUsed()
        }
        #expect(throws: ItemError.validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"")) {
            try ExpressionAttributes(names: ["a": "a"], values: nil)
        }
        #expect(throws: ItemError.validation("ExpressionAttributeValues must not be empty")) {
            try ExpressionAttributes(names: nil, values: [:])
        }
    }

    @Test("projections keep the item's nesting; selected arr elements close up")
    func projections() throws {
        var attributes = try Self.attributes()
        let paths = try ExpressionParser.projection("Label, doc.a.b, arr[2], arr[0], #n, absent", attributes: &attributes)
        let projected = Projection.apply(paths, to: Self.item)
        #expect(
            projected == [
                "Label": .string("Sky"), "doc": .map(["a": .map(["b": .number(2)])]), "arr": .list([.number(1), .string("x")]),
                "name": .string("Skyline"),
            ])
    }

    @Test("key conditions become the store's bounds; other shapes are refused")
    func keyConditions() throws {
        let table = ItemTable(
            name: "t", partitionKey: KeyAttribute(name: "pk", type: "S"), sortKey: KeyAttribute(name: "sk", type: "N"))
        func key(_ text: String) throws -> KeyCondition {
            var plain = try ExpressionAttributes(names: nil, values: Self.values)
            return try KeyCondition(try ExpressionParser.condition(text, kind: .keyCondition, attributes: &plain), table: table)
        }
        let between = try key("pk = :sky AND sk BETWEEN :one AND :five")
        #expect(between.partition == .string("Sky"))
        #expect(between.lower == ItemQuery.Bound(DecimalNumber(1).orderedBytes, inclusive: true))
        #expect(between.upper == ItemQuery.Bound(DecimalNumber(5).orderedBytes, inclusive: true))
        #expect(try key(":one < sk AND pk = :sky").lower == ItemQuery.Bound(DecimalNumber(1).orderedBytes, inclusive: false))
        #expect(throws: ItemError.validation("Query condition missed key schema element: pk")) { try key("sk = :one") }
        #expect(throws: ItemError.validation("Query key condition not supported")) { try key("pk > :sky") }
        #expect(throws: ItemError.validation("Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR")) {
            try key("pk = :sky OR sk = :one")
        }
        #expect(
            throws: ItemError.validation("One or more parameter values were invalid: Condition parameter type does not match schema type")
        ) {
            try key("pk = :one")
        }
        #expect(throws: ItemError.validation("KeyConditionExpressions must only contain one condition per key")) {
            try key("pk = :sky AND sk > :one AND sk < :five")
        }
    }
}

extension AttributeValue {
    fileprivate var listCount: Int? { if case .list(let values) = self { values.count } else { nil } }
}
