import Foundation

/// A bucket the AWS endpoint serves, as ListBuckets names it.
public struct S3Bucket: Sendable, Hashable {
    public var name: String
    public var created: Date

    public init(name: String, created: Date) {
        self.name = name
        self.created = created
    }
}

/// The AWS endpoint's listener and what it accepts: the port (beside the app's, same host), the
/// access keys requests are signed with, and the buckets it serves (the app's own).
public struct AWSEndpointSettings: Sendable {
    /// LocalStack's edge port, which AWS tooling for local endpoints often assumes.
    public static let defaultPort = 4566
    /// The key pair accepted when none is configured (README "Use PAM as your AWS endpoint").
    public static let defaultAccessKeyID = "pam"
    public static let defaultSecretAccessKey = "pam-local-secret"

    /// 0: any free port (recorded in `serve.json`).
    public var port: Int
    /// Access key id → secret access key.
    public var credentials: [String: String]
    public var buckets: [S3Bucket]
    /// The region HeadBucket reports (`x-amz-bucket-region`).
    public var region = "us-east-1"

    public init(port: Int, credentials: [String: String], buckets: [S3Bucket]) {
        self.port = port
        self.credentials = credentials
        self.buckets = buckets
    }

    /// The keys the endpoint accepts: the configuration file's, plus the pair in
    /// `PAM_AWS_ACCESS_KEY_ID`/`PAM_AWS_SECRET_ACCESS_KEY`; the default pair when neither gives one.
    public static func credentials(configured: [String: String]?, environment: [String: String]) -> [String: String] {
        var keys = configured ?? [:]
        if let id = environment["PAM_AWS_ACCESS_KEY_ID"], !id.isEmpty, let secret = environment["PAM_AWS_SECRET_ACCESS_KEY"],
            !secret.isEmpty
        {
            keys[id] = secret
        }
        return keys.isEmpty ? [defaultAccessKeyID: defaultSecretAccessKey] : keys
    }
}
