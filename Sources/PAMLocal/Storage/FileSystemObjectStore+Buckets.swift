import Foundation
import PAMCore

/// The local buckets' catalog: a row per bucket in the object index (with its lifecycle and CORS
/// configurations); its folder of version files is made by its first object and removed in the
/// transaction that deletes the row. The buckets given at opening are the app's: pinned, never deleted.
extension FileSystemObjectStore: BucketCatalog {
    public func buckets() async throws -> [BucketInfo] {
        try index.bucketRows().map(pinning)
    }

    public func bucket(named name: String) async throws -> BucketInfo? {
        try index.bucketRow(name).map(pinning)
    }

    @discardableResult
    public func createBucket(_ name: String) async throws -> BucketInfo {
        try Self.validateNewBucket(name)
        let created = clock.now()
        try index.insertBucket(name, created: created, limit: maximumBuckets) {
            // Folders without a row are what a crash left: nothing in them is an object.
            for folder in bucketFolders(name) { try? FileManager.default.removeItem(at: folder) }
        }
        return BucketInfo(name: name, created: created)
    }

    public func deleteBucket(_ name: String) async throws {
        guard !buckets.contains(name) else { throw PAMError(.conflict, "the bucket '\(name)' is one of the app's and is kept") }
        let uploads = try index.deleteBucket(name) {
            for folder in bucketFolders(name) {
                do {
                    try FileManager.default.removeItem(at: folder)
                } catch CocoaError.fileNoSuchFile {
                    // Never made, or already gone.
                } catch {
                    throw PAMError(.io, "cannot remove the bucket folder", path: folder.path, underlying: error)
                }
            }
        }
        // The uploads in progress went with the bucket; their parts go now (or, after a crash, at the next opening).
        for id in uploads { try? FileManager.default.removeItem(at: state.multipart.appendingPathComponent(id)) }
    }

    public func lifecycle(of bucket: String) async throws -> [LifecycleRule]? {
        try index.bucketConfiguration(.lifecycle, of: bucket, as: [LifecycleRule].self)
    }

    public func setLifecycle(_ rules: [LifecycleRule]?, of bucket: String) async throws {
        try index.setBucketConfiguration(.lifecycle, of: bucket, to: rules)
    }

    public func cors(of bucket: String) async throws -> [CORSRule]? {
        try index.bucketConfiguration(.cors, of: bucket, as: [CORSRule].self)
    }

    public func setCORS(_ rules: [CORSRule]?, of bucket: String) async throws {
        try index.setBucketConfiguration(.cors, of: bucket, to: rules)
    }

    /// The bucket's folder of version files, and its folder of a state written before them.
    private func bucketFolders(_ name: String) -> [URL] {
        [versionFolder(name), state.legacyBuckets.appendingPathComponent(name, isDirectory: true)]
    }

    private func pinning(_ info: BucketInfo) -> BucketInfo {
        var info = info
        info.pinned = buckets.contains(info.name)
        return info
    }

    /// S3's rules for a new bucket's name (`ObjectKeyValidator.validate(bucket:)`), plus those S3
    /// adds for new buckets: not an IP address, no `xn--`/`sthree-` prefix, no `-s3alias`/`--ol-s3` suffix.
    static func validateNewBucket(_ name: String) throws {
        try ObjectKeyValidator.validate(bucket: name)
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        let ipForm = parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        let reserved =
            ["xn--", "sthree-"].contains { name.hasPrefix($0) } || ["-s3alias", "--ol-s3"].contains { name.hasSuffix($0) }
        guard !ipForm, !reserved else { throw PAMError(.invalidBucket, "bucket name '\(name)' is not a valid S3 bucket name") }
    }
}
