import Foundation
import PAMCore

/// PutItem, GetItem, DeleteItem, UpdateItem. Every write is one `ItemStore.update`: the condition
/// is checked on the stored item and the new item written in the same transaction.
extension DynamoDBEndpoint {
    func putItem(_ request: DynamoDBRequest) async throws -> DynamoDBAnswer {
        let table = try await table(request)
        let capacity = try Self.capacity(request)
        let returnOld = try Self.returnOldOnFailure(request)
        guard let item = request.Item else { throw Self.missing("item") }
        try Self.checkOldOnlyReturnValues(request)
        var expressions = try DynamoDBExpressions(request)
        let condition = try expressions.condition(request.ConditionExpression, .condition)
        try expressions.finish()
        let key = try table.key(of: item)
        try Self.checkSize(item)
        let result = try await store.update(table: table.name, key: key) { old in
            if let condition, !condition.holds(for: old) { throw ItemError.conditionalCheckFailed(old: old, returnOld: returnOld) }
            return item
        }
        return DynamoDBAnswer(
            Attributes: request.ReturnValues == "ALL_OLD" ? result.old : nil,
            ConsumedCapacity: Self.written(capacity, table, before: result.old, after: item))
    }

    func getItem(_ request: DynamoDBRequest) async throws -> DynamoDBAnswer {
        let table = try await table(request)
        let capacity = try Self.capacity(request)
        guard let key = request.Key else { throw Self.missing("key") }
        var expressions = try DynamoDBExpressions(request)
        let projection = try expressions.projection(request.ProjectionExpression, attributesToGet: request.AttributesToGet)
        try expressions.finish()
        try table.checkKey(key)
        let item = try await store.item(in: table.name, key: key)
        let units = DynamoDBCapacity.readUnits(item, consistent: request.ConsistentRead == true)
        return DynamoDBAnswer(
            Item: item.map { item in projection.map { Projection.apply($0, to: item) } ?? item },
            ConsumedCapacity: .one(capacity, table: table.name, units: units))
    }

    func deleteItem(_ request: DynamoDBRequest) async throws -> DynamoDBAnswer {
        let table = try await table(request)
        let capacity = try Self.capacity(request)
        let returnOld = try Self.returnOldOnFailure(request)
        guard let key = request.Key else { throw Self.missing("key") }
        try Self.checkOldOnlyReturnValues(request)
        var expressions = try DynamoDBExpressions(request)
        let condition = try expressions.condition(request.ConditionExpression, .condition)
        try expressions.finish()
        try table.checkKey(key)
        let result = try await store.update(table: table.name, key: key) { old in
            if let condition, !condition.holds(for: old) { throw ItemError.conditionalCheckFailed(old: old, returnOld: returnOld) }
            return nil
        }
        return DynamoDBAnswer(
            Attributes: request.ReturnValues == "ALL_OLD" ? result.old : nil,
            ConsumedCapacity: Self.written(capacity, table, before: result.old, after: nil))
    }

    func updateItem(_ request: DynamoDBRequest) async throws -> DynamoDBAnswer {
        let table = try await table(request)
        let capacity = try Self.capacity(request)
        let returnOld = try Self.returnOldOnFailure(request)
        guard let key = request.Key else { throw Self.missing("key") }
        try Self.checkEnum(request.ReturnValues, member: "returnValues", Self.returnValueNames)
        var expressions = try DynamoDBExpressions(request)
        let update = try expressions.update(request.UpdateExpression)
        let condition = try expressions.condition(request.ConditionExpression, .condition)
        try expressions.finish()
        try table.checkKey(key)
        try update?.checkKeys(of: table)
        let result = try await store.update(table: table.name, key: key) { old in
            if let condition, !condition.holds(for: old) { throw ItemError.conditionalCheckFailed(old: old, returnOld: returnOld) }
            let new = try update?.apply(to: old ?? key) ?? old ?? key
            try Self.checkSize(new)
            return new
        }
        let paths = update?.paths ?? []
        let attributes: Item? =
            switch request.ReturnValues {
            case "ALL_OLD"?: result.old
            case "ALL_NEW"?: result.new
            case "UPDATED_OLD"?: result.old.map { Projection.apply(paths, to: $0) }
            case "UPDATED_NEW"?: result.new.map { Projection.apply(paths, to: $0) }
            default: nil
            }
        return DynamoDBAnswer(
            Attributes: attributes?.isEmpty == true ? nil : attributes,
            ConsumedCapacity: Self.written(capacity, table, before: result.old, after: result.new))
    }

    /// The request's `ReturnConsumedCapacity` (and `ReturnItemCollectionMetrics`), checked.
    static func capacity(_ request: DynamoDBRequest) throws(ItemError) -> DynamoDBCapacity.Detail? {
        try DynamoDBCapacity.detail(request.ReturnConsumedCapacity, itemCollectionMetrics: request.ReturnItemCollectionMetrics)
    }

    /// The `ConsumedCapacity` member of a single-item write, when asked for.
    static func written(_ detail: DynamoDBCapacity.Detail?, _ table: ItemTable, before: Item?, after: Item?) -> DynamoDBCapacityAnswer? {
        .one(detail, table: table.name, units: DynamoDBCapacity.writeUnits(before: before, after: after))
    }

    /// `ReturnValuesOnConditionCheckFailure`: ALL_OLD puts the item in the error.
    static func returnOldOnFailure(_ request: DynamoDBRequest) throws(ItemError) -> Bool {
        try checkEnum(request.ReturnValuesOnConditionCheckFailure, member: "returnValuesOnConditionCheckFailure", ["ALL_OLD", "NONE"])
        return request.ReturnValuesOnConditionCheckFailure == "ALL_OLD"
    }

    static let returnValueNames = ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]

    static func missing(_ member: String) -> ItemError {
        ItemError.validation("1 validation error detected: Value null at '\(member)' failed to satisfy constraint: Member must not be null")
    }

    /// PutItem's and DeleteItem's ReturnValues: a known name, and only ALL_OLD or NONE.
    static func checkOldOnlyReturnValues(_ request: DynamoDBRequest) throws {
        try checkEnum(request.ReturnValues, member: "returnValues", returnValueNames)
        guard request.ReturnValues == nil || request.ReturnValues == "NONE" || request.ReturnValues == "ALL_OLD" else {
            throw ItemError.validation("ReturnValues can only be ALL_OLD or NONE")
        }
    }
}
