/// A deletion the store keeps on record until whoever counts the object has taken it out
/// (``ObjectStore/clearDeletionMark(_:)``): the local store writes it in the very transaction that
/// deletes the object, so a process killed before the deletion's analysis turn leaves the mark,
/// and the next start finds the photo (``AnalysisService/pendingPhotos()``). Each deletion gets a
/// new random `id`, never reused, so a turn clears only the deletion it saw, not a later one.
public struct DeletionMark: Sendable, Hashable {
    public var ref: ObjectRef
    public var id: Int64

    public init(ref: ObjectRef, id: Int64) {
        self.ref = ref
        self.id = id
    }
}
