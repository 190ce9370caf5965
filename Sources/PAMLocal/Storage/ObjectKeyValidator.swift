import PAMCore

/// The keys and bucket names a file-system bucket accepts: S3's limits, minus everything that
/// could step outside the bucket's folder or that a file system cannot hold.
public enum ObjectKeyValidator {
    /// Throws `.invalidKey` for keys that are empty, longer than 1024 UTF-8 bytes, absolute,
    /// contain NUL, control characters or backslashes, have `.`/`..`/empty segments, end in `/`,
    /// or have a segment longer than 255 bytes.
    public static func validate(key: String, bucket: String) throws {
        let ref = ObjectRef(bucket: bucket, key: key)
        func refuse(_ why: String) -> PAMError { PAMError(.invalidKey, "object key \(why)", ref: ref) }
        guard !key.isEmpty else { throw refuse("is empty") }
        guard key.utf8.count <= 1024 else { throw refuse("is longer than 1024 bytes") }
        guard !key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw refuse("contains NUL or a control character")
        }
        // Checked as bytes, as the file system reads the path: as Characters, a '/' or '\\'
        // followed by a combining mark is another character, and "../\u{06DB}x" would pass.
        let bytes = Array(key.utf8)
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        guard !bytes.contains(UInt8(ascii: "\\")) else { throw refuse("contains a backslash") }
        guard bytes.first != slash else { throw refuse("is an absolute path") }
        for segment in bytes.split(separator: slash, omittingEmptySubsequences: false) {
            if segment.isEmpty { throw refuse("has an empty path segment or ends in '/'") }
            if segment.allSatisfy({ $0 == dot }) && segment.count <= 2 {
                throw refuse("has a '\(String(repeating: ".", count: segment.count))' path segment")
            }
            guard segment.count <= 255 else { throw refuse("has a path segment longer than 255 bytes") }
        }
    }

    /// Throws `.invalidBucket` unless `name` follows S3's bucket naming rules (3–63 characters of
    /// lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit).
    public static func validate(bucket name: String) throws {
        let allowed = name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x2E }
        let edges = [name.utf8.first, name.utf8.last].allSatisfy { byte in
            byte.map { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) } ?? false
        }
        guard (3...63).contains(name.utf8.count), allowed, edges, !name.contains("..") else {
            throw PAMError(.invalidBucket, "bucket name '\(name)' is not a valid S3 bucket name")
        }
    }
}
