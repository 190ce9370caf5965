import ArgumentParser
import Foundation

/// `--config`, shared by `pam serve` and `pam token` so that both read the same configuration.
struct ConfigOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The emulator's configuration (the local user, client id…); must be readable when given.",
            discussion: "Default: ./pam.json when the working folder has one, else the built-in defaults (Emulator/pam.json shows them)."))
    var config: String?

    /// The configuration these options pick, and where it came from (`EmulatorConfig.resolve`).
    func load() throws -> (config: EmulatorConfig, source: EmulatorConfig.Source) {
        try EmulatorConfig.resolve(explicitPath: config)
    }
}
