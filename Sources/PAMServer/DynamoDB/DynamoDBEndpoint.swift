import Foundation
import HTTPTypes
import Hummingbird
import PAMCore

/// The AWS endpoint's DynamoDB (JSON 1.0, `X-Amz-Target: DynamoDB_20120810.<Operation>`), on an
/// `ItemStore`: tables, single-item reads and writes with the expression language (every write one
/// atomic read-modify-write, so conditional writes never both pass), Query, Scan and the batch
/// operations. Refusals are DynamoDB's codes and messages; operations and parameters PAM does not
/// emulate answer 501 NotImplemented naming them.
struct DynamoDBEndpoint: AWSServiceEndpoint {
    let store: any ItemStore
    let region: String

    var service: String { "dynamodb" }
    static let typePrefix = "com.amazonaws.dynamodb.v20120810#"
    let wire = AWSWireProtocol.json(contentType: "application/x-amz-json-1.0", typePrefix: Self.typePrefix)

    static let targetPrefix = "DynamoDB_20120810."
    /// An unsigned request naming this prefix is refused as DynamoDB refuses it.
    var targetPrefix: String? { String(Self.targetPrefix.dropLast()) }
    static let crc32Header = HTTPField.Name("x-amz-crc32")!

    func operation(of call: AWSServiceCall) -> String? { call.targetOperation }

    func respond(to call: AWSServiceCall) async throws -> Response {
        guard let target = call.header("X-Amz-Target"), target.hasPrefix(Self.targetPrefix), let operation = call.targetOperation else {
            throw AWSServiceFault("UnknownOperationException", "")
        }
        do {
            let answer = try await perform(operation, body: Data(buffer: call.body))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let data = try encoder.encode(answer)
            var response = wire.json(ByteBuffer(bytes: data))
            // botocore checks DynamoDB's answers against this CRC when it is there.
            response.headers[Self.crc32Header] = String(CRC32.checksum(data))
            return response
        } catch let error as ItemError {
            guard let item = error.item else { throw AWSServiceFault(error.code.rawValue, error.message) }
            return try conditionFailure(error, item: item, requestID: call.requestID)
        } catch let error as DecodingError {
            throw AWSServiceFault("SerializationException", Self.describe(error))
        }
    }

    /// A ConditionalCheckFailedException that carries the item as it was: the protocol's error with
    /// an `Item` member beside `__type` and `message`.
    private func conditionFailure(_ error: ItemError, item: Item, requestID: String) throws -> Response {
        struct Body: Encodable {
            var __type: String
            var message: String
            var Item: Attributes
        }
        var response = wire.error(AWSServiceFault(error.code.rawValue, error.message), requestID: requestID)
        let data = try JSONEncoder().encode(Body(__type: Self.typePrefix + error.code.rawValue, message: error.message, Item: item))
        response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        return response
    }

    private func perform(_ operation: String, body: Data) async throws -> DynamoDBAnswer {
        switch operation {
        case "BatchGetItem": return try await batchGetItem(try JSONDecoder().decode(BatchGetRequest.self, from: body))
        case "BatchWriteItem": return try await batchWriteItem(try JSONDecoder().decode(BatchWriteRequest.self, from: body))
        default: break
        }
        let handlers: [String: (DynamoDBRequest) async throws -> DynamoDBAnswer] = [
            "CreateTable": createTable, "DescribeTable": describeTable, "ListTables": listTables, "DeleteTable": deleteTable,
            "PutItem": putItem, "GetItem": getItem, "DeleteItem": deleteItem, "UpdateItem": updateItem, "Query": query, "Scan": scan,
        ]
        guard let handler = handlers[operation] else { throw AWSServiceFault.notImplemented("DynamoDB \(operation)") }
        let request = try JSONDecoder().decode(DynamoDBRequest.self, from: body)
        if let legacy = request.legacyParameter {
            throw AWSServiceFault.notImplemented("DynamoDB's legacy parameter \(legacy) (use the expression parameters)")
        }
        return try await handler(request)
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(context.debugDescription) at \(path)"
        @unknown default:
            return "The request body could not be read"
        }
    }

    // MARK: Shared checks

    /// The table named by the request; `ResourceNotFoundException` when there is none.
    func table(_ request: DynamoDBRequest) async throws -> ItemTable {
        let name = try Self.tableName(request.TableName)
        guard let table = try await store.table(name) else { throw ItemError.tableNotFound }
        return table
    }

    static func tableName(_ name: String?) throws(ItemError) -> String {
        guard let name else {
            throw ItemError.validation(
                "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null")
        }
        try checkTableName(name, member: "tableName")
        return name
    }

    static func checkTableName(_ name: String, member: String) throws(ItemError) {
        if name.count < 3 || name.count > 255 {
            throw ItemError.validation(
                "1 validation error detected: Value '\(name)' at '\(member)' failed to satisfy constraint: Member must have length "
                    + (name.count < 3 ? "greater than or equal to 3" : "less than or equal to 255"))
        }
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }) else {
            throw ItemError.validation(
                "1 validation error detected: Value '\(name)' at '\(member)' failed to satisfy constraint: Member must satisfy regular "
                    + "expression pattern: [a-zA-Z0-9_.-]+")
        }
    }

    /// `value` must be one of `allowed` (DynamoDB's enum check).
    static func checkEnum(_ value: String?, member: String, _ allowed: [String]) throws(ItemError) {
        guard let value, !allowed.contains(value) else { return }
        throw ItemError.validation(
            "1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: Member must satisfy enum value set: "
                + "[\(allowed.joined(separator: ", "))]")
    }

    /// Refuses an item past DynamoDB's 400 KB.
    static func checkSize(_ item: Item) throws(ItemError) {
        if AttributeValue.size(of: item) > AttributeValue.maxItemSize {
            throw ItemError.validation("Item size has exceeded the maximum allowed size")
        }
    }
}
