import Foundation

/// The AWS endpoint's listener and what it accepts: the port (beside the app's, same host), the
/// access keys requests are signed with and the region it answers for. The buckets it serves are
/// the local store's (`ServerDependencies.buckets`).
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
    /// The region HeadBucket reports (`x-amz-bucket-region`), GetBucketLocation too, and the only
    /// location constraint CreateBucket accepts (none, for us-east-1).
    public var region = "us-east-1"

    public init(port: Int, credentials: [String: String]) {
        self.port = port
        self.credentials = credentials
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
