/// Where a stored body lies, as its row records it: a file of its own version (named in the row,
/// never replaced in place, so the row and the bytes always go together), or, for rows written
/// before version files, the path the key itself names (`buckets/<bucket>/<key>`, multipart
/// `<upload>/<number>`).
enum BodyFile: Equatable, Sendable {
    case version(String)
    case keyPath

    /// The row's `file` column: NULL for a body at its key's path.
    init(column: String?) { self = column.map(BodyFile.version) ?? .keyPath }

    /// The value of the row's `file` column.
    var column: String? {
        if case .version(let name) = self { return name }
        return nil
    }
}
