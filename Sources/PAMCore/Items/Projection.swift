/// The attributes a read returns (`ProjectionExpression`, `AttributesToGet`, and ReturnValues'
/// `UPDATED_*`): each path's value where it is in the item, nested as in the item; selected list
/// elements keep their order and close up.
public enum Projection {
    private indirect enum Node {
        case leaf(AttributeValue)
        case map([String: Node])
        case list([Int: Node])

        var value: AttributeValue {
            switch self {
            case .leaf(let value): value
            case .map(let members): .map(members.mapValues(\.value))
            case .list(let elements): .list(elements.keys.sorted().compactMap { elements[$0]?.value })
            }
        }
    }

    /// `item` reduced to `paths`.
    public static func apply(_ paths: [AttributePath], to item: Item) -> Item {
        var root: [String: Node] = [:]
        for path in paths {
            guard case .name(let first) = path.elements.first, let value = path.value(in: item) else { continue }
            root[first] = insert(value, at: path.elements.dropFirst(), into: root[first])
        }
        return root.mapValues(\.value)
    }

    private static func insert(_ value: AttributeValue, at path: ArraySlice<AttributePath.Element>, into node: Node?) -> Node {
        guard let element = path.first else { return .leaf(value) }
        switch element {
        case .name(let name):
            var members: [String: Node] = [:]
            if case .map(let existing)? = node { members = existing }
            members[name] = insert(value, at: path.dropFirst(), into: members[name])
            return .map(members)
        case .index(let index):
            var elements: [Int: Node] = [:]
            if case .list(let existing)? = node { elements = existing }
            elements[index] = insert(value, at: path.dropFirst(), into: elements[index])
            return .list(elements)
        }
    }
}
