import Foundation
import PAMSigV4

/// The bucket and key a request names, path-style (`/bucket/key`) or virtual-hosted-style
/// (`bucket.localhost:4566/key`, `bucket.s3.localhost/key`, `bucket.s3.us-east-1.localhost/key`).
/// The key is percent-decoded from the path; a `+` stays a plus.
struct S3Address: Sendable, Hashable {
    /// nil: the service itself (ListBuckets).
    var bucket: String?
    /// nil or empty: the bucket itself.
    var key: String?

    init(bucket: String?, key: String?) {
        self.bucket = bucket
        self.key = key
    }

    /// The address of a request with this `Host` (or `:authority`) and raw path.
    init(host: String?, rawPath: String) {
        let path = rawPath.hasPrefix("/") ? String(rawPath.dropFirst()) : rawPath
        if let bucket = host.flatMap(Self.virtualHostedBucket) {
            self.init(bucket: bucket, key: path.isEmpty ? nil : AWSPercentEncoding.decode(path))
            return
        }
        guard !path.isEmpty else {
            self.init(bucket: nil, key: nil)
            return
        }
        let parts = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let key = parts.count > 1 && !parts[1].isEmpty ? AWSPercentEncoding.decode(parts[1]) : nil
        self.init(bucket: AWSPercentEncoding.decode(parts[0]), key: key)
    }

    /// The bucket a virtual-hosted name carries: what precedes `.localhost`, without a trailing
    /// `.s3` or `.s3.<region>`; nil for `localhost`, IP addresses and other names (path-style).
    static func virtualHostedBucket(_ host: String) -> String? {
        var name = host.lowercased()
        if name.hasPrefix("[") { return nil } // an IPv6 literal
        if let colon = name.lastIndex(of: ":") { name = String(name[..<colon]) }
        let suffix = ".localhost"
        guard name.hasSuffix(suffix) else { return nil }
        var bucket = String(name.dropLast(suffix.count))
        if bucket.hasSuffix(".s3") {
            bucket = String(bucket.dropLast(3))
        } else if let range = bucket.range(of: ".s3.", options: .backwards),
            !bucket[range.upperBound...].contains(".")
        {
            bucket = String(bucket[..<range.lowerBound])
        } else if bucket == "s3" || bucket.hasPrefix("s3.") && !bucket.dropFirst(3).contains(".") {
            return nil // s3.localhost, s3.us-east-1.localhost: the service, path-style
        }
        return bucket.isEmpty ? nil : bucket
    }
}
