/// A refusal of the item store or its expression language, as DynamoDB words it: the caller's
/// mistake (`validation`, with AWS's message), a condition that did not hold, a table that does or
/// does not exist. The AWS endpoint renders each as DynamoDB's error of the same name; a failure of
/// the store itself is a `PAMError` (`.table`).
public struct ItemError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// `ValidationException`.
        case validation = "ValidationException"
        /// `ConditionalCheckFailedException`.
        case conditionalCheckFailed = "ConditionalCheckFailedException"
        /// `ResourceNotFoundException`.
        case resourceNotFound = "ResourceNotFoundException"
        /// `ResourceInUseException`.
        case resourceInUse = "ResourceInUseException"
    }

    public let code: Code
    public let message: String
    /// The item as it was, for a failed condition whose caller asked for it
    /// (`ReturnValuesOnConditionCheckFailure: ALL_OLD`).
    public var item: Item?

    public init(_ code: Code, _ message: String, item: Item? = nil) {
        self.code = code
        self.message = message
        self.item = item
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// `ValidationException` with `message`.
    public static func validation(_ message: String) -> ItemError { ItemError(.validation, message) }

    /// DynamoDB's words for an invalid parameter value.
    public static func invalidParameter(_ detail: String) -> ItemError {
        ItemError(.validation, "One or more parameter values were invalid: \(detail)")
    }

    /// The answer to a condition that did not hold.
    public static let conditionalCheckFailed = ItemError(.conditionalCheckFailed, "The conditional request failed")

    /// A condition that did not hold, with the item as it was when `returnOld` (and there was one).
    public static func conditionalCheckFailed(old: Item?, returnOld: Bool) -> ItemError {
        ItemError(.conditionalCheckFailed, "The conditional request failed", item: returnOld ? old : nil)
    }

    /// An item operation on a table that does not exist.
    public static let tableNotFound = ItemError(.resourceNotFound, "Requested resource not found")

    /// DescribeTable / DeleteTable of a table that does not exist.
    public static func tableNotFound(_ name: String) -> ItemError {
        ItemError(.resourceNotFound, "Requested resource not found: Table: \(name) not found")
    }

    /// CreateTable of a name in use.
    public static func tableExists(_ name: String) -> ItemError { ItemError(.resourceInUse, "Table already exists: \(name)") }
}
