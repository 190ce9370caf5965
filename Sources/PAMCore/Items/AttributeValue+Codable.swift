import Foundation

/// DynamoDB's JSON form of attribute values: one member named by the type. Errors thrown while
/// decoding are `ItemError`s with DynamoDB's messages (JSONDecoder passes them through).
extension AttributeValue: Codable {
    private struct Tag: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Tag.self)
        // A member set to null counts as not set, as DynamoDB reads it.
        let tags = try container.allKeys.filter { try !container.decodeNil(forKey: $0) }
        guard let tag = tags.first else {
            throw ItemError.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
        }
        guard tags.count == 1 else {
            throw ItemError.validation(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
        }
        switch tag.stringValue {
        case "S": self = .string(try container.decode(String.self, forKey: tag))
        case "N": self = .number(try DecimalNumber(parsing: try container.decode(String.self, forKey: tag)))
        case "B": self = .binary(try Self.base64(try container.decode(String.self, forKey: tag)))
        case "BOOL": self = .bool(try container.decode(Bool.self, forKey: tag))
        case "NULL":
            guard try container.decode(Bool.self, forKey: tag) else {
                throw ItemError.invalidParameter("Null attribute value types must have the value of true")
            }
            self = .null
        case "SS":
            let strings = try container.decode([String].self, forKey: tag)
            guard !strings.isEmpty else { throw ItemError.invalidParameter("An string set  may not be empty") }
            let unique = Self.sortedUnique(strings)
            guard unique.count == strings.count else {
                throw ItemError.invalidParameter("Input collection [\(strings.joined(separator: ", "))] contains duplicates.")
            }
            self = .stringSet(unique)
        case "NS":
            let texts = try container.decode([String].self, forKey: tag)
            guard !texts.isEmpty else { throw ItemError.invalidParameter("An number set  may not be empty") }
            var numbers: [DecimalNumber] = []
            for text in texts { numbers.append(try DecimalNumber(parsing: text)) }
            let unique = Self.sortedUnique(numbers)
            guard unique.count == numbers.count else { throw ItemError.invalidParameter("Input collection contains duplicates") }
            self = .numberSet(unique)
        case "BS":
            let texts = try container.decode([String].self, forKey: tag)
            guard !texts.isEmpty else { throw ItemError.invalidParameter("Binary sets should not be empty") }
            var blobs: [Data] = []
            for text in texts { blobs.append(try Self.base64(text)) }
            let unique = Self.sortedUnique(blobs)
            guard unique.count == blobs.count else {
                throw ItemError.invalidParameter("Input collection [\(texts.joined(separator: ", "))]of type BS contains duplicates.")
            }
            self = .binarySet(unique)
        case "L": self = .list(try container.decode([AttributeValue].self, forKey: tag))
        case "M": self = .map(try container.decode([String: AttributeValue].self, forKey: tag))
        default:
            throw ItemError.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
        }
    }

    private static func base64(_ text: String) throws(ItemError) -> Data {
        guard let data = Data(base64Encoded: text) else {
            throw ItemError.validation("Invalid Binary value: not base64-encoded")
        }
        return data
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Tag.self)
        let tag = Tag(typeName)
        switch self {
        case .string(let value): try container.encode(value, forKey: tag)
        case .number(let value): try container.encode(value.description, forKey: tag)
        case .binary(let value): try container.encode(value.base64EncodedString(), forKey: tag)
        case .bool(let value): try container.encode(value, forKey: tag)
        case .null: try container.encode(true, forKey: tag)
        case .stringSet(let values): try container.encode(values, forKey: tag)
        case .numberSet(let values): try container.encode(values.map(\.description), forKey: tag)
        case .binarySet(let values): try container.encode(values.map { $0.base64EncodedString() }, forKey: tag)
        case .list(let values): try container.encode(values, forKey: tag)
        case .map(let values): try container.encode(values, forKey: tag)
        }
    }
}
