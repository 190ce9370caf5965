import ArgumentParser
import Foundation
import PAMCore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline on the built-in fixtures in a fresh temporary state folder.")

    @Option(help: "The photos to import.")
    var photos = "Fixtures/photos"

    @Option(help: "The state folder to create (default: a new temporary folder).")
    var state: String?

    @Option(help: "The emulator's base URL, used in presigned links.")
    var baseURL = "http://127.0.0.1:8080"

    @Flag(help: "Log debug detail to standard error.")
    var verbose = false

    /// Labels too general to make an interesting bundle.
    static let generalLabels: Set<String> = ["Nature", "Outdoors", "Landscape"]
    static let demoAddress = "photographer@example.com"

    func validate() throws {
        _ = try StateOptions.parseBaseURL(baseURL)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: photos, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("no photo folder at '\(photos)': run pam demo from the repository root or pass --photos")
        }
        if let state, FileManager.default.fileExists(atPath: state) {
            throw ValidationError("'\(state)' exists: the demo needs a fresh state folder")
        }
    }

    func run() async throws {
        Wiring.bootstrapLogging(verbose: verbose)
        let folder =
            state
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("pam-demo-\(UUID().uuidString.prefix(8).lowercased())").path
        let wiring = try Wiring(state: URL(fileURLWithPath: folder, isDirectory: true), baseURL: try StateOptions.parseBaseURL(baseURL))
        print("== PAM demo — state folder \(folder)\n")

        print("== 1. Import \(photos)")
        _ = try await ImportCommand.importPhotos([photos], force: false, concurrency: nil, wiring: wiring)

        print("\n== 2. Labels")
        let labels = try await wiring.labels.labels()
        print(LabelsCommand.table(labels))

        guard let chosen = labels.first(where: { !Self.generalLabels.contains($0.label) }) ?? labels.first else {
            throw ValidationError("no labels were detected, so there is nothing to download")
        }
        print("\n== 3. Download the \(chosen.label) bundle (\(chosen.count) photos) for a demo address")
        let receipt = try await wiring.download.requestDownload(labels: [chosen.label], recipient: .email(Self.demoAddress))
        print(DownloadCommand.describe(receipt, wiring: wiring))

        print("\n== 4. Verify the zip")
        let entries = try await ZipVerifier.verify(try await wiring.store.get(receipt.bundle.ref))
        let expected = try await wiring.table.images(withAnyOf: [chosen.label])
        guard entries.map(\.name).sorted() == expected else {
            throw ValidationError("the zip's entries differ from the \(chosen.label) photos")
        }
        for entry in entries {
            let stored = try await wiring.store.head(ObjectRef(bucket: wiring.config.storageBucket, key: entry.name))
            guard UInt64(stored.size) == entry.size, stored.crc32 == entry.crc32 else {
                throw ValidationError("zip entry \(entry.name) differs from the stored photo")
            }
        }
        print("OK: \(entries.count) entries, sizes and CRC-32 match the stored photos.")

        print("\n== 5. The outbox message")
        if wiring.backends.notifier == .aws {
            // SNS delivers it: on AWS to the subscriber, with pam serve as the endpoint into its outbox.
            print("Published to the SNS topic \(receipt.delivery.location ?? "-") (message \(receipt.delivery.messageID));")
            print("SNS delivers it — with pam serve as AWS_ENDPOINT_URL, into that server's outbox.")
        } else if let location = receipt.delivery.location {
            // The address stays in the message file only: mask it on screen, where logs are captured.
            let message = try String(contentsOfFile: location, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            print(
                message.replacingOccurrences(
                    of: "<\(Self.demoAddress)>", with: "(the demo address: it is written only in the message file)"))
        }
        print("== Done. Inspect the state folder: \(folder)")
        if let file = wiring.localFile(receipt.bundle.ref) {
            print("   (the zip: \(file.path); its link is served by `pam serve --state \(folder)`)")
        }
    }
}
