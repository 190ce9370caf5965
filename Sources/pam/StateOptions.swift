import ArgumentParser
import Foundation
import PAMCore

/// Options every command shares: where the state lives and how the emulator is addressed.
struct StateOptions: ParsableArguments {
    @Option(name: .long, help: "The state folder (buckets, tables, outbox).")
    var state: String = ".pam"

    @Option(name: .long, help: "The emulator's base URL, used in presigned links (default: $PAM_BASE_URL, else http://127.0.0.1:<port>).")
    var baseURL: String?

    @Flag(name: .long, help: "Log debug detail to standard error.")
    var verbose = false

    func validate() throws {
        if let baseURL { _ = try Self.parseBaseURL(baseURL) }
        guard !state.isEmpty else { throw ValidationError("--state must name a folder") }
    }

    /// An http(s) URL with a host, or a validation error naming the option.
    static func parseBaseURL(_ text: String) throws -> URL {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--base-url must be an http(s) URL, got '\(text)'")
        }
        return url
    }

    /// `--base-url`, else `PAM_BASE_URL`, else the loopback address on `defaultPort`.
    func resolvedBaseURL(defaultPort: Int = 8080) throws -> URL {
        try Self.parseBaseURL(explicitBaseURL ?? "http://127.0.0.1:\(defaultPort)")
    }

    /// `--base-url`, else a non-empty `PAM_BASE_URL`; nil when neither is given.
    var explicitBaseURL: String? {
        baseURL ?? ProcessInfo.processInfo.environment["PAM_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var stateURL: URL { URL(fileURLWithPath: state, isDirectory: true) }
}
