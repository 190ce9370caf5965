import Foundation
import PAMCore
import PAMLocal
import Testing

/// `pam serve` over real HTTP: the reference API, sign-in, presigned object endpoint, events.
@Suite("pam serve", .serialized)
struct ServeTests {
    static var photos: [URL] {
        let folder = CLITests.packageRoot.appendingPathComponent("Fixtures/photos")
        return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension.lowercased() == "jpg" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// The labeler's own answer for each photo, counted once per upload.
    static func expectedCounts(_ uploads: [URL]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for url in uploads {
            for label in try HistogramLabeler().labels(forJPEG: Data(contentsOf: url), query: HistogramLabeler.pipelineQuery) {
                counts[label.name, default: 0] += 1
            }
        }
        return counts
    }

    /// Up to `count` fixtures the pipeline finds at least one label in.
    static func labelledPhotos(_ count: Int) throws -> [URL] {
        Array(
            try photos.filter {
                !(try HistogramLabeler().labels(forJPEG: Data(contentsOf: $0), query: HistogramLabeler.pipelineQuery)).isEmpty
            }.prefix(count))
    }

    /// The keys stored in the server's `bucket`, each with the file that holds its body, read from
    /// the state's index as a second process would.
    static func storedObjects(_ server: ServerProcess, bucket: String) async throws -> [String: URL] {
        let store = try FileSystemObjectStore(
            state: StateDirectory(server.state), buckets: ["pam-storage", "pam-working"], baseURL: URL(string: "http://127.0.0.1")!)
        var objects: [String: URL] = [:]
        for try await object in store.listAll(bucket: bucket) { objects[object.ref.key] = try store.localFile(object.ref) }
        return objects
    }

    @Test("sign in, upload through presigned URLs, labels, download: the zip holds the photos byte for byte")
    func endToEnd() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let token = try await server.signIn()
        let photos = Self.photos
        try #require(photos.count >= 20)
        var uploaded: [String: URL] = [:]
        for photo in photos {
            let url = try await server.upload(Data(contentsOf: photo), fileName: photo.lastPathComponent, token: token)
            let key = try #require(URL(string: url)?.lastPathComponent)
            uploaded[key] = photo
        }
        try await server.waitForAnalysis(token: token)
        let counts = try await server.labelCounts(token: token)
        #expect(counts == (try Self.expectedCounts(photos)))

        let chosen = try #require(counts.filter { !["Nature", "Outdoors", "Landscape"].contains($0.key) }.max { $0.value < $1.value })
        let download = try await server.api(
            "POST", "/api/download", token: token, json: ["labels": [chosen.key], "email": "e2e@example.com"])
        #expect(download.status == 202)
        #expect(download.headers["Access-Control-Allow-Origin"] == "*")

        // The message arrives in the outbox; its link serves the zip.
        var messageURL: String?
        for _ in 0..<200 where messageURL == nil {
            let outbox = try await server.api("GET", "/api/outbox", token: token)
            messageURL = (outbox.json?["messages"] as? [[String: String]])?.first?["url"]
            if messageURL == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let message = try await HTTP.request("GET", server.base + (try #require(messageURL)), headers: ["Authorization": "Bearer \(token)"])
        #expect(message.text.contains("To: <e2e@example.com>"))
        let link = try #require(message.text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("\(server.base)/pam-working/") })
        let zip = try await HTTP.request("GET", String(link))
        #expect(zip.status == 200 && zip.headers["Content-Type"] == "application/zip")
        #expect(Int(zip.headers["Content-Length"] ?? "") == zip.body.count)
        let entries = try await ZipVerifier.verify(.data(zip.body))
        #expect(entries.count == chosen.value)
        for entry in entries {
            let original = try Data(contentsOf: try #require(uploaded[entry.name], "\(entry.name) was not uploaded"))
            let start = Int(entry.offset) + 30 + entry.name.utf8.count
            #expect(zip.body[start..<start + original.count] == original, "\(entry.name)")
        }

        // A range of the zip, as download managers ask for it.
        let ranged = try await HTTP.request("GET", String(link), headers: ["Range": "bytes=10-19"])
        #expect(ranged.status == 206 && ranged.body == zip.body[10..<20])
        #expect(ranged.headers["Content-Range"] == "bytes 10-19/\(zip.body.count)")

        #expect(try await server.stop(SIGTERM) == 0)
        #expect(server.log().contains("PUT /api/upload 200"))
        #expect(!server.log().contains(token) && !server.log().contains("e2e@example.com"))
    }

    @Test("hostile requests get the right status and leave no state behind")
    func negatives() async throws {
        let server = try ServerProcess()
        let folder = server.state.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await server.start()
        let token = try await server.signIn()

        // No token, a token from another key, an expired token, a wrong password.
        let none = try await server.api("GET", "/api/labels", token: nil)
        #expect(none.status == 401 && none.headers["Access-Control-Allow-Origin"] == "*")
        let otherState = folder.appendingPathComponent("other")
        let foreign = try await CLITests.pam(["token", "--state", otherState.path, "--base-url", server.base]).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(try await server.api("GET", "/api/labels", token: foreign).status == 401)
        let expired = try await CLITests.pam(["token", "--state", server.state.path, "--base-url", server.base, "--expires-in", "-5"])
            .stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await server.api("GET", "/api/labels", token: expired).status == 401)
        let valid = try await CLITests.pam(["token", "--state", server.state.path, "--base-url", server.base]).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(try await server.api("GET", "/api/labels", token: valid).status == 200)
        // A wrong password gets the form again with 401 and the message, and no token.
        let query = "response_type=token&client_id=pam-local-client&redirect_uri=\(HTTP.formEncode(server.base + "/"))&state=xyz"
        let wrongPassword = try await HTTP.request(
            "POST", "\(server.base)/oauth2/authorize", body: Data("username=photographer&password=wrong&\(query)".utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(wrongPassword.status == 401 && wrongPassword.text.contains("Incorrect username or password."))
        #expect(wrongPassword.headers["Location"] == nil && !wrongPassword.text.contains("id_token"))

        // Malformed and oversized bodies.
        let notJSON = try await HTTP.request(
            "PUT", "\(server.base)/api/upload", body: Data("{not json".utf8),
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"])
        #expect(notJSON.status == 400 && notJSON.text.contains("JSON"))
        let wrongField = try await server.api("POST", "/api/download", token: token, json: ["labels": "Sky"])
        #expect(wrongField.status == 400 && wrongField.text.contains("'labels'"))
        let badName = try await server.api("PUT", "/api/upload", token: token, json: ["file_name": 42])
        #expect(badName.status == 400 && badName.text.contains("'file_name'"))
        let badEmail = try await server.api("POST", "/api/download", token: token, json: ["labels": ["Sky"], "email": "nope"])
        #expect(badEmail.status == 400 && badEmail.text.contains("'email'"))
        // A label that does not exist is a 400 naming it (its line breaks escaped), not text for the message.
        let injected = try await server.api("POST", "/api/download", token: token, json: ["labels": ["x\r\nBcc: evil@example.com"]])
        let injectedMessage = injected.json?["message"] as? String ?? ""
        #expect(
            injected.status == 400 && injectedMessage == "field 'labels': no label 'x\\u{D}\\u{A}Bcc: evil@example.com'",
            "\(injectedMessage)")
        let huge = try await server.api("POST", "/api/download", token: token, json: ["labels": [String(repeating: "x", count: 100_000)]])
        #expect(huge.status == 413)

        // Presigned URLs: tampered, for another key, expired, wrong content type, traversal.
        let answer = try await server.api("PUT", "/api/upload", token: token, json: ["file_name": "../../escape.jpg"])
        let url = try #require(answer.json?["url"] as? String)
        #expect(!url.contains("..") && url.contains("-escape.jpg?"))
        let photo = try Data(contentsOf: try #require(Self.photos.first))
        let tampered = url.replacingOccurrences(of: "-escape.jpg?", with: "-other.jpg?")
        let forged = try await HTTP.request("PUT", tampered, body: photo, headers: ["Content-Type": "image/jpeg"])
        #expect(forged.status == 403 && forged.text.contains("<Code>SignatureDoesNotMatch</Code>"))
        let wrongType = try await HTTP.request("PUT", url, body: photo, headers: ["Content-Type": "text/html"])
        #expect(wrongType.status == 403)
        let traversal = url.replacingOccurrences(of: "/pam-storage/", with: "/pam-storage/..%2F..%2F")
        // The signature covers the key, and a traversal key is never signed: refused before the key is even looked at.
        let escaped = try await HTTP.request("PUT", traversal, body: photo, headers: ["Content-Type": "image/jpeg"])
        #expect(escaped.status == 403 && escaped.text.contains("<Code>SignatureDoesNotMatch</Code>"))
        let noSignature = try await HTTP.request("GET", "\(server.base)/pam-storage/anything.jpg")
        #expect(noSignature.status == 403 && noSignature.headers["Content-Type"] == "application/xml")

        // Not a JPEG, and over the size limit.
        let text = try await HTTP.request("PUT", url, body: Data("hello, not a photo".utf8), headers: ["Content-Type": "image/jpeg"])
        #expect(text.status == 400 && text.text.contains("<Code>InvalidArgument</Code>"))
        let big = try await HTTP.request("PUT", url, body: Data(count: 26 << 20), headers: ["Content-Type": "image/jpeg"])
        #expect(big.status == 413)

        #expect(try await Self.storedObjects(server, bucket: "pam-storage").isEmpty)
        #expect(try await Self.storedObjects(server, bucket: "pam-working").isEmpty)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: server.state.appendingPathComponent("outbox").path)) ?? []).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("escape.jpg").path))
        #expect(try await server.labelCounts(token: token).isEmpty)
        try await server.stop()
    }

    @Test("an expired upload URL is refused as expired")
    func expiredUploadURL() async throws {
        let folder = CLITests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("pam.json")
        var settings =
            try JSONSerialization.jsonObject(with: Data(contentsOf: CLITests.packageRoot.appendingPathComponent("Emulator/pam.json")))
            as! [String: Any]
        settings["uploadURLLifetimeSeconds"] = 1
        try JSONSerialization.data(withJSONObject: settings).write(to: config)
        let server = try ServerProcess(state: folder.appendingPathComponent("state"), config: config.path)
        try await server.start()
        let token = try await server.signIn()
        let url = try #require(
            try await server.api("PUT", "/api/upload", token: token, json: ["file_name": "late.jpg"]).json?["url"] as? String)
        try await Task.sleep(for: .seconds(2.2))
        let late = try await HTTP.request(
            "PUT", url, body: try Data(contentsOf: try #require(Self.photos.first)), headers: ["Content-Type": "image/jpeg"])
        #expect(late.status == 403 && late.text.contains("<Code>AccessDenied</Code>") && late.text.contains("expired"))
        #expect(try await Self.storedObjects(server, bucket: "pam-storage").isEmpty)
        try await server.stop()
    }

    @Test("SIGKILL between recording a photo's labels and tagging it, then a restart, ends with exact counts")
    func crashAndRestart() async throws {
        let folder = CLITests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = StateDirectory(folder.appendingPathComponent("state"))
        // The batch is in the bucket, untagged, before the server starts: it analyses it at start-up.
        // Photos with at least one label, so the table shows every photo it has recorded.
        let uploads = try Self.labelledPhotos(16)
        try #require(uploads.count >= 12)
        let storage = ObjectRef(bucket: "pam-storage", key: "")
        do {
            let store = try FileSystemObjectStore(
                state: state, buckets: ["pam-storage", "pam-working"], baseURL: URL(string: "http://127.0.0.1")!)
            for (index, photo) in uploads.enumerated() {
                try await store.put(
                    ObjectRef(bucket: storage.bucket, key: "r\(index)-\(photo.lastPathComponent)"),
                    body: .data(try Data(contentsOf: photo)), options: PutOptions(contentType: "image/jpeg"))
            }
        }

        // The test hook kills the server right after the third analysis has written its labels to
        // the table and before it tags the photo.
        let crashAt = 3
        let server = try ServerProcess(state: state.root, environment: ["PAM_FAULT_AFTER_RECORD": "\(crashAt)"])
        try server.launch()
        try await server.waitForExit(timeout: 120)
        let ending = try #require(server.lastTermination)
        #expect(ending.reason == .uncaughtSignal && ending.status == SIGKILL, "\(ending) \(server.log())")

        // The crash landed in the window: some photo counts in the table but carries no tag.
        let table = try SQLiteLabelTable(path: state.itemStore)
        let store = try FileSystemObjectStore(
            state: state, buckets: ["pam-storage", "pam-working"], baseURL: URL(string: "http://127.0.0.1")!)
        let everyLabel = try await table.allLabels().map(\.label)
        let recorded = Set(try await table.images(withAnyOf: everyLabel))
        var tagged = Set<String>()
        for key in recorded {
            if try await store.tags(ObjectRef(bucket: storage.bucket, key: key))["rekognition"] == "complete" { tagged.insert(key) }
        }
        let inWindow = recorded.subtracting(tagged)
        #expect(recorded.count >= crashAt, "the table holds the labels of at least \(crashAt) photos")
        #expect(!inWindow.isEmpty && tagged.count < crashAt, "recorded \(recorded.count), tagged \(tagged.count)")
        #expect(recorded.count < uploads.count, "the crash interrupted the batch")

        // The restart analyses the untagged photos again, the one in the window included, and
        // counts each exactly once: the labeler's own answer.
        let restarted = try ServerProcess(state: state.root)
        try await restarted.start()
        let token = try await restarted.signIn()
        try await restarted.waitForAnalysis(token: token)
        #expect(try await restarted.labelCounts(token: token) == (try Self.expectedCounts(uploads)))
        #expect(restarted.log().contains("recovered pending photos"))
        for key in inWindow {
            #expect(
                try await store.tags(ObjectRef(bucket: storage.bucket, key: key))["rekognition"] == "complete", "\(key) was analysed again")
        }
        #expect(try await restarted.stop() == 0)
    }

    @Test("SIGKILL right after an S3 DELETE of a counted photo commits, before its turn, then a restart: the photo no longer counts")
    func deletionCrashAndRestart() async throws {
        let folder = CLITests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = StateDirectory(folder.appendingPathComponent("state"))
        // Photos with at least one label, so the deleted one shows in the counts.
        let uploads = try Self.labelledPhotos(3)
        try #require(uploads.count == 3)
        let keys = uploads.enumerated().map { "d\($0.offset)-\($0.element.lastPathComponent)" }
        let storage = "pam-storage"
        let store = try FileSystemObjectStore(state: state, buckets: [storage, "pam-working"], baseURL: URL(string: "http://127.0.0.1")!)
        for (key, photo) in zip(keys, uploads) {
            try await store.put(
                ObjectRef(bucket: storage, key: key), body: .data(try Data(contentsOf: photo)),
                options: PutOptions(contentType: "image/jpeg"))
        }

        // The hook kills the server right after the first deletion of a counted photo commits.
        let server = try ServerProcess(state: state.root, environment: ["PAM_FAULT_AFTER_DELETE": "1"])
        try await server.start()
        let token = try await server.signIn()
        try await server.waitForAnalysis(token: token)
        #expect(try await server.labelCounts(token: token) == (try Self.expectedCounts(uploads)))
        let deleted = ObjectRef(bucket: storage, key: keys[0])
        let answer = try await AWSClients(server: server).python(
            """
            import botocore.config
            client = boto3.client("s3", config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}))
            try:
                client.delete_object(Bucket="pam-storage", Key=sys.argv[1])
                print("answered")
            except Exception as error:
                print("no answer: " + type(error).__name__)
            """, [deleted.key])
        #expect(answer.output.hasPrefix("no answer"), "\(answer.output) \(answer.errors)")
        _ = try await server.waitForExit(timeout: 120)
        let ending = try #require(server.lastTermination)
        #expect(ending.reason == .uncaughtSignal && ending.status == SIGKILL, "\(ending) \(server.log())")

        // The crash landed in the window: the photo is gone but still counted, its deletion on record.
        let table = try SQLiteLabelTable(path: state.itemStore)
        await #expect(throws: PAMError.self) { try await store.head(deleted) }
        #expect(try await !table.labels(ofImage: deleted.key).isEmpty)
        #expect(try await store.deletionMarks(in: storage).map(\.ref) == [deleted])

        // The restart takes it out: the counts are the other two photos', and nothing stays on record.
        let restarted = try ServerProcess(state: state.root)
        try await restarted.start()
        let again = try await restarted.signIn()
        let expected = try Self.expectedCounts(Array(uploads.dropFirst()))
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, try await restarted.labelCounts(token: again) != expected { try await Task.sleep(for: .milliseconds(100)) }
        #expect(try await restarted.labelCounts(token: again) == expected)
        try await restarted.waitForAnalysis(token: again)
        #expect(try await store.deletionMarks(in: storage).isEmpty)
        #expect(restarted.log().contains("recovered pending photos"))
        #expect(try await restarted.stop() == 0)
    }
}
