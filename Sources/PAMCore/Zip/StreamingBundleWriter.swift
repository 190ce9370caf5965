/// The bundle streamed through the store's own `get` and `put` (`ZipArchiveStream`): works with
/// every store — S3 included, where the bundle is uploaded as it is made. Each entry is checked
/// against its recorded CRC-32 as it streams; an object without one (a store that keeps none) is
/// read once first to learn it. The ETag is the store's.
public struct StreamingBundleWriter: BundleWriter {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    public func writeZip(of objects: [ObjectInfo], to ref: ObjectRef) async throws -> ObjectInfo {
        var sources: [ZipSource] = []
        sources.reserveCapacity(objects.count)
        for info in objects {
            var crc = info.crc32
            if crc == nil { crc = try await checksum(info.ref) }
            let store = self.store
            sources.append(
                ZipSource(name: info.ref.key, size: UInt64(info.size), crc32: crc ?? 0, modified: info.created) {
                    try await store.get(info.ref)
                })
        }
        return try await store.put(
            ref, body: ZipArchiveStream.make(sources), options: PutOptions(contentType: "application/zip", computeCRC32: false))
    }

    /// Reads an object once to learn its CRC-32, for stores that do not keep one.
    private func checksum(_ ref: ObjectRef) async throws -> UInt32 {
        var crc = CRC32()
        for try await chunk in try await store.get(ref) { crc.update(chunk) }
        return crc.value
    }
}
