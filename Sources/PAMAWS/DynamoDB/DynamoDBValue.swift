import Foundation

/// A DynamoDB attribute value in its JSON form (`{"S": "Sky"}`, `{"N": "3"}`, `{"SS": [...]}`), for
/// the types the label table uses.
enum DynamoDBValue: Codable, Sendable, Hashable {
    case string(String)
    case number(String)
    case stringSet([String])
    case bool(Bool)
    /// A type the label table does not use, kept by its tag.
    case other(String)

    private struct Tag: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Tag.self)
        guard let tag = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an attribute value has no type"))
        }
        switch tag.stringValue {
        case "S": self = .string(try container.decode(String.self, forKey: tag))
        case "N": self = .number(try container.decode(String.self, forKey: tag))
        case "SS": self = .stringSet(try container.decode([String].self, forKey: tag))
        case "BOOL": self = .bool(try container.decode(Bool.self, forKey: tag))
        default: self = .other(tag.stringValue)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Tag.self)
        switch self {
        case .string(let value): try container.encode(value, forKey: Tag(stringValue: "S"))
        case .number(let value): try container.encode(value, forKey: Tag(stringValue: "N"))
        case .stringSet(let value): try container.encode(value, forKey: Tag(stringValue: "SS"))
        case .bool(let value): try container.encode(value, forKey: Tag(stringValue: "BOOL"))
        case .other(let tag): try container.encodeNil(forKey: Tag(stringValue: tag))
        }
    }

    var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    var numberValue: Int? { if case .number(let value) = self { Int(value) } else { nil } }
    var stringSetValue: [String]? { if case .stringSet(let value) = self { value } else { nil } }
}

/// An item: attribute name → value.
typealias DynamoDBItem = [String: DynamoDBValue]
