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

    @Option(help: "Port to listen on; 0 lets the system pick a free one (reported in the log and in <state>/serve.json).")
    var port = 8080

    @Option(help: "Port of the AWS endpoint (S3); 0 lets the system pick a free one (reported in <state>/serve.json).")
    var awsPort = AWSEndpointSettings.defaultPort

    @Option(help: "Serve the web page from this folder (e.g. Emulator/web while working on it) instead of the copy built into pam.")
    var web: String?

    @OptionGroup var configuration: ConfigOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        if let web {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: web, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--web must name a folder, and '\(web)' is none")
            }
        }
        guard (0...65535).contains(awsPort) else { throw ValidationError("--aws-port must be 0…65535") }
    }

    func run() async throws {
        Wiring.bootstrapLogging(verbose: options.verbose, quietLevel: .info)
        let baseURL = try options.resolvedBaseURL(defaultPort: port)
        // Without an explicit base URL it is the loopback address on the port actually bound.
        let settlesPort = options.explicitBaseURL == nil
        let address = ServiceAddress(baseURL)
        let (emulator, configSource) = try configuration.load()
        var wiring = try Wiring(state: options.stateURL, address: address)
        if let lifetime = emulator.uploadURLLifetimeSeconds { wiring.config.uploadURLLifetime = max(1, lifetime) }
        let dependencies = try wiring.serverDependencies(emulator: emulator, address: address)
        var settings = ServerSettings(host: host, port: port, webPage: web.map { .folder($0) } ?? .embedded)
        if let interval = emulator.lifecycleIntervalSeconds { settings.lifecycleInterval = max(1, interval) }
        if let seconds = emulator.idleTimeoutSeconds { settings.idleTimeout = Self.timeOut(seconds: seconds) }
        if let seconds = emulator.requestTimeoutSeconds { settings.requestTimeout = Self.timeOut(seconds: seconds) }
        if let rate = emulator.minimumRequestBytesPerSecond { settings.minimumRequestRate = rate }
        settings.callbackURLs = emulator.callbackURLs
        settings.logoutURLs = emulator.logoutURLs
        settings.awsEndpoint = wiring.awsEndpointSettings(port: awsPort, emulator: emulator)
        let descriptors = DescriptorBudget.raiseLimit()
        settings.maxConnections =
            emulator.maxConnections
            ?? DescriptorBudget.connectionsPerListener(descriptors: descriptors, listeners: settings.awsEndpoint == nil ? 1 : 2)
        let state = wiring.state.root
        // Without an explicit base URL the page's sign-in URLs are the loopback ones on the bound port.
        let app = PAMServerApplication.make(dependencies, settings: settings, publicBaseURL: settlesPort ? nil : baseURL) { ports in
            let port = ports.app
            // Before the first request can arrive: links and tokens name the bound port.
            if settlesPort { address.settle(port: port) }
            var lines = ""
            do {
                try ServeRecord(host: host, port: port, awsPort: ports.aws, baseURL: address.text, pid: getpid()).write(to: state)
            } catch {
                lines += "pam serve: cannot record the address in \(ServeRecord.file(in: state).path): \(error)\n"
            }
            lines += "pam serve: listening on http://\(host):\(port) (base URL \(address.text)) — state \(state.path)\n"
            lines += "pam serve: configuration \(configSource); web page \(web.map { "from \($0)" } ?? "built in")\n"
            if let aws = ports.aws { lines += "pam serve: AWS endpoint (S3) on http://\(host):\(aws)\n" }
            // Unbuffered, so a reader of a redirected output sees it now.
            FileHandle.standardOutput.write(Data(lines.utf8))
        }
        defer { ServeRecord.remove(in: state) }
        try await app.runService()
    }

    /// A time-out from the configuration file's seconds: at least a millisecond, at most a day.
    static func timeOut(seconds: Double) -> Duration { .milliseconds(max(1, Int64(min(seconds, 86_400) * 1000))) }
}
