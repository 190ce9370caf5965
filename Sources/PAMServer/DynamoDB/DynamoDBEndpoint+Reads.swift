import Foundation
import PAMCore

/// Query and Scan: items in key order (Query: one partition, sort keys ascending unless
/// `ScanIndexForward` is false; Scan: the whole table), a page ending after `Limit` items read or
/// 1 MB of them, `LastEvaluatedKey` when more remain. The filter applies after the limit, as in
/// DynamoDB (`ScannedCount` counts items read, `Count` items returned).
extension DynamoDBEndpoint {
    static let pageBytes = 1 << 20

    func query(_ request: DynamoDBRequest) async throws -> DynamoDBAnswer {
        let table = try await table(request)
        if request.IndexName != nil { throw AWSServiceFault.notImplemented("DynamoDB Query on a secondary index (IndexName)") }
        guard let keyText = request.KeyConditionExpression else {
            throw ItemError.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
        }
        var expressions = try DynamoDBExpressions(request)
        let keyCondition = try KeyCondition(try expressions.condition(keyText, .keyCondition)!, table: table)
        let filter = try expressions.condition(request.FilterExpression, .filter)
        let projection = try expressions.projection(request.ProjectionExpression, attributesToGet: request.AttributesToGet)
        try expressions.finish()
        if let filter, let key = filter.paths.first(where: { $0.elements.count >= 1 && table.isKey($0.attribute) }) {
            throw ItemError.validation(
                "Filter Expression can only contain non-primary key attributes: Primary key attribute: \(key.attribute)")
        }
        let query = ItemQuery(
            partition: keyCondition.partition, lower: keyCondition.lower, upper: keyCondition.upper,
            forward: request.ScanIndexForward ?? true,
            after: try startKey(request, table: table))
        return try await read(table, query, request: request, filter: filter, projection: projection)
    }

    func scan(_ request: DynamoDBRequest) async throws -> DynamoDBAnswer {
        let table = try await table(request)
        if request.IndexName != nil { throw AWSServiceFault.notImplemented("DynamoDB Scan of a secondary index (IndexName)") }
        if request.Segment != nil || request.TotalSegments != nil {
            throw AWSServiceFault.notImplemented("DynamoDB parallel Scan (Segment)")
        }
        var expressions = try DynamoDBExpressions(request)
        let filter = try expressions.condition(request.FilterExpression, .filter)
        let projection = try expressions.projection(request.ProjectionExpression, attributesToGet: request.AttributesToGet)
        try expressions.finish()
        return try await read(
            table, ItemQuery(after: try startKey(request, table: table)), request: request, filter: filter, projection: projection)
    }

    private func startKey(_ request: DynamoDBRequest, table: ItemTable) throws(ItemError) -> Item? {
        guard let key = request.ExclusiveStartKey else { return nil }
        do { try table.checkKey(key) } catch {
            throw ItemError.validation("The provided starting key is invalid: \(error.message)")
        }
        return key
    }

    private func read(
        _ table: ItemTable, _ query: ItemQuery, request: DynamoDBRequest, filter: Condition?, projection: [AttributePath]?
    ) async throws -> DynamoDBAnswer {
        let capacity = try Self.capacity(request)
        try Self.checkEnum(
            request.Select, member: "select", ["ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"])
        let what = request.ProjectionExpression != nil ? "ProjectionExpression" : "AttributesToGet"
        switch request.Select {
        case "ALL_PROJECTED_ATTRIBUTES"?:
            throw ItemError.invalidParameter("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
        case "ALL_ATTRIBUTES"? where projection != nil:
            throw ItemError.invalidParameter("Cannot specify the \(what) when choosing to get ALL_ATTRIBUTES")
        case "COUNT"? where projection != nil:
            throw ItemError.invalidParameter("Cannot specify the \(what) when choosing to get only the Count")
        case "SPECIFIC_ATTRIBUTES"? where projection == nil:
            throw ItemError.invalidParameter(
                "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")
        default: break
        }
        if let limit = request.Limit, limit < 1 {
            throw ItemError.validation(
                "1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
            )
        }
        var cursor = ItemCursor(store: store, table: table, query: query)
        var items: [Item] = []
        var scanned = 0
        var count = 0
        var bytes = 0
        var lastEvaluated: Item?
        let countOnly = request.Select == "COUNT"
        while let item = try await cursor.next(remainingLimit: request.Limit.map { $0 - scanned }) {
            scanned += 1
            bytes += AttributeValue.size(of: item)
            if filter?.holds(for: item) ?? true {
                count += 1
                if !countOnly { items.append(projection.map { Projection.apply($0, to: item) } ?? item) }
            }
            if scanned == request.Limit || bytes >= Self.pageBytes {
                if try await cursor.hasMore() { lastEvaluated = table.keyAttributes.reduce(into: Item()) { $0[$1.name] = item[$1.name] } }
                break
            }
        }
        let units = DynamoDBCapacity.readUnits(bytes: bytes, consistent: request.ConsistentRead == true)
        return DynamoDBAnswer(
            Items: countOnly ? nil : items, Count: count, ScannedCount: scanned, LastEvaluatedKey: lastEvaluated,
            ConsumedCapacity: .one(capacity, table: table.name, units: units))
    }
}

/// Reads a query's items from the store a batch at a time.
private struct ItemCursor {
    let store: any ItemStore
    let table: ItemTable
    var query: ItemQuery
    /// Items not yet returned, the next last.
    private var buffer: [Item] = []
    private var exhausted = false
    static let batch = 1000

    init(store: any ItemStore, table: ItemTable, query: ItemQuery) {
        self.store = store
        self.table = table
        self.query = query
    }

    /// The next item; `remainingLimit` keeps a small Limit from reading a large batch.
    mutating func next(remainingLimit: Int?) async throws -> Item? {
        if buffer.isEmpty { try await fill(size: min(Self.batch, (remainingLimit ?? Self.batch) + 1)) }
        return buffer.popLast()
    }

    mutating func hasMore() async throws -> Bool {
        if buffer.isEmpty { try await fill(size: 1) }
        return !buffer.isEmpty
    }

    private mutating func fill(size: Int) async throws {
        guard !exhausted else { return }
        var page = query
        page.limit = size
        let items = try await store.items(in: table.name, page)
        if items.count < size { exhausted = true }
        // Reversed, so that the next item is the last (popLast).
        buffer = items.reversed()
        if let last = items.last { query.after = table.keyAttributes.reduce(into: Item()) { $0[$1.name] = last[$1.name] } }
    }
}
