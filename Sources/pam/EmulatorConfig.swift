import Foundation
import PAMCore
import PAMLocal
import PAMServer

/// The emulator's configuration file (default `Emulator/pam.json`): the local sign-in's one user,
/// its client id and (optional) exact callback and sign-out URLs, the lifecycle interval, the upload
/// URLs' lifetime and the connection idle time-out. `PAM_USER_PASSWORD` overrides the password.
struct EmulatorConfig: Decodable {
    struct User: Decodable {
        var username: String
        var email: String
        var phone: String?
        var password: String
    }

    var user: User
    var clientId: String
    var lifecycleIntervalSeconds: Double?
    /// Validity of presigned upload URLs (the reference's 15 minutes when absent).
    var uploadURLLifetimeSeconds: Double?
    /// The exact URLs the hosted UI may redirect to with tokens, like a Cognito app client's
    /// callback URLs (absent: the web page's own, `http://127.0.0.1:<port>/` and `http://localhost:<port>/`).
    var callbackURLs: [String]?
    /// The exact URLs `/logout` may redirect to (absent: the web page's own).
    var logoutURLs: [String]?
    /// Seconds a connection may stay silent (header arriving, body stalled, idle) before it is closed (default 30).
    var idleTimeoutSeconds: Double?
    /// Access key id → secret the AWS endpoint accepts (absent: `PAM_AWS_ACCESS_KEY_ID`/`…SECRET…`, else the default pair).
    var awsAccessKeys: [String: String]?

    static func load(_ path: String) throws -> EmulatorConfig {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw PAMError(.invalidArgument, "cannot read the configuration file", path: path, underlying: error)
        }
        do {
            var config = try JSONDecoder().decode(EmulatorConfig.self, from: data)
            if let password = ProcessInfo.processInfo.environment["PAM_USER_PASSWORD"], !password.isEmpty {
                config.user.password = password
            }
            _ = try Recipient.email(validating: config.user.email)
            if let phone = config.user.phone { _ = try Recipient.phone(validating: phone) }
            for (key, urls) in [("callbackURLs", config.callbackURLs), ("logoutURLs", config.logoutURLs)] {
                guard let urls else { continue }
                guard !urls.isEmpty, urls.allSatisfy({ ($0.hasPrefix("http://") || $0.hasPrefix("https://")) && !$0.contains("#") }) else {
                    throw PAMError(
                        .invalidArgument,
                        "the configuration file is not valid: '\(key)' must list absolute http(s) URLs without a fragment", path: path)
                }
            }
            if let seconds = config.idleTimeoutSeconds, !(seconds > 0) {
                throw PAMError(.invalidArgument, "the configuration file is not valid: 'idleTimeoutSeconds' must be positive", path: path)
            }
            return config
        } catch let error as DecodingError {
            throw PAMError(.invalidArgument, "the configuration file is not valid: \(Self.describe(error))", path: path)
        }
    }

    var localUser: LocalUser {
        LocalUser(username: user.username, email: user.email, phone: user.phone, password: user.password)
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }
}
