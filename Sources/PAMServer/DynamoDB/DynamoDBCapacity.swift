import Foundation
import PAMCore

/// `ReturnConsumedCapacity`: the capacity units an item operation used, by DynamoDB's rules on
/// item sizes (``AttributeValue/size(of:)``). A write takes a unit per KB, rounded up, of the
/// larger of the item before and after it, at least one; a read a unit per 4 KB of what it read,
/// rounded up, at least one (an item that is not there too), half of that when eventually
/// consistent. GetItem and BatchGetItem round each item, Query and Scan the sum of the items they
/// read (before the filter, as DynamoDB charges). PAM's tables have no indexes, so INDEXES adds
/// only the table's own share; TOTAL and INDEXES answer the same units under either billing mode.
struct DynamoDBCapacity: Encodable, Equatable {
    struct Units: Encodable, Equatable { var CapacityUnits: Double }

    var TableName: String
    var CapacityUnits: Double
    /// INDEXES only: the table's share.
    var Table: Units?

    /// What a request asks for: nil for NONE (or nothing).
    enum Detail: Equatable {
        case total
        case indexes
    }

    /// The request's `ReturnConsumedCapacity`, checked as DynamoDB checks it; also checks
    /// `ReturnItemCollectionMetrics`, which DynamoDB answers only for tables with local secondary
    /// indexes — PAM's have none, so SIZE is accepted and, as there, nothing is returned.
    static func detail(_ value: String?, itemCollectionMetrics: String? = nil) throws(ItemError) -> Detail? {
        try DynamoDBEndpoint.checkEnum(value, member: "returnConsumedCapacity", ["INDEXES", "TOTAL", "NONE"])
        try DynamoDBEndpoint.checkEnum(itemCollectionMetrics, member: "returnItemCollectionMetrics", ["SIZE", "NONE"])
        switch value {
        case "TOTAL"?: return .total
        case "INDEXES"?: return .indexes
        default: return nil
        }
    }

    /// The answer's member for `units` used on `table`, nil when the request asked for none.
    init?(_ detail: Detail?, table: String, units: Double) {
        guard let detail else { return nil }
        TableName = table
        CapacityUnits = units
        Table = detail == .indexes ? Units(CapacityUnits: units) : nil
    }

    /// Write units for an item written over `before` (nil: there was none) leaving `after`.
    static func writeUnits(before: Item?, after: Item?) -> Double {
        let bytes = max(before.map(AttributeValue.size(of:)) ?? 0, after.map(AttributeValue.size(of:)) ?? 0)
        return Double(max(1, (bytes + 1023) / 1024))
    }

    /// Read units for `bytes` read at once.
    static func readUnits(bytes: Int, consistent: Bool) -> Double {
        let units = Double(max(1, (bytes + 4095) / 4096))
        return consistent ? units : units / 2
    }

    /// Read units for one item read by key (nil: there was none).
    static func readUnits(_ item: Item?, consistent: Bool) -> Double {
        readUnits(bytes: item.map(AttributeValue.size(of:)) ?? 0, consistent: consistent)
    }
}

/// The `ConsumedCapacity` member: one for a single-table operation, a list (a table each) for the
/// batch operations.
enum DynamoDBCapacityAnswer: Encodable {
    case one(DynamoDBCapacity)
    case perTable([DynamoDBCapacity])

    /// A single-table operation's member for `units` used on `table`, nil when none was asked for.
    static func one(_ detail: DynamoDBCapacity.Detail?, table: String, units: Double) -> Self? {
        DynamoDBCapacity(detail, table: table, units: units).map { .one($0) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .one(let capacity): try container.encode(capacity)
        case .perTable(let capacities): try container.encode(capacities)
        }
    }
}
