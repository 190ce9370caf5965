import Foundation
import PAMCore

/// CreateTable, DescribeTable, ListTables, DeleteTable. Tables are ACTIVE at once; the billing
/// mode and capacity are kept and reported, not enforced.
extension DynamoDBEndpoint {
    func createTable(_ request: DynamoDBRequest) async throws -> DynamoDBAnswer {
        let name = try Self.tableName(request.TableName)
        if request.GlobalSecondaryIndexes != nil { throw AWSServiceFault.notImplemented("DynamoDB global secondary indexes") }
        if request.LocalSecondaryIndexes != nil { throw AWSServiceFault.notImplemented("DynamoDB local secondary indexes") }
        if request.StreamSpecification?.StreamEnabled == true { throw AWSServiceFault.notImplemented("DynamoDB streams") }
        try Self.refuseUnemulatedTableSettings(request)
        let schema = request.KeySchema ?? []
        let definitions = request.AttributeDefinitions ?? []
        guard !schema.isEmpty, schema.count <= 2 else {
            throw ItemError.validation(
                "1 validation error detected: Value at 'keySchema' failed to satisfy constraint: Member must have length "
                    + (schema.isEmpty ? "greater than or equal to 1" : "less than or equal to 2"))
        }
        for definition in definitions {
            try Self.checkEnum(definition.AttributeType, member: "attributeDefinitions.member.attributeType", ["B", "N", "S"])
        }
        for element in schema { try Self.checkEnum(element.KeyType, member: "keySchema.member.keyType", ["HASH", "RANGE"]) }
        guard schema[0].KeyType == "HASH" else {
            throw ItemError.invalidParameter("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
        }
        if schema.count == 2 {
            guard schema[1].KeyType == "RANGE" else {
                throw ItemError.invalidParameter("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
            }
            guard schema[0].AttributeName != schema[1].AttributeName else {
                throw ItemError.invalidParameter("Both the Hash Key and the Range Key element in the KeySchema have the same name")
            }
        }
        guard definitions.count == schema.count else {
            throw ItemError.invalidParameter(
                "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
        }
        var keys: [KeyAttribute] = []
        for element in schema {
            guard let definition = definitions.first(where: { $0.AttributeName == element.AttributeName }) else {
                throw ItemError.invalidParameter(
                    "Some index key attributes are not defined in AttributeDefinitions. Keys: [\(schema.map(\.AttributeName).joined(separator: ", "))], "
                        + "AttributeDefinitions: [\(definitions.map(\.AttributeName).joined(separator: ", "))]")
            }
            keys.append(KeyAttribute(name: element.AttributeName, type: definition.AttributeType))
        }
        let billing = request.BillingMode ?? "PROVISIONED"
        try Self.checkEnum(billing, member: "billingMode", ["PROVISIONED", "PAY_PER_REQUEST"])
        var read = 0
        var write = 0
        if billing == "PROVISIONED" {
            guard let throughput = request.ProvisionedThroughput, let units = throughput.ReadCapacityUnits,
                let writeUnits = throughput.WriteCapacityUnits
            else {
                throw ItemError.invalidParameter(
                    "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
            }
            guard units >= 1, writeUnits >= 1 else {
                throw ItemError.validation(
                    "1 validation error detected: Value '\(min(units, writeUnits))' at 'provisionedThroughput' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 1")
            }
            (read, write) = (units, writeUnits)
        } else if request.ProvisionedThroughput != nil {
            throw ItemError.invalidParameter(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
        }
        let table = ItemTable(
            name: name, partitionKey: keys[0], sortKey: keys.count > 1 ? keys[1] : nil, billingMode: billing, readCapacityUnits: read,
            writeCapacityUnits: write, created: Date())
        try await store.createTable(table)
        return DynamoDBAnswer(
            TableDescription: DynamoDBTableDescription(
                table, status: "ACTIVE", statistics: .init(itemCount: 0, sizeBytes: 0), region: region))
    }

    func describeTable(_ request: DynamoDBRequest) async throws -> DynamoDBAnswer {
        let name = try Self.tableName(request.TableName)
        guard let table = try await store.table(name) else { throw ItemError.tableNotFound(name) }
        let statistics = try await store.statistics(of: name)
        return DynamoDBAnswer(Table: DynamoDBTableDescription(table, status: "ACTIVE", statistics: statistics, region: region))
    }

    func deleteTable(_ request: DynamoDBRequest) async throws -> DynamoDBAnswer {
        let name = try Self.tableName(request.TableName)
        guard try await store.table(name) != nil else { throw ItemError.tableNotFound(name) }
        let statistics = try await store.statistics(of: name)
        let table = try await store.deleteTable(name)
        return DynamoDBAnswer(TableDescription: DynamoDBTableDescription(table, status: "DELETING", statistics: statistics, region: region))
    }

    /// Names in byte order, `Limit` (1–100, default 100) at a time after `ExclusiveStartTableName`.
    func listTables(_ request: DynamoDBRequest) async throws -> DynamoDBAnswer {
        let limit = request.Limit ?? 100
        guard (1...100).contains(limit) else {
            throw ItemError.validation(
                "1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value "
                    + (limit < 1 ? "greater than or equal to 1" : "less than or equal to 100"))
        }
        var names = try await store.tableNames()
        if let start = request.ExclusiveStartTableName {
            names = names.filter { start.utf8.lexicographicallyPrecedes($0.utf8) }
        }
        let page = Array(names.prefix(limit))
        return DynamoDBAnswer(TableNames: page, LastEvaluatedTableName: names.count > limit ? page.last : nil)
    }

    /// 501 for what CreateTable can ask that PAM does not keep or enforce: deletion protection (a
    /// protected table would be deletable), tags, a KMS key of its own, a table class other than
    /// STANDARD, a resource policy, on-demand or warm throughput. Their defaults are accepted.
    static func refuseUnemulatedTableSettings(_ request: DynamoDBRequest) throws {
        let refused: [(asked: Bool, what: String)] = [
            (request.DeletionProtectionEnabled == true, "deletion protection (DeletionProtectionEnabled)"),
            (request.Tags != nil, "table tags (Tags)"),
            (request.SSESpecification?.Enabled == true, "encryption with a KMS key (SSESpecification)"),
            (request.TableClass.map { $0 != "STANDARD" } ?? false, "the table class \(request.TableClass ?? "")"),
            (request.ResourcePolicy != nil, "resource policies (ResourcePolicy)"),
            (request.OnDemandThroughput != nil, "on-demand throughput limits (OnDemandThroughput)"),
            (request.WarmThroughput != nil, "warm throughput (WarmThroughput)"),
        ]
        if let first = refused.first(where: \.asked) { throw AWSServiceFault.notImplemented("DynamoDB \(first.what)") }
    }
}
