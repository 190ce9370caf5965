import Foundation
import Logging
import PAMCore

/// `LabelTable` on DynamoDB, with the reference schema: partition key `Label` (S), `Count` (N),
/// `Images` (SS).
///
/// Counting is exactly-once without transactions: each label is one conditional UpdateItem,
/// `ADD Count :one, Images :img` only if `NOT contains(Images, :key)`; a label the image no longer
/// has (an overwritten object) is one `DELETE Images :img ADD Count :minus` only if
/// `contains(Images, :key)`. A repeated or concurrent record of the same image fails the
/// conditions and changes nothing, and the requests themselves are safe to retry.
public struct DynamoDBLabelTable: LabelTable {
    public let client: AWSClient
    public let tableName: String
    /// UpdateItems in flight at once for one `record`.
    public let concurrency: Int
    /// Items per Scan page (`Limit`); nil lets DynamoDB fill 1 MB pages.
    public let scanPageSize: Int?
    let logger: Logger

    static let target = "DynamoDB_20120810"

    public init(
        client: AWSClient, tableName: String, concurrency: Int = 8, scanPageSize: Int? = nil,
        logger: Logger = Logger(label: "pam.dynamodb")
    ) {
        self.client = client
        self.tableName = tableName
        self.concurrency = max(1, concurrency)
        self.scanPageSize = scanPageSize.map { max(1, $0) }
        self.logger = logger
    }

    @discardableResult
    public func record(imageKey: String, labels: [String]) async throws -> LabelChange {
        guard !imageKey.isEmpty else { throw PAMError(.invalidArgument, "the image key is empty") }
        let names = Set(labels.filter { !$0.isEmpty })
        // Count the new labels first, then remove the stale ones: a crash in between leaves the
        // photo untagged, and the next analysis finishes the removal.
        let added = try await forEach(names.sorted()) { try await countOnce(label: $0, imageKey: imageKey) }
        let stale = try await self.labels(ofImage: imageKey).filter { !names.contains($0) }
        let removed = try await forEach(stale) { try await uncountOnce(label: $0, imageKey: imageKey) }
        return LabelChange(added: added.sorted(), removed: removed.sorted())
    }

    /// Runs `update` on each label, `concurrency` at once; the labels for which it returned true.
    private func forEach(_ labels: [String], _ update: @escaping @Sendable (String) async throws -> Bool) async throws -> [String] {
        var changed: [String] = []
        try await withThrowingTaskGroup(of: String?.self) { group in
            var pending = labels[...]
            func startNext() {
                guard let label = pending.popFirst() else { return }
                group.addTask { try await update(label) ? label : nil }
            }
            for _ in 0..<concurrency { startNext() }
            for try await result in group {
                if let result { changed.append(result) }
                startNext()
            }
        }
        return changed
    }

    /// The labels whose `Images` hold `imageKey` (a filtered Scan: the reference schema has no
    /// index by image, and overwrites are rare).
    public func labels(ofImage imageKey: String) async throws -> [String] {
        struct ScanInput: Encodable {
            let TableName: String
            let ProjectionExpression = "#label"
            let FilterExpression = "contains(#images, :key)"
            let ExpressionAttributeNames = ["#label": "Label", "#images": "Images"]
            let ExpressionAttributeValues: Item
            let ExclusiveStartKey: Item?
            let Limit: Int?
        }
        struct ScanOutput: Decodable {
            let Items: [Item]?
            let LastEvaluatedKey: Item?
        }
        var labels: [String] = []
        var startKey: Item?
        repeat {
            let input = ScanInput(
                TableName: tableName, ExpressionAttributeValues: [":key": .string(imageKey)],
                ExclusiveStartKey: startKey, Limit: scanPageSize)
            let page = try await call("Scan", input, as: ScanOutput.self)
            labels += (page.Items ?? []).compactMap { $0["Label"]?.stringValue }
            startKey = page.LastEvaluatedKey
        } while startKey != nil
        return labels.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    public func allLabels() async throws -> [LabelCount] {
        struct ScanInput: Encodable {
            let TableName: String
            let ProjectionExpression = "#label, #count"
            let ExpressionAttributeNames = ["#label": "Label", "#count": "Count"]
            let ExclusiveStartKey: Item?
            let Limit: Int?
        }
        struct ScanOutput: Decodable {
            let Items: [Item]?
            let LastEvaluatedKey: Item?
        }
        var counts: [LabelCount] = []
        var startKey: Item?
        repeat {
            let page = try await call(
                "Scan", ScanInput(TableName: tableName, ExclusiveStartKey: startKey, Limit: scanPageSize), as: ScanOutput.self)
            for item in page.Items ?? [] {
                guard let label = item["Label"]?.stringValue, let count = item["Count"]?.intValue, count > 0 else { continue }
                counts.append(LabelCount(label: label, count: count))
            }
            startKey = page.LastEvaluatedKey
        } while startKey != nil
        return counts.sorted { $0.count != $1.count ? $0.count > $1.count : $0.label.utf8.lexicographicallyPrecedes($1.label.utf8) }
    }

    public func images(withAnyOf labels: [String]) async throws -> [String] {
        let names = Array(Set(labels.filter { !$0.isEmpty })).sorted()
        // Keyed by bytes: Swift's String equality would merge keys that are only canonically
        // equal (NFC and NFD spellings), which are two objects.
        var images: [[UInt8]: String] = [:]
        var start = 0
        while start < names.count {
            // BatchGetItem takes at most 100 keys.
            let batch = names[start..<min(start + 100, names.count)]
            for item in try await batchGet(batch.map { ["Label": .string($0)] }) {
                for image in item["Images"]?.stringSetValue ?? [] { images[Array(image.utf8)] = image }
            }
            start += 100
        }
        return images.values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    // MARK: Requests

    /// One conditional UpdateItem: true when this call counted the image, false when it already was.
    func countOnce(label: String, imageKey: String) async throws -> Bool {
        try await conditionalUpdate(
            label: label, imageKey: imageKey, update: "ADD #count :delta, #images :img",
            condition: "NOT contains(#images, :key)", delta: 1)
    }

    /// One conditional UpdateItem: true when this call removed the image from the label (and
    /// counted it down), false when it was not there.
    func uncountOnce(label: String, imageKey: String) async throws -> Bool {
        try await conditionalUpdate(
            label: label, imageKey: imageKey, update: "DELETE #images :img ADD #count :delta",
            condition: "contains(#images, :key)", delta: -1)
    }

    /// UpdateItem of one label's `Count` by `delta` and its `Images` by the image, guarded by
    /// `condition`: the check and both changes are one atomic write, so each happens exactly once.
    private func conditionalUpdate(label: String, imageKey: String, update: String, condition: String, delta: Int) async throws -> Bool {
        struct UpdateInput: Encodable {
            let TableName: String
            let Key: Item
            let UpdateExpression: String
            let ConditionExpression: String
            let ExpressionAttributeNames = ["#count": "Count", "#images": "Images"]
            let ExpressionAttributeValues: Item
        }
        let input = UpdateInput(
            TableName: tableName, Key: ["Label": .string(label)], UpdateExpression: update,
            ConditionExpression: condition,
            ExpressionAttributeValues: [
                ":delta": .number(delta), ":img": .stringSet([imageKey]), ":key": .string(imageKey),
            ])
        do {
            _ = try await client.callJSON(
                .dynamodb, target: Self.target, operation: "UpdateItem", version: "1.0", input: input, as: AWSEmpty.self)
            return true
        } catch let error as AWSServiceError where error.code == "ConditionalCheckFailedException" {
            return false
        } catch {
            throw mapped(error, operation: "UpdateItem")
        }
    }

    /// BatchGetItem, retrying `UnprocessedKeys` with backoff until every key is read.
    func batchGet(_ keys: [Item]) async throws -> [Item] {
        struct KeysAndAttributes: Codable {
            let Keys: [Item]
            var ProjectionExpression: String? = "#images"
            var ExpressionAttributeNames: [String: String]? = ["#images": "Images"]
        }
        struct BatchInput: Encodable { let RequestItems: [String: KeysAndAttributes] }
        struct BatchOutput: Decodable {
            let Responses: [String: [Item]]?
            let UnprocessedKeys: [String: KeysAndAttributes]?
        }
        var items: [Item] = []
        var remaining = keys
        var round = 0
        while !remaining.isEmpty {
            if round > 0 { try await Task.sleep(for: client.retry.delay(beforeRetry: min(round, 8))) }
            let output = try await call(
                "BatchGetItem", BatchInput(RequestItems: [tableName: KeysAndAttributes(Keys: remaining)]), as: BatchOutput.self)
            items += output.Responses?[tableName] ?? []
            remaining = output.UnprocessedKeys?[tableName]?.Keys ?? []
            round += 1
            if round > 50, !remaining.isEmpty {
                throw PAMError(.table, "DynamoDB BatchGetItem left \(remaining.count) keys unprocessed after \(round) rounds")
            }
        }
        return items
    }

    private func call<Input: Encodable, Output: Decodable>(_ operation: String, _ input: Input, as output: Output.Type) async throws
        -> Output
    {
        do {
            return try await client.callJSON(.dynamodb, target: Self.target, operation: operation, version: "1.0", input: input, as: output)
        } catch {
            throw mapped(error, operation: operation)
        }
    }

    private func mapped(_ error: any Error, operation: String) -> any Error {
        switch error {
        case let error as AWSServiceError:
            let code: PAMError.Code =
                error.code == "ResourceNotFoundException" ? .notFound : error.code == "ValidationException" ? .invalidArgument : .table
            return PAMError(code, "DynamoDB \(operation) on table \(tableName) failed: \(error.code): \(error.message)", underlying: error)
        case let error as AWSTransportError:
            return PAMError(
                .table, "DynamoDB \(operation) on table \(tableName) failed: the service could not be reached", underlying: error)
        default:
            return error
        }
    }
}
