import Foundation
import PAMTestSupport
import Testing

@testable import PAMLocal
@testable import pam

/// `pam` copied out of the checkout and run from a user's own folder: no `Emulator/` beside it,
/// so the configuration and the web page must come from the executable itself.
@Suite("pam outside the PAM checkout")
struct StandaloneTests {
    /// An empty folder holding only a copy of the built `pam`.
    static func folderWithPam() throws -> (folder: URL, pam: URL) {
        let folder = CLITests.temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pam = folder.appendingPathComponent("pam")
        try copyExecutable(try CLITests.pamExecutable(), to: pam)
        return (folder, pam)
    }

    /// Copies the executable through a descriptor opened close-on-exec. `FileManager.copyItem`'s
    /// descriptor is not: a process another test spawned while the copy was written inherited it
    /// and held the file open for writing, so running the copy failed with ETXTBSY ("Text file
    /// busy"), seen once in a full `swift test`.
    static func copyExecutable(_ source: URL, to destination: URL) throws {
        let bytes = try Data(contentsOf: source)
        let descriptor = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        try FileDescriptorWriter.writeAll(bytes, to: descriptor, what: "the copy of pam", path: destination.path)
    }

    static func server(in folder: URL, pam: URL) throws -> ServerProcess {
        let server = try ServerProcess(state: folder.appendingPathComponent("state"), config: nil)
        server.executable = pam
        server.workingDirectory = folder
        return server
    }

    @Test("a copied pam serves the built-in page and configuration, and pam token's token opens the API")
    func copiedExecutable() async throws {
        let (folder, pam) = try Self.folderWithPam()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try Self.server(in: folder, pam: pam)
        try await server.start()
        #expect(server.log().contains("configuration built-in defaults; web page built in"), "\(server.log())")

        let page = try await HTTP.request("GET", server.base + "/")
        #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.text.contains("app.js") && page.text.contains("style.css"))
        let web = CLITests.packageRoot.appendingPathComponent("Emulator/web")
        for (file, type) in [("app.js", "text/javascript"), ("style.css", "text/css")] {
            let answer = try await HTTP.request("GET", "\(server.base)/\(file)")
            #expect(answer.status == 200 && answer.header("Content-Type")?.hasPrefix(type) == true, "\(file): \(answer.status)")
            #expect(answer.body == (try Data(contentsOf: web.appendingPathComponent(file))), "\(file)")
        }
        let config = try await HTTP.request("GET", server.base + "/config.json")
        #expect(config.status == 200 && config.json?["clientId"] as? String == "pam-local-client", "\(config.text)")

        let token = try await ExternalProcess.run(["token", "--state", server.state.path], executable: pam, in: folder)
        #expect(token.status == 0, "\(token.errors)")
        let labels = try await server.api("GET", "/api/labels", token: token.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(labels.status == 200 && labels.json?["labels"] as? [String: Any] != nil, "\(labels.status) \(labels.text)")
        #expect(try await server.api("GET", "/api/labels", token: nil).status == 401)

        // The AWS endpoint, with the built-in default key pair: a page upload is listed by aws s3 ls.
        #expect(server.awsPort > 0, "serve.json records the AWS endpoint's port")
        let clients = AWSClients(server: server)
        let buckets = try await clients.aws(["s3", "ls"])
        #expect(
            buckets.status == 0 && buckets.output.contains("pam-storage") && buckets.output.contains("pam-working"), "\(buckets.transcript)"
        )
        let photo = try #require(ServeTests.photos.first)
        let url = try await server.upload(
            Data(contentsOf: photo), fileName: "standalone.jpg", token: token.output.trimmingCharacters(in: .whitespacesAndNewlines))
        let key = try #require(URL(string: url)?.lastPathComponent)
        let listing = try await clients.aws(["s3", "ls", "--recursive", "s3://pam-storage/"])
        #expect(listing.status == 0 && listing.output.contains(key), "\(listing.transcript)")
        try await server.stop()
    }

    @Test("a pam.json in the working folder is the configuration of serve and token; a --config that cannot be read is an error")
    func configurationInTheWorkingFolder() async throws {
        let (folder, pam) = try Self.folderWithPam()
        defer { try? FileManager.default.removeItem(at: folder) }
        let custom = #"{"user": {"username": "ana", "email": "ana@example.org", "password": "ana's secret"}, "clientId": "ana-app"}"#
        try Data(custom.utf8).write(to: folder.appendingPathComponent("pam.json"))
        let server = try Self.server(in: folder, pam: pam)
        try await server.start()
        #expect(server.log().contains("configuration \(folder.appendingPathComponent("pam.json").path);"), "\(server.log())")
        let config = try await HTTP.request("GET", server.base + "/config.json")
        #expect(config.json?["clientId"] as? String == "ana-app", "\(config.text)")

        let token = try await ExternalProcess.run(["token", "--state", server.state.path], executable: pam, in: folder)
        #expect(token.status == 0, "\(token.errors)")
        let labels = try await server.api("GET", "/api/labels", token: token.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(labels.status == 200, "\(labels.text)")

        let missing = try await ExternalProcess.run(
            ["token", "--state", server.state.path, "--config", "nope.json"], executable: pam, in: folder)
        #expect(
            missing.status != 0 && missing.errors.contains("cannot read the configuration file") && missing.errors.contains("nope.json"))
        try await server.stop()
    }

    @Test("the built-in defaults are the example Emulator/pam.json, so the two cannot drift")
    func builtInDefaultsMatchTheExample() throws {
        let example = CLITests.packageRoot.appendingPathComponent("Emulator/pam.json")
        #expect(try EmulatorConfig.decode(Data(contentsOf: example), path: example.path) == EmulatorConfig.builtIn)
    }

    @Test("without --config: ./pam.json when present, else the built-in defaults; with it, the file or an error")
    func resolution() throws {
        let folder = CLITests.temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try EmulatorConfig.resolve(explicitPath: nil, in: folder).source == .builtIn)
        let file = folder.appendingPathComponent("pam.json")
        try Data(#"{"user": {"username": "u", "email": "u@example.org", "password": "p"}, "clientId": "c"}"#.utf8).write(to: file)
        let found = try EmulatorConfig.resolve(explicitPath: nil, in: folder)
        #expect(found.source == .file(file.path) && found.config.clientId == "c")
        let elsewhere = folder.appendingPathComponent("missing.json").path
        #expect(throws: (any Error).self) { try EmulatorConfig.resolve(explicitPath: elsewhere, in: folder) }
        try Data("{".utf8).write(to: file)
        #expect(throws: (any Error).self) { try EmulatorConfig.resolve(explicitPath: nil, in: folder) }
    }
}
