import Foundation
import PAMCore
import PAMTestSupport
import Testing

/// The `pam` executable, run as a user runs it, from the package root.
@Suite("pam command line")
struct CLITests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `pam` built beside the test bundle.
    static func pamExecutable() throws -> URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("pam").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        let executable = folder.appendingPathComponent("pam")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "pam is not built beside \(CommandLine.arguments[0])")
        return executable
    }

    static func pam(_ arguments: [String]) async throws -> Run {
        let run = try await ExternalProcess.run(arguments, executable: try pamExecutable(), in: packageRoot)
        return Run(status: run.status, stdout: run.output, stderr: run.errors)
    }

    /// How many fixture photos there are (the tests must not depend on the exact set).
    static let photoCount =
        ((try? FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("Fixtures/photos").path)) ?? [])
        .filter { $0.lowercased().hasSuffix(".jpg") }.count
    /// How many of them a lifecycle transition moves (S3 moves none under 128 KB).
    static let transitionedPhotoCount = ServeTests.photos.filter {
        Int64((try? $0.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0) >= ObjectInfo.smallestTransitioned
    }.count
    static let malformedCount =
        ((try? FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("Fixtures/malformed").path)) ?? [])
        .filter { $0.lowercased().hasSuffix(".jpg") }.count

    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pam-cli-\(UUID().uuidString)")
    }

    @Test("pam demo runs the pipeline, verifies its zip, and keeps the address in the outbox message only")
    func demo() async throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state")
        let run = try await Self.pam(["demo", "--state", state.path, "--verbose"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.photoCount >= 20)
        #expect(run.stdout.contains("Imported \(Self.photoCount), skipped 0 (already stored), failed 0"))
        #expect(run.stdout.range(of: #"\nNature +\d+\n"#, options: .regularExpression) != nil)
        #expect(run.stdout.contains("OK: ") && run.stdout.contains("sizes and CRC-32 match the stored photos"))
        #expect(run.stdout.contains("Download it within 24 hours:\nhttp://127.0.0.1:8080/pam-working/"))
        #expect(run.stderr.contains("debug")) // the captured logs are real

        let address = "photographer@example.com"
        #expect(!run.stdout.contains(address) && !run.stderr.contains(address))
        let walker = try #require(FileManager.default.enumerator(at: state, includingPropertiesForKeys: nil))
        var holders: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let contents = try Data(contentsOf: url)
            if url.path.contains(address) || contents.range(of: Data(address.utf8)) != nil {
                holders.append(url.standardizedFileURL.path)
            }
        }
        #expect(holders.count == 1 && holders.first?.contains("/outbox/") == true && holders.first?.hasSuffix(".eml") == true, "\(holders)")
    }

    @Test("pam import reports exact counts, skips stored content, and labels/lifecycle/download work on the result")
    func importAndFriends() async throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state").path
        let first = try await Self.pam(["import", "--state", state, "Fixtures/photos", "Fixtures/malformed"])
        #expect(first.status == 0)
        #expect(
            first.stdout.contains(
                "Imported \(Self.photoCount), skipped 0 (already stored), failed \(Self.malformedCount) — \(Self.photoCount + Self.malformedCount) photos"
            ), "\(first.stdout)")
        #expect(first.stdout.contains("failed: Fixtures/malformed/huge-dimensions.jpg: JPEG is 60000x60000 px"))
        let second = try await Self.pam(["import", "--state", state, "Fixtures/photos"])
        #expect(second.stdout.contains("Imported 0, skipped \(Self.photoCount) (already stored), failed 0"))

        let labels = try await Self.pam(["labels", "--state", state, "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(labels.stdout.utf8)) as? [String: [String: [String: Int]]]
        let counts = try #require(json?["labels"])
        #expect((counts["Nature"]?["count"] ?? 0) > 0)

        let download = try await Self.pam(["download", "--state", state, "--label", "Nature", "--phone", "+34600123456"])
        #expect(download.status == 0 && download.stdout.contains("Notification: ") && download.stdout.contains(".json"))
        #expect(!download.stdout.contains("+34600123456"))
        let bad = try await Self.pam(["download", "--state", state, "--label", "Nature", "--email", "not-an-address"])
        #expect(bad.status != 0 && bad.stderr.contains("e-mail address is not valid"))

        let lifecycle = try await Self.pam(["lifecycle", "--state", state, "--now", "2999-01-01T00:00:00Z"])
        #expect(
            lifecycle.stdout.contains(
                "Expired 1 bundle(s); moved \(Self.transitionedPhotoCount) photo(s) to INTELLIGENT_TIERING; aborted 0 incomplete upload(s)."
            ))
        let badTime = try await Self.pam(["lifecycle", "--state", state, "--now", "yesterday"])
        #expect(badTime.status != 0 && badTime.stderr.contains("ISO 8601"))
    }
}
