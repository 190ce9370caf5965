import Foundation
import PAMCore
import PAMLocal
import PAMServer

/// The emulator's configuration: the local sign-in's one user, its client id and (optional) exact
/// callback and sign-out URLs, the lifecycle interval, the upload URLs' lifetime and the connection
/// idle time-out. It comes from `--config FILE`, else `./pam.json` when the working folder has one,
/// else the built-in defaults (`builtIn`, the same as the example `Emulator/pam.json`: a test keeps
/// them equal). `PAM_USER_PASSWORD` overrides the password whichever is used.
struct EmulatorConfig: Decodable, Equatable {
    struct User: Decodable, Equatable {
        var username: String
        var email: String
        var phone: String?
        var password: String
    }

    /// Where a configuration came from, for the log.
    enum Source: Equatable, CustomStringConvertible {
        case file(String)
        case builtIn

        var description: String {
            switch self {
            case .file(let path): path
            case .builtIn: "built-in defaults"
            }
        }
    }

    /// The file looked for in the working folder when `--config` is not given.
    static let conventionalFile = "pam.json"

    /// What a user gets with no configuration file; `Emulator/pam.json` is this, written out.
    static let builtIn = EmulatorConfig(
        user: User(username: "photographer", email: "photographer@example.com", phone: "+15555550123", password: "offline-photos"),
        clientId: "pam-local-client", lifecycleIntervalSeconds: 3600)

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
    /// Seconds a request body may take before the bytes received extend it (default 20).
    var requestTimeoutSeconds: Double?
    /// Bytes a second of request body that extend `requestTimeoutSeconds` by a second each (default 500).
    var minimumRequestBytesPerSecond: Int?
    /// Connections each listener keeps open at most (default: what the open-file limit allows,
    /// `DescriptorBudget`); more wait until one closes.
    var maxConnections: Int?
    /// Access key id → secret the AWS endpoint accepts (absent: `PAM_AWS_ACCESS_KEY_ID`/`…SECRET…`, else the default pair).
    var awsAccessKeys: [String: String]?

    /// `explicitPath` (`--config`) must be readable and valid; without it, `pam.json` in `folder` is
    /// used when it exists, else `builtIn`.
    static func resolve(
        explicitPath: String?, in folder: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) throws -> (config: EmulatorConfig, source: Source) {
        if let explicitPath { return (try load(explicitPath), .file(explicitPath)) }
        let conventional = folder.appendingPathComponent(conventionalFile).path
        if FileManager.default.fileExists(atPath: conventional) { return (try load(conventional), .file(conventional)) }
        return (try builtIn.finished(path: nil), .builtIn)
    }

    static func load(_ path: String) throws -> EmulatorConfig {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw PAMError(.invalidArgument, "cannot read the configuration file", path: path, underlying: error)
        }
        return try decode(data, path: path).finished(path: path)
    }

    /// The file's settings as written, before the environment's overrides.
    static func decode(_ data: Data, path: String) throws -> EmulatorConfig {
        do { return try JSONDecoder().decode(EmulatorConfig.self, from: data) } catch let error as DecodingError {
            throw PAMError(.invalidArgument, "the configuration file is not valid: \(Self.describe(error))", path: path)
        } catch {
            throw PAMError(.invalidArgument, "the configuration file is not valid", path: path, underlying: error)
        }
    }

    /// With `PAM_USER_PASSWORD` applied, and checked (`path` names the file in errors).
    private func finished(path: String?) throws -> EmulatorConfig {
        var config = self
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
        for (key, seconds) in [("idleTimeoutSeconds", config.idleTimeoutSeconds), ("requestTimeoutSeconds", config.requestTimeoutSeconds)] {
            if let seconds, !(seconds > 0) {
                throw PAMError(.invalidArgument, "the configuration file is not valid: '\(key)' must be positive", path: path)
            }
        }
        if let rate = config.minimumRequestBytesPerSecond, rate < 1 {
            throw PAMError(
                .invalidArgument, "the configuration file is not valid: 'minimumRequestBytesPerSecond' must be at least 1", path: path)
        }
        // A browser opens several kept-alive connections; fewer slots than that stall the page.
        if let connections = config.maxConnections, connections < 8 {
            throw PAMError(.invalidArgument, "the configuration file is not valid: 'maxConnections' must be at least 8", path: path)
        }
        return config
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
