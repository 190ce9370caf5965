import Foundation
import PAMCore

/// BatchGetItem (at most 100 keys) and BatchWriteItem (at most 25 puts and deletes). The whole
/// request is checked before anything is read or written; every item is then processed, so
/// `UnprocessedKeys` / `UnprocessedItems` are always empty. Each write is atomic on its own, as in
/// DynamoDB (the batch is not one transaction).
extension DynamoDBEndpoint {
    func batchGetItem(_ request: BatchGetRequest) async throws -> DynamoDBAnswer {
        guard !request.RequestItems.isEmpty else { throw Self.batchSize("requestItems", "greater than or equal to 1") }
        guard request.RequestItems.values.reduce(0, { $0 + $1.Keys.count }) <= 100 else {
            throw ItemError.validation("Too many items requested for the BatchGetItem call")
        }
        let capacity = try DynamoDBCapacity.detail(request.ReturnConsumedCapacity)
        var plans: [(table: ItemTable, keys: [Item], projection: [AttributePath]?, consistent: Bool)] = []
        for name in request.RequestItems.keys.sorted() {
            let entry = request.RequestItems[name]!
            try Self.checkTableName(name, member: "requestItems")
            guard let table = try await store.table(name) else { throw ItemError.tableNotFound }
            guard !entry.Keys.isEmpty else { throw Self.batchSize("requestItems.\(name).member.keys", "greater than or equal to 1") }
            var expressions = try DynamoDBExpressions(names: entry.ExpressionAttributeNames)
            let projection = try expressions.projection(entry.ProjectionExpression, attributesToGet: entry.AttributesToGet)
            try expressions.finish()
            for key in entry.Keys { try table.checkKey(key) }
            guard Set(entry.Keys).count == entry.Keys.count else {
                throw ItemError.validation("Provided list of item keys contains duplicates")
            }
            plans.append((table, entry.Keys, projection, entry.ConsistentRead == true))
        }
        var responses: [String: [Item]] = [:]
        var used: [DynamoDBCapacity] = []
        for plan in plans {
            var items: [Item] = []
            var units = 0.0
            for key in plan.keys {
                let item = try await store.item(in: plan.table.name, key: key)
                units += DynamoDBCapacity.readUnits(item, consistent: plan.consistent)
                guard let item else { continue }
                items.append(plan.projection.map { Projection.apply($0, to: item) } ?? item)
            }
            responses[plan.table.name] = items
            if let table = DynamoDBCapacity(capacity, table: plan.table.name, units: units) { used.append(table) }
        }
        return DynamoDBAnswer(Responses: responses, UnprocessedKeys: [:], ConsumedCapacity: capacity.map { _ in .perTable(used) })
    }

    func batchWriteItem(_ request: BatchWriteRequest) async throws -> DynamoDBAnswer {
        guard !request.RequestItems.isEmpty else { throw Self.batchSize("requestItems", "greater than or equal to 1") }
        guard request.RequestItems.values.reduce(0, { $0 + $1.count }) <= 25 else {
            throw ItemError.validation("Too many items requested for the BatchWriteItem call")
        }
        let capacity = try DynamoDBCapacity.detail(
            request.ReturnConsumedCapacity, itemCollectionMetrics: request.ReturnItemCollectionMetrics)
        var writes: [(table: ItemTable, key: Item, item: Item?)] = []
        for name in request.RequestItems.keys.sorted() {
            let entries = request.RequestItems[name]!
            try Self.checkTableName(name, member: "requestItems")
            guard let table = try await store.table(name) else { throw ItemError.tableNotFound }
            var keys: Set<Item> = []
            for entry in entries {
                let key: Item
                let item: Item?
                switch (entry.PutRequest, entry.DeleteRequest) {
                case (let put?, nil):
                    key = try table.key(of: put.Item)
                    try Self.checkSize(put.Item)
                    item = put.Item
                case (nil, let delete?):
                    try table.checkKey(delete.Key)
                    (key, item) = (delete.Key, nil)
                default:
                    throw ItemError.invalidParameter("A WriteRequest must contain exactly one of PutRequest and DeleteRequest")
                }
                guard keys.insert(key).inserted else { throw ItemError.validation("Provided list of item keys contains duplicates") }
                writes.append((table, key, item))
            }
        }
        var units: [String: Double] = [:]
        for write in writes {
            let item = write.item
            let result = try await store.update(table: write.table.name, key: write.key) { _ in item }
            units[write.table.name, default: 0] += DynamoDBCapacity.writeUnits(before: result.old, after: item)
        }
        let used = units.keys.sorted().compactMap { DynamoDBCapacity(capacity, table: $0, units: units[$0]!) }
        return DynamoDBAnswer(UnprocessedItems: [:], ConsumedCapacity: capacity.map { _ in .perTable(used) })
    }

    static func batchSize(_ member: String, _ constraint: String) -> ItemError {
        ItemError.validation(
            "1 validation error detected: Value at '\(member)' failed to satisfy constraint: Member must have length \(constraint)")
    }
}
