import Foundation

/// Step 1 of the pipeline: a photo becomes `{uuid}-{name}.jpg` in the storage bucket.
public struct UploadService: Sendable {
    let store: any ObjectStore
    let config: PipelineConfig

    public init(store: any ObjectStore, config: PipelineConfig) {
        self.store = store
        self.config = config
    }

    /// Where a new photo named after `fileName` goes.
    private func newPhoto(_ fileName: String) -> ObjectRef {
        ObjectRef(bucket: config.storageBucket, key: PhotoKey.make(fileName: fileName))
    }

    /// How a photo is stored.
    static let photoOptions = PutOptions(contentType: "image/jpeg")

    /// Stores `body` as a new photo named after `fileName`.
    public func upload(fileName: String, body: ByteStream) async throws -> ObjectInfo {
        try await store.put(newPhoto(fileName), body: body, options: Self.photoOptions)
    }

    /// Stores each photo as ``upload(fileName:body:)`` does, together (``ObjectStore/putEach(_:options:)``),
    /// and answers each one's outcome in order.
    public func uploadEach(_ photos: [(fileName: String, body: Data)]) async -> [Result<ObjectInfo, any Error>] {
        await store.putEach(photos.map { (ref: newPhoto($0.fileName), body: $0.body) }, options: Self.photoOptions)
    }

    /// A presigned PUT URL for a new photo, valid for the configured upload lifetime (15 minutes).
    public func presignUpload(fileName: String) async throws -> (ref: ObjectRef, url: URL) {
        guard PhotoKey.isJPEG(fileName) else {
            throw PAMError(.invalidArgument, "file_name must end in .jpg or .jpeg")
        }
        let ref = newPhoto(fileName)
        let url = try await store.presignedURL(.put, ref, expiresIn: config.uploadURLLifetime, contentType: Self.photoOptions.contentType)
        return (ref, url)
    }
}
