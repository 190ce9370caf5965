import Foundation

/// Step 1 of the pipeline: a photo becomes `{uuid}-{name}.jpg` in the storage bucket.
public struct UploadService: Sendable {
    let store: any ObjectStore
    let config: PipelineConfig

    public init(store: any ObjectStore, config: PipelineConfig) {
        self.store = store
        self.config = config
    }

    /// Stores `body` as a new photo named after `fileName`.
    public func upload(fileName: String, body: ByteStream) async throws -> ObjectInfo {
        let ref = ObjectRef(bucket: config.storageBucket, key: PhotoKey.make(fileName: fileName))
        return try await store.put(ref, body: body, options: PutOptions(contentType: "image/jpeg"))
    }

    /// A presigned PUT URL for a new photo, valid for the configured upload lifetime (15 minutes).
    public func presignUpload(fileName: String) async throws -> (ref: ObjectRef, url: URL) {
        guard PhotoKey.isJPEG(fileName) else {
            throw PAMError(.invalidArgument, "file_name must end in .jpg or .jpeg")
        }
        let ref = ObjectRef(bucket: config.storageBucket, key: PhotoKey.make(fileName: fileName))
        let url = try await store.presignedURL(.put, ref, expiresIn: config.uploadURLLifetime, contentType: "image/jpeg")
        return (ref, url)
    }
}
