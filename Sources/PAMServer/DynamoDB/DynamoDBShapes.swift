import Foundation
import PAMCore

/// An item on the wire (a member named `Item` hides PAMCore's type name inside these types).
typealias Attributes = [String: AttributeValue]

/// The members of DynamoDB's request documents PAM reads, one type for every operation (each uses
/// its share; members named as on the wire). Members PAM does not emulate are kept as `Present`,
/// so that their use answers NotImplemented instead of being ignored.
struct DynamoDBRequest: Decodable {
    var TableName: String?
    var Key: Attributes?
    var Item: Attributes?
    var ConditionExpression: String?
    var UpdateExpression: String?
    var ProjectionExpression: String?
    var FilterExpression: String?
    var KeyConditionExpression: String?
    var ExpressionAttributeNames: [String: String]?
    var ExpressionAttributeValues: Attributes?
    var ReturnValues: String?
    var ReturnValuesOnConditionCheckFailure: String?
    var ReturnConsumedCapacity: String?
    var ReturnItemCollectionMetrics: String?
    var AttributesToGet: [String]?
    var Select: String?
    var Limit: Int?
    var ExclusiveStartKey: Attributes?
    var ScanIndexForward: Bool?
    var ConsistentRead: Bool?
    var IndexName: String?
    // CreateTable, ListTables
    var KeySchema: [KeySchemaElement]?
    var AttributeDefinitions: [AttributeDefinition]?
    var BillingMode: String?
    var ProvisionedThroughput: Throughput?
    var GlobalSecondaryIndexes: Present?
    var LocalSecondaryIndexes: Present?
    var StreamSpecification: Stream?
    var DeletionProtectionEnabled: Bool?
    var TableClass: String?
    var SSESpecification: Encryption?
    var Tags: Present?
    var ResourcePolicy: Present?
    var OnDemandThroughput: Present?
    var WarmThroughput: Present?
    var ExclusiveStartTableName: String?
    // Legacy conditional parameters and parallel scans: not emulated.
    var Expected: Present?
    var AttributeUpdates: Present?
    var KeyConditions: Present?
    var QueryFilter: Present?
    var ScanFilter: Present?
    var ConditionalOperator: Present?
    var Segment: Present?
    var TotalSegments: Present?

    /// Any JSON value, read only for its presence.
    struct Present: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    /// CreateTable's `SSESpecification`: only whether it asks for a key of its own.
    struct Encryption: Decodable {
        var Enabled: Bool?
    }

    struct KeySchemaElement: Codable {
        var AttributeName: String
        var KeyType: String
    }

    struct AttributeDefinition: Codable {
        var AttributeName: String
        var AttributeType: String
    }

    struct Throughput: Codable {
        var ReadCapacityUnits: Int?
        var WriteCapacityUnits: Int?
    }

    struct Stream: Decodable {
        var StreamEnabled: Bool?
    }

    /// The legacy parameter used, if any (answered NotImplemented).
    var legacyParameter: String? {
        let used: [(String, Present?)] = [
            ("Expected", Expected), ("AttributeUpdates", AttributeUpdates), ("KeyConditions", KeyConditions),
            ("QueryFilter", QueryFilter), ("ScanFilter", ScanFilter), ("ConditionalOperator", ConditionalOperator),
        ]
        return used.first { $0.1 != nil }?.0
    }
}

/// BatchGetItem's request.
struct BatchGetRequest: Decodable {
    struct KeysAndAttributes: Decodable {
        var Keys: [Attributes]
        var ProjectionExpression: String?
        var AttributesToGet: [String]?
        var ExpressionAttributeNames: [String: String]?
        var ConsistentRead: Bool?
    }

    var RequestItems: [String: KeysAndAttributes]
    var ReturnConsumedCapacity: String?
}

/// BatchWriteItem's request.
struct BatchWriteRequest: Decodable {
    struct WriteRequest: Decodable {
        struct Put: Decodable { var Item: Attributes }
        struct Delete: Decodable { var Key: Attributes }
        var PutRequest: Put?
        var DeleteRequest: Delete?
    }

    var RequestItems: [String: [WriteRequest]]
    var ReturnConsumedCapacity: String?
    var ReturnItemCollectionMetrics: String?
}

/// DescribeTable's `Table` (also CreateTable's and DeleteTable's `TableDescription`).
struct DynamoDBTableDescription: Encodable {
    struct Throughput: Encodable {
        var NumberOfDecreasesToday = 0
        var ReadCapacityUnits: Int
        var WriteCapacityUnits: Int
    }

    struct BillingSummary: Encodable { var BillingMode: String }

    var TableName: String
    var TableStatus: String
    var KeySchema: [DynamoDBRequest.KeySchemaElement]
    var AttributeDefinitions: [DynamoDBRequest.AttributeDefinition]
    var CreationDateTime: Double
    var ProvisionedThroughput: Throughput
    var BillingModeSummary: BillingSummary?
    var TableSizeBytes: Int
    var ItemCount: Int
    var TableArn: String
    var DeletionProtectionEnabled = false

    init(_ table: ItemTable, status: String, statistics: TableStatistics, region: String) {
        TableName = table.name
        TableStatus = status
        KeySchema = [.init(AttributeName: table.partitionKey.name, KeyType: "HASH")]
        if let sortKey = table.sortKey { KeySchema.append(.init(AttributeName: sortKey.name, KeyType: "RANGE")) }
        AttributeDefinitions = table.keyAttributes.map { .init(AttributeName: $0.name, AttributeType: $0.type) }
        CreationDateTime = table.created.timeIntervalSince1970
        ProvisionedThroughput = Throughput(ReadCapacityUnits: table.readCapacityUnits, WriteCapacityUnits: table.writeCapacityUnits)
        BillingModeSummary = table.billingMode == "PAY_PER_REQUEST" ? BillingSummary(BillingMode: "PAY_PER_REQUEST") : nil
        TableSizeBytes = statistics.sizeBytes
        ItemCount = statistics.itemCount
        TableArn = table.arn(region: region)
    }
}

/// The answers of the item operations: each fills its members; absent ones are not written.
struct DynamoDBAnswer: Encodable {
    var Item: Attributes?
    var Attributes: Attributes?
    var Items: [Attributes]?
    var Count: Int?
    var ScannedCount: Int?
    var LastEvaluatedKey: Attributes?
    var Table: DynamoDBTableDescription?
    var TableDescription: DynamoDBTableDescription?
    var TableNames: [String]?
    var LastEvaluatedTableName: String?
    var Responses: [String: [Attributes]]?
    var UnprocessedKeys: [String: Attributes]?
    var UnprocessedItems: [String: Attributes]?
    var ConsumedCapacity: DynamoDBCapacityAnswer?
}
