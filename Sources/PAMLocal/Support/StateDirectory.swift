import Foundation
import PAMCore

/// The layout of a local state folder (default `.pam/`):
///
/// ```
/// objects/<bucket>/<name>  object bodies: one file per stored version, named in its index row
/// buckets/<bucket>/<key>   bodies stored before version files (read, replaced and deleted as before)
/// objects.sqlite           object metadata (size, ETag, CRC, tags, storage class, times, body file), deletions on record
/// items.sqlite             the label table, and the AWS endpoint's other DynamoDB tables and items
/// sns.sqlite               the AWS endpoint's SNS topics and subscriptions (their addresses)
/// outbox/                  delivered notifications (.eml, .json; folder 0700, files 0600)
/// tmp/                     partial writes, renamed into place when complete
/// multipart/<upload>/<part>-<version> the parts of multipart uploads in progress (rows in objects.sqlite)
/// presign.key              the HMAC key of presigned URLs (created once, mode 0600)
/// signin-key.pem           the RSA key of the local sign-in's tokens (created once, mode 0600)
/// ```
public struct StateDirectory: Sendable {
    public let root: URL

    public init(_ root: URL) { self.root = root.standardizedFileURL }

    /// Object bodies, a folder per bucket, each file one stored version named in the object's row.
    public var objects: URL { root.appendingPathComponent("objects", isDirectory: true) }
    /// Object bodies written before version files, at their keys' paths (`buckets/<bucket>/<key>`).
    public var legacyBuckets: URL { root.appendingPathComponent("buckets", isDirectory: true) }
    public var objectIndex: URL { root.appendingPathComponent("objects.sqlite") }
    /// Where the label table was before it joined the item store (taken in once, then renamed).
    public var legacyLabelTable: URL { root.appendingPathComponent("labels.sqlite") }
    public var itemStore: URL { root.appendingPathComponent("items.sqlite") }
    public var topics: URL { root.appendingPathComponent("sns.sqlite") }
    public var outbox: URL { root.appendingPathComponent("outbox", isDirectory: true) }
    public var temporary: URL { root.appendingPathComponent("tmp", isDirectory: true) }
    public var multipart: URL { root.appendingPathComponent("multipart", isDirectory: true) }
    public var presignKey: URL { root.appendingPathComponent("presign.key") }
    public var signInKey: URL { root.appendingPathComponent("signin-key.pem") }

    /// Creates the folders that do not exist yet. The state holds photos, bundles, keys, and an
    /// outbox of addresses and live links, so the folder and its outbox are private to their
    /// owner (0700), also when an older state made them readable by others.
    public func create() throws {
        for folder in [root, objects, outbox, temporary] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw PAMError(.io, "cannot create the state folder", path: folder.path, underlying: error)
            }
        }
        for folder in [root, outbox] where chmod(folder.path, 0o700) != 0 {
            throw PAMError(.io, "cannot make the state folder private: \(String(cString: strerror(errno)))", path: folder.path)
        }
    }

    /// How long a file in `tmp/` may go unmodified before it counts as abandoned: far longer than
    /// any write in progress pauses (uploads, bundles and atomic writes keep writing until they
    /// rename their file into place or delete it).
    public static let abandonedAfter: TimeInterval = 24 * 3600

    /// Removes the files of `tmp/` unmodified for ``abandonedAfter``: what a killed process was
    /// writing (its own clean-up never ran). By age, not all of them, because another process
    /// (`pam import` beside `pam serve`) may be writing into the same state now. Best effort: a
    /// file that cannot be removed stays.
    public func removeAbandonedTemporaryFiles(now: Date = Date()) {
        guard
            let names = try? FileManager.default.contentsOfDirectory(atPath: temporary.path)
        else { return }
        for name in names {
            let path = temporary.appendingPathComponent(name).path
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            if Double(status.st_mtim.tv_sec) < now.timeIntervalSince1970 - Self.abandonedAfter { unlink(path) }
        }
    }

    /// The presigning key, made from 32 random bytes the first time and kept from then on.
    public func loadOrCreatePresignKey() throws -> Data {
        if let key = try? Data(contentsOf: presignKey), key.count == 32 { return key }
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        try AtomicFile.write(key, to: presignKey, temporaryFolder: temporary, permissions: 0o600)
        // Another process may have won the race: everyone uses what is on disk.
        guard let stored = try? Data(contentsOf: presignKey), stored.count == 32 else {
            throw PAMError(.io, "cannot read the presigning key", path: presignKey.path)
        }
        return stored
    }
}
