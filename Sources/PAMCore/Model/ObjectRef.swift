/// A bucket and key naming one object.
public struct ObjectRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public var bucket: String
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    public var description: String { "\(bucket)/\(key)" }
}
