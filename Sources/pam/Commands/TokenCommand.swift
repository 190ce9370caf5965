import ArgumentParser
import Foundation
import PAMCore
import PAMLocal

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print a valid id token of the local user, for scripts and curl.")

    @OptionGroup var options: StateOptions

    @OptionGroup var configuration: ConfigOptions

    // `.unconditional`: `--expires-in -10` is a value, not an unknown option `-1`.
    @Option(parsing: .unconditional, help: "Token lifetime in seconds (a negative value makes an already expired token, for tests).")
    var expiresIn = 3600

    func run() async throws {
        let emulator = try configuration.load().config
        // The issuer is the server's base URL: the explicit one, else the running server's
        // (recorded in the state folder), else the default port's.
        let baseURL: URL
        if options.explicitBaseURL != nil {
            baseURL = try options.resolvedBaseURL()
        } else if let running = ServeRecord.running(in: options.stateURL) {
            baseURL = try StateOptions.parseBaseURL(running.baseURL)
        } else {
            baseURL = try options.resolvedBaseURL(defaultPort: 8080)
            FileHandle.standardError.write(
                Data(
                    "pam token: no running pam serve recorded in \(options.state); the token is for \(baseURL.absoluteString) (give --base-url for another)\n"
                        .utf8))
        }
        let state = StateDirectory(options.stateURL)
        try state.create()
        let identity = try Wiring.identityProvider(
            state: state, emulator: emulator, address: ServiceAddress(baseURL),
            tokenLifetime: TimeInterval(expiresIn))
        print(try identity.issueTokens().idToken)
    }
}
