import ArgumentParser
import Foundation
import PAMCore

struct LabelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels", abstract: "List the detected labels with their counts, most frequent first.")

    @OptionGroup var options: StateOptions

    @Flag(help: "Print the API's JSON: {\"labels\": {\"Mountain\": {\"count\": 32}, …}}.")
    var json = false

    func run() async throws {
        Wiring.bootstrapLogging(verbose: options.verbose)
        let labels = try await Wiring(options).labels.labels()
        print(json ? JSONText.labels(labels) : Self.table(labels))
    }

    /// `Mountain (32)` lines, the wireframe's tag list.
    static func table(_ labels: [LabelCount]) -> String {
        guard !labels.isEmpty else { return "No labels yet: import some photos first (pam import PATH)." }
        let width = labels.map(\.label.count).max() ?? 0
        return labels.map { "\($0.label.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.count)" }
            .joined(separator: "\n")
    }
}
