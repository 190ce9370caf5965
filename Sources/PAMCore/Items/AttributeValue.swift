import Foundation

/// An item: attribute name → value.
public typealias Item = [String: AttributeValue]

/// A DynamoDB attribute value, in its JSON form on the wire (`{"S": "Sky"}`, `{"N": "3"}`,
/// `{"SS": […]}`, `{"M": {…}}`). Decoding refuses what DynamoDB refuses, with its messages: an
/// empty or multi-typed value, a NULL that is not true, a number it cannot store, an empty set, a
/// set with duplicates. Sets are kept sorted (DynamoDB's sets have no order), so equal sets are
/// equal values; strings compare by their UTF-8 bytes, as DynamoDB compares them.
public enum AttributeValue: Sendable, Hashable {
    case string(String)
    case number(DecimalNumber)
    case binary(Data)
    case bool(Bool)
    case null
    case stringSet([String])
    case numberSet([DecimalNumber])
    case binarySet([Data])
    case list([AttributeValue])
    case map([String: AttributeValue])

    /// The type's name as DynamoDB writes it (`S`, `NS`, `M` …).
    public var typeName: String {
        switch self {
        case .string: "S"
        case .number: "N"
        case .binary: "B"
        case .bool: "BOOL"
        case .null: "NULL"
        case .stringSet: "SS"
        case .numberSet: "NS"
        case .binarySet: "BS"
        case .list: "L"
        case .map: "M"
        }
    }

    public static let typeNames: Set<String> = ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"]

    /// A string set from any strings: duplicates dropped, sorted.
    public static func stringSet(of values: some Sequence<String>) -> AttributeValue {
        .stringSet(Self.sortedUnique(Array(values)))
    }

    /// A number from Int.
    public static func number(_ value: Int) -> AttributeValue { .number(DecimalNumber(value)) }

    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    public var numberValue: DecimalNumber? { if case .number(let value) = self { value } else { nil } }
    public var intValue: Int? { numberValue?.intValue }
    public var stringSetValue: [String]? { if case .stringSet(let value) = self { value } else { nil } }

    // MARK: Sets

    /// Sorted by UTF-8 bytes, duplicates (by bytes) removed.
    static func sortedUnique(_ strings: [String]) -> [String] {
        var result: [String] = []
        for string in strings.sorted(by: AttributeValue.utf8Less) where result.last.map({ !$0.utf8.elementsEqual(string.utf8) }) ?? true {
            result.append(string)
        }
        return result
    }

    static func sortedUnique(_ numbers: [DecimalNumber]) -> [DecimalNumber] {
        var result: [DecimalNumber] = []
        for number in numbers.sorted() where result.last != number { result.append(number) }
        return result
    }

    static func sortedUnique(_ blobs: [Data]) -> [Data] {
        var result: [Data] = []
        for blob in blobs.sorted(by: { $0.lexicographicallyPrecedes($1) }) where result.last != blob { result.append(blob) }
        return result
    }

    public static func utf8Less(_ left: String, _ right: String) -> Bool { left.utf8.lexicographicallyPrecedes(right.utf8) }

    // MARK: Equality by bytes

    public static func == (lhs: AttributeValue, rhs: AttributeValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
        case (.number(let a), .number(let b)): a == b
        case (.binary(let a), .binary(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.stringSet(let a), .stringSet(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
        case (.numberSet(let a), .numberSet(let b)): a == b
        case (.binarySet(let a), .binarySet(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.map(let a), .map(let b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(typeName)
        switch self {
        case .string(let value): hasher.combine(Array(value.utf8))
        case .number(let value): hasher.combine(value)
        case .binary(let value): hasher.combine(value)
        case .bool(let value): hasher.combine(value)
        case .null: break
        case .stringSet(let values): for value in values { hasher.combine(Array(value.utf8)) }
        case .numberSet(let values): hasher.combine(values)
        case .binarySet(let values): hasher.combine(values)
        case .list(let values): hasher.combine(values)
        case .map(let values): hasher.combine(values)
        }
    }

    // MARK: Size

    /// DynamoDB's size of the value in bytes (strings and binaries their length, numbers about a
    /// byte per two digits, containers 3 bytes plus a byte per element), for the 400 KB item limit.
    public var size: Int {
        switch self {
        case .string(let value): value.utf8.count
        case .number(let value): Self.numberSize(value)
        case .binary(let value): value.count
        case .bool, .null: 1
        case .stringSet(let values): values.reduce(0) { $0 + $1.utf8.count }
        case .numberSet(let values): values.reduce(0) { $0 + Self.numberSize($1) }
        case .binarySet(let values): values.reduce(0) { $0 + $1.count }
        case .list(let values): values.reduce(3) { $0 + 1 + $1.size }
        case .map(let values): values.reduce(3) { $0 + 1 + $1.key.utf8.count + $1.value.size }
        }
    }

    private static func numberSize(_ value: DecimalNumber) -> Int { (value.digits.count + 1) / 2 + 1 }

    /// An item's size: its names and values.
    public static func size(of item: Item) -> Int { item.reduce(0) { $0 + $1.key.utf8.count + $1.value.size } }

    /// DynamoDB's largest item.
    public static let maxItemSize = 400 * 1024
}
