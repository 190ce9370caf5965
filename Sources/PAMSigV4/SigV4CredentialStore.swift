/// Where the verifier finds the secret of an access key: the endpoint's configured key pairs.
public protocol SigV4CredentialStore: Sendable {
    /// The credentials of `accessKeyID`, or nil when the key is unknown. When they carry a session
    /// token, requests must carry the same token.
    func credentials(forAccessKeyID accessKeyID: String) -> AWSCredentials?
}

/// Access key id → secret access key, for fixed key pairs.
extension Dictionary: SigV4CredentialStore where Key == String, Value == String {
    public func credentials(forAccessKeyID accessKeyID: String) -> AWSCredentials? {
        self[accessKeyID].map { AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: $0) }
    }
}
