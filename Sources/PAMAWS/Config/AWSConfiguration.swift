import Foundation
import PAMCore
import PAMSigV4

/// Credentials, region and endpoints, resolved the way AWS SDKs do:
///
/// - credentials: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, then the profile
///   (`AWS_PROFILE`, default `default`) in the shared credentials file
///   (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`), then in the config file
///   (`AWS_CONFIG_FILE`, default `~/.aws/config`);
/// - region: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`;
/// - endpoints: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then the profile's
///   `endpoint_url`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`; otherwise the public one.
///
/// S3 is addressed path-style (`endpoint/bucket/key`) when its endpoint is overridden, as emulators
/// such as moto need, and virtual-hosted (`bucket.s3.region.amazonaws.com`) otherwise.
public struct AWSConfiguration: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    /// Endpoints that were overridden, by service.
    public var endpointOverrides: [AWSService: URL]
    /// Whether S3 requests put the bucket in the path rather than the host.
    public var s3PathStyle: Bool

    public init(credentials: AWSCredentials, region: String, endpointOverrides: [AWSService: URL] = [:], s3PathStyle: Bool? = nil) {
        self.credentials = credentials
        self.region = region
        self.endpointOverrides = endpointOverrides
        self.s3PathStyle = s3PathStyle ?? (endpointOverrides[.s3] != nil)
    }

    /// Where requests to `service` go.
    public func endpoint(for service: AWSService) -> URL {
        endpointOverrides[service] ?? service.defaultEndpoint(region: region)
    }

    /// Resolves everything from `environment` and the shared files under `home`.
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        home: String = FileManager.default.homeDirectoryForCurrentUser.path
    ) throws -> AWSConfiguration {
        func variable(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let profile = variable("AWS_PROFILE") ?? "default"
        let credentialsFile = try AWSProfileFile(
            contentsOf: expandHome(variable("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials", home: home), kind: .credentials)
        let configFile = try AWSProfileFile(
            contentsOf: expandHome(variable("AWS_CONFIG_FILE") ?? "~/.aws/config", home: home), kind: .config)

        let credentials: AWSCredentials
        if let key = variable("AWS_ACCESS_KEY_ID"), let secret = variable("AWS_SECRET_ACCESS_KEY") {
            credentials = AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: variable("AWS_SESSION_TOKEN"))
        } else if let found = profileCredentials(credentialsFile, profile: profile) ?? profileCredentials(configFile, profile: profile) {
            credentials = found
        } else {
            throw PAMError(
                .invalidArgument,
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or profile '\(profile)' in the shared credentials or config file"
            )
        }

        var overrides: [AWSService: URL] = [:]
        if variable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.lowercased() != "true" {
            let global = variable("AWS_ENDPOINT_URL") ?? configFile.value("endpoint_url", profile: profile)
            for service in AWSService.allCases {
                guard let text = variable("AWS_ENDPOINT_URL_\(service.endpointVariableSuffix)") ?? global else { continue }
                guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                    throw PAMError(.invalidArgument, "the AWS endpoint URL for \(service.rawValue) is not an http(s) URL: '\(text)'")
                }
                overrides[service] = url
            }
        }

        guard
            let region = variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") ?? configFile.value("region", profile: profile)
                ?? (overrides.isEmpty ? nil : "us-east-1")
        else {
            throw PAMError(.invalidArgument, "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or region in profile '\(profile)')")
        }
        guard region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw PAMError(.invalidArgument, "the AWS region '\(region)' is not a region name")
        }
        return AWSConfiguration(credentials: credentials, region: region, endpointOverrides: overrides)
    }

    private static func profileCredentials(_ file: AWSProfileFile, profile: String) -> AWSCredentials? {
        guard let key = file.value("aws_access_key_id", profile: profile),
            let secret = file.value("aws_secret_access_key", profile: profile)
        else { return nil }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: file.value("aws_session_token", profile: profile))
    }

    private static func expandHome(_ path: String, home: String) -> String {
        path == "~" ? home : path.hasPrefix("~/") ? home + path.dropFirst() : path
    }
}
