/// Reading and writing an item at a document path (`a.b[2].c`).
extension AttributePath {
    static let invalidForUpdate = ItemError.validation("The document path provided in the update expression is invalid for update")

    /// The value at the path, or nil when any step is missing or of the wrong type.
    public func value(in item: Item) -> AttributeValue? {
        guard case .name(let first) = elements.first, var value = item[first] else { return nil }
        for element in elements.dropFirst() {
            switch (element, value) {
            case (.name(let name), .map(let members)):
                guard let member = members[name] else { return nil }
                value = member
            case (.index(let index), .list(let values)):
                guard index < values.count else { return nil }
                value = values[index]
            default:
                return nil
            }
        }
        return value
    }

    /// Sets the value at the path: its parent must exist (a map for a name, a list for an index;
    /// an index past the end appends).
    public func set(_ newValue: AttributeValue, in item: inout Item) throws(ItemError) {
        guard case .name(let first) = elements.first else { throw Self.invalidForUpdate }
        if elements.count == 1 {
            item[first] = newValue
            return
        }
        guard let container = item[first] else { throw Self.invalidForUpdate }
        item[first] = try Self.setting(newValue, at: elements.dropFirst(), in: container)
    }

    private static func setting(_ newValue: AttributeValue, at path: ArraySlice<Element>, in container: AttributeValue) throws(ItemError)
        -> AttributeValue
    {
        guard let element = path.first else { return newValue }
        let rest = path.dropFirst()
        switch (element, container) {
        case (.name(let name), .map(var members)):
            if rest.isEmpty {
                members[name] = newValue
            } else {
                guard let member = members[name] else { throw invalidForUpdate }
                members[name] = try setting(newValue, at: rest, in: member)
            }
            return .map(members)
        case (.index(let index), .list(var values)):
            if index < values.count {
                values[index] = try rest.isEmpty ? newValue : setting(newValue, at: rest, in: values[index])
            } else {
                guard rest.isEmpty else { throw invalidForUpdate }
                values.append(newValue)
            }
            return .list(values)
        default:
            throw invalidForUpdate
        }
    }

    /// Removes the value at the path; nothing when it is not there. A removed list element closes
    /// the gap.
    public func remove(from item: inout Item) throws(ItemError) {
        guard case .name(let first) = elements.first else { return }
        if elements.count == 1 {
            item[first] = nil
            return
        }
        guard let container = item[first] else { return }
        item[first] = try Self.removing(at: elements.dropFirst(), in: container)
    }

    private static func removing(at path: ArraySlice<Element>, in container: AttributeValue) throws(ItemError) -> AttributeValue {
        guard let element = path.first else { return container }
        let rest = path.dropFirst()
        switch (element, container) {
        case (.name(let name), .map(var members)):
            if rest.isEmpty {
                members[name] = nil
            } else if let member = members[name] {
                members[name] = try removing(at: rest, in: member)
            }
            return .map(members)
        case (.index(let index), .list(var values)):
            guard index < values.count else { return container }
            if rest.isEmpty {
                values.remove(at: index)
            } else {
                values[index] = try removing(at: rest, in: values[index])
            }
            return .list(values)
        default:
            throw invalidForUpdate
        }
    }
}
