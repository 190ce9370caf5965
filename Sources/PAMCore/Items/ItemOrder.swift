import Foundation

/// DynamoDB's order of scalar values: numbers by value, strings and binaries by their bytes
/// (unsigned). Values of different types, or of other types, have no order.
public enum ItemOrder {
    /// Negative, zero or positive as `left` sorts before, with or after `right`; nil when they
    /// cannot be compared.
    public static func compare(_ left: AttributeValue, _ right: AttributeValue) -> Int? {
        switch (left, right) {
        case (.number(let a), .number(let b)): a < b ? -1 : a == b ? 0 : 1
        case (.string(let a), .string(let b)): bytes(Array(a.utf8), Array(b.utf8))
        case (.binary(let a), .binary(let b)): bytes(Array(a), Array(b))
        default: nil
        }
    }

    private static func bytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a == b ? 0 : a.lexicographicallyPrecedes(b) ? -1 : 1
    }

    /// A scalar as DynamoDB prints it inside messages (`{N:5}`).
    static func text(_ value: AttributeValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): number.description
        case .binary(let data): data.base64EncodedString()
        default: value.typeName
        }
    }
}
