import Foundation

/// A key attribute of a table: its name and scalar type (`S`, `N` or `B`).
public struct KeyAttribute: Sendable, Hashable, Codable {
    public var name: String
    public var type: String

    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// A table of the item store: its name, primary key (partition key and optional sort key), the
/// billing mode it was created with (accepted and reported, not enforced) and when.
public struct ItemTable: Sendable, Hashable, Codable {
    public var name: String
    public var partitionKey: KeyAttribute
    public var sortKey: KeyAttribute?
    /// `PAY_PER_REQUEST` or `PROVISIONED`.
    public var billingMode: String
    public var readCapacityUnits: Int
    public var writeCapacityUnits: Int
    public var created: Date

    public init(
        name: String, partitionKey: KeyAttribute, sortKey: KeyAttribute? = nil, billingMode: String = "PAY_PER_REQUEST",
        readCapacityUnits: Int = 0, writeCapacityUnits: Int = 0, created: Date = Date()
    ) {
        self.name = name
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.billingMode = billingMode
        self.readCapacityUnits = readCapacityUnits
        self.writeCapacityUnits = writeCapacityUnits
        // Whole seconds: they survive the store's JSON round trip exactly (fractions need not).
        self.created = Date(timeIntervalSince1970: created.timeIntervalSince1970.rounded(.down))
    }

    /// The key attributes, partition key first.
    public var keyAttributes: [KeyAttribute] { [partitionKey] + (sortKey.map { [$0] } ?? []) }

    public func isKey(_ name: String) -> Bool { name == partitionKey.name || name == sortKey?.name }

    /// `key` checked against the schema (GetItem, UpdateItem, DeleteItem, BatchGetItem): exactly
    /// the key attributes, of their types, not empty.
    public func checkKey(_ key: Item) throws(ItemError) {
        let attributes = keyAttributes
        guard key.count == attributes.count else { throw .validation("The provided key element does not match the schema") }
        for attribute in attributes {
            guard let value = key[attribute.name], value.typeName == attribute.type else {
                throw .validation("The provided key element does not match the schema")
            }
            try Self.checkNotEmpty(value, name: attribute.name)
        }
    }

    /// The key of a whole item (PutItem): every key attribute present, of its type, not empty.
    public func key(of item: Item) throws(ItemError) -> Item {
        var key: Item = [:]
        for attribute in keyAttributes {
            guard let value = item[attribute.name] else { throw .invalidParameter("Missing the key \(attribute.name) in the item") }
            guard value.typeName == attribute.type else {
                throw .invalidParameter("Type mismatch for key \(attribute.name) expected: \(attribute.type) actual: \(value.typeName)")
            }
            try Self.checkNotEmpty(value, name: attribute.name)
            key[attribute.name] = value
        }
        return key
    }

    private static func checkNotEmpty(_ value: AttributeValue, name: String) throws(ItemError) {
        switch value {
        case .string(let text) where text.isEmpty:
            throw .validation(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: \(name)"
            )
        case .binary(let data) where data.isEmpty:
            throw .validation(
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: \(name)"
            )
        default: break
        }
    }

    /// The ARN DescribeTable reports.
    public func arn(region: String) -> String { "arn:aws:dynamodb:\(region):000000000000:table/\(name)" }
}

/// Bytes of a key value whose unsigned order is DynamoDB's order of the values: UTF-8 for
/// strings, the bytes for binaries, `DecimalNumber.orderedBytes` for numbers.
public enum KeyBytes {
    public static func of(_ value: AttributeValue) -> [UInt8] {
        switch value {
        case .string(let text): Array(text.utf8)
        case .binary(let data): Array(data)
        case .number(let number): number.orderedBytes
        default: []
        }
    }

    /// The first byte string after every string that starts with `prefix` (nil: none, all 0xFF).
    public static func successor(ofPrefix prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }
}
