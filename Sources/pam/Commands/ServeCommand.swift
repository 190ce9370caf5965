import ArgumentParser
import Foundation
import Logging
import PAMCore
import PAMLocal
import PAMServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the emulated stack: the reference API, local buckets, sign-in, web page, background analysis.")

    @OptionGroup var options: StateOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(help: "The web page's folder.")
    var web = "Emulator/web"

    @Option(help: "The emulator's configuration (the local user, client id).")
    var config = "Emulator/pam.json"

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = options.verbose ? .debug : .info
            return handler
        }
        let baseURL = try options.resolvedBaseURL(defaultPort: port)
        let emulator = try EmulatorConfig.load(config)
        var wiring = try Wiring(state: options.stateURL, baseURL: baseURL)
        if let lifetime = emulator.uploadURLLifetimeSeconds { wiring.config.uploadURLLifetime = max(1, lifetime) }
        let dependencies = try wiring.serverDependencies(emulator: emulator, baseURL: baseURL)
        var settings = ServerSettings(host: host, port: port, webRoot: web)
        if let interval = emulator.lifecycleIntervalSeconds { settings.lifecycleInterval = max(1, interval) }
        if let seconds = emulator.idleTimeoutSeconds { settings.idleTimeout = .milliseconds(Int64(min(seconds, 86_400) * 1000)) }
        settings.callbackURLs = emulator.callbackURLs
        settings.logoutURLs = emulator.logoutURLs
        let root = wiring.state.root.path
        let app = PAMServerApplication.make(dependencies, settings: settings, publicBaseURL: baseURL) { port in
            print("pam serve: listening on http://\(host):\(port) — state \(root)")
        }
        try await app.runService()
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print a valid id token of the local user, for scripts and curl.")

    @OptionGroup var options: StateOptions

    @Option(help: "The emulator's configuration (the local user, client id).")
    var config = "Emulator/pam.json"

    @Option(help: "Token lifetime in seconds (a negative value makes an already expired token, for tests).")
    var expiresIn = 3600

    func run() async throws {
        let emulator = try EmulatorConfig.load(config)
        let baseURL = try options.resolvedBaseURL(defaultPort: 8080)
        let state = StateDirectory(options.stateURL)
        try state.create()
        let identity = try Wiring.identityProvider(state: state, emulator: emulator, baseURL: baseURL, tokenLifetime: TimeInterval(expiresIn))
        print(try identity.issueTokens().idToken)
    }
}
