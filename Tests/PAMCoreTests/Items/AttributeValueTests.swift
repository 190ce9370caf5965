import Foundation
import PAMCore
import Testing

@Suite("Attribute values and DynamoDB numbers")
struct AttributeValueTests {
    @Test(
        "numbers parse to DynamoDB's canonical form",
        arguments: [
            ("0", "0"), ("-0", "0"), ("0.000", "0"), ("007", "7"), ("1.0", "1"), ("1.50", "1.5"), ("+3", "3"), ("1e2", "100"),
            ("1E+2", "100"), ("12.5e-3", "0.0125"), (".5", "0.5"), ("5.", "5"), ("-12.340", "-12.34"),
            ("1e-130", "0." + String(repeating: "0", count: 129) + "1"),
            ("99999999999999999999999999999999999999", "99999999999999999999999999999999999999"),
            ("9.9999999999999999999999999999999999999E+125", "99999999999999999999999999999999999999" + String(repeating: "0", count: 88)),
        ])
    func canonical(_ input: String, _ expected: String) throws {
        #expect(try DecimalNumber(parsing: input).description == expected)
    }

    @Test(
        "numbers DynamoDB refuses, with its messages",
        arguments: [
            ("abc", "The parameter cannot be converted to a numeric value: abc"),
            ("", "The parameter cannot be converted to a numeric value"),
            ("1.2.3", "The parameter cannot be converted to a numeric value: 1.2.3"),
            ("1e", "The parameter cannot be converted to a numeric value: 1e"),
            (" 1", "The parameter cannot be converted to a numeric value:  1"),
            ("NaN", "The parameter cannot be converted to a numeric value: NaN"),
            ("123456789012345678901234567890123456789", "Attempting to store more than 38 significant digits in a Number"),
            ("1e126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
            ("-1e126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
            ("1e-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
            ("1e99999999999", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
        ])
    func refused(_ input: String, _ message: String) {
        #expect(throws: ItemError.validation(message)) { try DecimalNumber(parsing: input) }
    }

    @Test("exact arithmetic and order, across signs and scales")
    func arithmetic() throws {
        func n(_ text: String) throws -> DecimalNumber { try DecimalNumber(parsing: text) }
        #expect(try n("0.1").adding(n("0.2")).description == "0.3")
        #expect(try n("1").subtracting(n("1.0001")).description == "-0.0001")
        #expect(try n("-5").adding(n("3")).description == "-2")
        #expect(try n("999").adding(n("1")).description == "1000")
        #expect(try n("1e100").adding(n("-1e100")).description == "0")
        #expect(try n("123456789012345678901234567890").adding(n("0.5")).description == "123456789012345678901234567890.5")
        #expect(throws: ItemError.validation("Attempting to store more than 38 significant digits in a Number")) {
            try n("1e30").adding(n("1e-10"))
        }
        let sorted = try ["10", "-1.5", "0", "2", "-1", "1.05", "-100", "1", "0.001"].map(n).sorted()
        #expect(sorted.map(\.description) == ["-100", "-1.5", "-1", "0", "0.001", "1", "1.05", "2", "10"])
        // The storage key bytes sort the same way.
        let byBytes = try ["10", "-1.5", "0", "2", "-1", "1.05", "-100", "1", "0.001", "-1.05"].map(n).sorted {
            $0.orderedBytes.lexicographicallyPrecedes($1.orderedBytes)
        }
        #expect(byBytes == byBytes.sorted())
        #expect(try n("1.0") == n("1") && n("1").intValue == 1 && n("1.5").intValue == nil)
    }

    @Test("every type round-trips through DynamoDB JSON; sets compare without order; strings by bytes")
    func json() throws {
        let text = #"""
            {"s":{"S":"Sky"},"n":{"N":"1.50"},"b":{"B":"AAEC"},"t":{"BOOL":true},"z":{"NULL":true},"ss":{"SS":["b","a"]},
             "ns":{"NS":["10","2"]},"bs":{"BS":["AQ==","AA=="]},"l":{"L":[{"S":"x"},{"N":"1"}]},"m":{"M":{"k":{"SS":["v"]}}}}
            """#
        let item = try JSONDecoder().decode(Item.self, from: Data(text.utf8))
        #expect(item["n"] == .number(try DecimalNumber(parsing: "1.5")))
        #expect(item["b"] == .binary(Data([0, 1, 2])))
        #expect(item["ss"] == .stringSet(["a", "b"]))
        #expect(item["ns"]?.typeName == "NS" && item["z"] == .null)
        let again = try JSONDecoder().decode(Item.self, from: JSONEncoder().encode(item))
        #expect(again == item)
        let encoded = String(decoding: try JSONEncoder().encode(item["n"]!), as: UTF8.self)
        #expect(encoded == #"{"N":"1.5"}"#)
        #expect(AttributeValue.string("\u{E9}") != .string("e\u{301}"))
    }

    @Test(
        "attribute values DynamoDB refuses, with its messages",
        arguments: [
            (#"{}"#, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
            (
                #"{"S":"a","N":"1"}"#,
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
            ),
            (#"{"NULL":false}"#, "One or more parameter values were invalid: Null attribute value types must have the value of true"),
            (#"{"SS":[]}"#, "One or more parameter values were invalid: An string set  may not be empty"),
            (#"{"NS":[]}"#, "One or more parameter values were invalid: An number set  may not be empty"),
            (#"{"BS":[]}"#, "One or more parameter values were invalid: Binary sets should not be empty"),
            (#"{"SS":["a","a"]}"#, "One or more parameter values were invalid: Input collection [a, a] contains duplicates."),
            (#"{"NS":["1","1.0"]}"#, "One or more parameter values were invalid: Input collection contains duplicates"),
            (#"{"N":"x"}"#, "The parameter cannot be converted to a numeric value: x"),
        ])
    func refusedValues(_ json: String, _ message: String) {
        #expect(throws: ItemError.validation(message)) { try JSONDecoder().decode(AttributeValue.self, from: Data(json.utf8)) }
    }

    @Test("key bytes order strings and binaries by unsigned bytes; prefix successors")
    func keyBytes() {
        #expect(KeyBytes.of(.string("a")).lexicographicallyPrecedes(KeyBytes.of(.string("ab"))))
        #expect(KeyBytes.of(.string("Z")).lexicographicallyPrecedes(KeyBytes.of(.string("a"))))
        #expect(KeyBytes.successor(ofPrefix: [0x61, 0xFF]) == [0x62])
        #expect(KeyBytes.successor(ofPrefix: [0xFF]) == nil)
    }
}
