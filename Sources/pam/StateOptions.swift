import ArgumentParser
import Foundation
import PAMCore

/// Options every command shares: where the state lives and how the emulator is addressed.
struct StateOptions: ParsableArguments {
    @Option(name: .long, help: "The state folder (buckets, tables, outbox).")
    var state: String = ".pam"

    @Option(name: .long, help: "The emulator's base URL, used in presigned links.")
    var baseURL: String = ProcessInfo.processInfo.environment["PAM_BASE_URL"] ?? "http://127.0.0.1:8080"

    @Flag(name: .long, help: "Log debug detail to standard error.")
    var verbose = false

    func validate() throws {
        _ = try Self.parseBaseURL(baseURL)
        guard !state.isEmpty else { throw ValidationError("--state must name a folder") }
    }

    /// An http(s) URL with a host, or a validation error naming the option.
    static func parseBaseURL(_ text: String) throws -> URL {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--base-url must be an http(s) URL, got '\(text)'")
        }
        return url
    }

    var stateURL: URL { URL(fileURLWithPath: state, isDirectory: true) }
}
