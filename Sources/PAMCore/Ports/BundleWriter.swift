/// Writes the zip bundle of stored objects into the store as one object (step 4's zip): one stored
/// entry per object, named by its key (clashing names renamed, `ZipArchiveStream.uniqueNames`),
/// each entry's bytes checked against the CRC-32 recorded when it was stored, so a bundle never
/// holds bytes that are not the uploaded ones; on any failure nothing is stored.
///
/// `StreamingBundleWriter` streams the zip through any `ObjectStore`; a local store can write it
/// faster on its own disk (`FileSystemBundleWriter`). Both write the same bytes.
public protocol BundleWriter: Sendable {
    /// Writes the zip of `objects` (as `head` describes them, in this order) to `ref`.
    func writeZip(of objects: [ObjectInfo], to ref: ObjectRef) async throws -> ObjectInfo
}
