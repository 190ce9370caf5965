import ArgumentParser
import Foundation
import PAMCore

struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Zip the photos carrying any of the labels and send the link by e-mail or SMS (to the outbox).")

    @OptionGroup var options: StateOptions

    @Option(name: .customLong("label"), help: "A label to include (repeat for several).")
    var labels: [String] = []

    @Option(help: "E-mail address to notify.")
    var email: String?

    @Option(help: "Phone number to notify, E.164 (+15551234567).")
    var phone: String?

    func validate() throws {
        guard !labels.isEmpty else { throw ValidationError("give at least one --label") }
        guard (email == nil) != (phone == nil) else { throw ValidationError("give exactly one of --email or --phone") }
        _ = try recipient()
    }

    func recipient() throws -> Recipient {
        do {
            if let email { return try .email(validating: email) }
            return try .phone(validating: phone ?? "")
        } catch let error as PAMError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        Wiring.bootstrapLogging(verbose: options.verbose)
        let wiring = try Wiring(options)
        let receipt = try await wiring.download.requestDownload(labels: labels, recipient: try recipient())
        print(Self.describe(receipt, wiring: wiring))
    }

    static func describe(_ receipt: DownloadReceipt, wiring: Wiring) -> String {
        var lines = ["Bundle:       \(receipt.bundle.ref) — \(receipt.photoCount) photos, \(receipt.bundle.size) bytes"]
        if let file = wiring.localFile(receipt.bundle.ref) { lines.append("Stored at:    \(file.path)") }
        lines.append("Link:         \(receipt.url.absoluteString)")
        lines.append("Notification: \(receipt.delivery.location ?? receipt.delivery.messageID)")
        return lines.joined(separator: "\n")
    }
}
