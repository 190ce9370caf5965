/// One item of the app's label table (`pam-labels`: `Label` S, `Count` N, `Images` SS) split the
/// way the local store keeps it: the count and the images as rows the app counts with, and every
/// other attribute as it was written. The table is schemaless beyond its key, as in DynamoDB, so a
/// handler may write anything; only an integer `Count` and a string-set `Images` are the app's:
/// a `Count` of another type or size, or `Images` as a list, stays in `others` as written (the app
/// does not count them), and the item reads back exactly as it was put.
public struct LabelItem: Sendable, Hashable {
    /// The key attribute's name.
    public static let keyName = "Label"
    public static let countName = "Count"
    public static let imagesName = "Images"

    /// The table's key schema.
    public static func table(named name: String) -> ItemTable {
        ItemTable(name: name, partitionKey: KeyAttribute(name: keyName, type: "S"))
    }

    public var label: String
    /// `Count`, when it is an integer (nil: absent, or kept in `others`).
    public var count: Int?
    /// `Images`, when it is a string set: sorted by UTF-8 bytes, no duplicates (empty: absent).
    public var images: [String]
    /// Every other attribute, as written.
    public var others: Item

    public init(label: String, count: Int? = nil, images: [String] = [], others: Item = [:]) {
        self.label = label
        self.count = count
        self.images = images
        self.others = others
    }

    /// Splits a whole item; nil when its key is not a string.
    public init?(_ item: Item) {
        guard let label = item[Self.keyName]?.stringValue else { return nil }
        var others = item
        others[Self.keyName] = nil
        self.label = label
        count = nil
        images = []
        if let value = others[Self.countName], let number = value.intValue, value == .number(number) {
            count = number
            others[Self.countName] = nil
        }
        if let set = others[Self.imagesName]?.stringSetValue {
            images = set
            others[Self.imagesName] = nil
        }
        self.others = others
    }

    /// The whole item: the app's count and images win over an attribute of the same name kept
    /// from an earlier write.
    public var item: Item {
        var item = others
        item[Self.keyName] = .string(label)
        if let count { item[Self.countName] = .number(count) }
        if !images.isEmpty { item[Self.imagesName] = .stringSet(images) }
        return item
    }
}
