/// A deletion the store keeps on record until whoever counts the bucket's objects has taken the
/// object out (``ObjectStore/clearDeletionMark(_:)``): the local store writes it in the very
/// transaction that deletes the object, so a process killed before the deletion's analysis turn
/// leaves the mark, and the next start finds the photo (``AnalysisService/pendingPhotos()``).
/// A later deletion of the same key raises `generation`, so clearing an older mark leaves it.
public struct DeletionMark: Sendable, Hashable {
    public var ref: ObjectRef
    public var generation: Int64

    public init(ref: ObjectRef, generation: Int64) {
        self.ref = ref
        self.generation = generation
    }
}
