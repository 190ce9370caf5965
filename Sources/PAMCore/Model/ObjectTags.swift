/// S3's limits on an object's tags, which every `ObjectStore` keeps: at most 10 tags, keys of 1
/// to 128 characters and values of at most 256.
public enum ObjectTags {
    public static let maxCount = 10

    /// `tags` when they are within the limits; `.invalidArgument` about `ref` otherwise.
    public static func validated(_ tags: [String: String], ref: ObjectRef? = nil) throws -> [String: String] {
        guard tags.count <= maxCount else {
            throw PAMError(.invalidArgument, "an object has at most \(maxCount) tags, not \(tags.count)", ref: ref)
        }
        for (key, value) in tags where key.isEmpty || key.count > 128 || value.count > 256 {
            throw PAMError(.invalidArgument, "tag keys are 1 to 128 characters and values at most 256", ref: ref)
        }
        return tags
    }
}
