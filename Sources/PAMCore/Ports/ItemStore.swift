import Foundation

/// Tables of schemaless items under a primary key, as DynamoDB keeps them: what the AWS endpoint's
/// DynamoDB serves, and what a label table can be built on (exactly-once counting is one
/// conditional `update`).
///
/// Every write of an item is one atomic read-modify-write (`update`): the transform sees the item
/// as stored and its answer is stored before any other write of the same table runs, so two
/// concurrent conditional updates never both pass. Missing tables throw `ItemError.tableNotFound`;
/// failures of the store itself are `PAMError(.table)`.
public protocol ItemStore: Sendable {
    /// Creates a table; `ItemError.tableExists` when the name is taken.
    func createTable(_ definition: ItemTable) async throws
    /// The table, or nil.
    func table(_ name: String) async throws -> ItemTable?
    /// How many items the table holds and their size in bytes.
    func statistics(of table: String) async throws -> TableStatistics
    /// Every table's name, in byte order.
    func tableNames() async throws -> [String]
    /// Deletes a table and its items; its definition as it was.
    func deleteTable(_ name: String) async throws -> ItemTable
    /// The item under `key` (exactly the key attributes), or nil.
    func item(in table: String, key: Item) async throws -> Item?
    /// Reads the item under `key`, passes it to `transform` and stores what it returns (nil: no
    /// item), in one transaction; a throwing transform changes nothing. The item before and after.
    @discardableResult
    func update(table: String, key: Item, _ transform: @escaping @Sendable (Item?) throws -> Item?) async throws -> ItemUpdate
    /// Items in key order, per `query`: one partition's (optionally within sort-key bounds) or the
    /// whole table's, after an exclusive start key, at most `limit`.
    func items(in table: String, _ query: ItemQuery) async throws -> [Item]
}

/// An item before and after an `update`.
public struct ItemUpdate: Sendable, Hashable {
    public var old: Item?
    public var new: Item?

    public init(old: Item?, new: Item?) {
        self.old = old
        self.new = new
    }
}

/// A table's size, as DescribeTable reports it.
public struct TableStatistics: Sendable, Hashable {
    public var itemCount: Int
    public var sizeBytes: Int

    public init(itemCount: Int, sizeBytes: Int) {
        self.itemCount = itemCount
        self.sizeBytes = sizeBytes
    }
}

/// Which items `ItemStore.items` reads, in key order (partition key bytes, then sort key bytes;
/// `KeyBytes`).
public struct ItemQuery: Sendable, Hashable {
    /// A sort-key bound, as `KeyBytes`.
    public struct Bound: Sendable, Hashable {
        public var bytes: [UInt8]
        public var inclusive: Bool

        public init(_ bytes: [UInt8], inclusive: Bool) {
            self.bytes = bytes
            self.inclusive = inclusive
        }
    }

    /// One partition (Query); nil: the whole table (Scan).
    public var partition: AttributeValue?
    public var lower: Bound?
    public var upper: Bound?
    /// Ascending sort keys; false: descending (Query's `ScanIndexForward: false`).
    public var forward: Bool
    /// The key of the last item of the previous page (`ExclusiveStartKey`).
    public var after: Item?
    public var limit: Int?

    public init(
        partition: AttributeValue? = nil, lower: Bound? = nil, upper: Bound? = nil, forward: Bool = true, after: Item? = nil,
        limit: Int? = nil
    ) {
        self.partition = partition
        self.lower = lower
        self.upper = upper
        self.forward = forward
        self.after = after
        self.limit = limit
    }
}
