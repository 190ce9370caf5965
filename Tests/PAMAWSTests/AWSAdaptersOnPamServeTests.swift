import Foundation
import PAMAWS
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// PAM's own Rekognition and SNS adapters against PAM's own AWS endpoint: `RekognitionLabeler`'s
/// conformance suite on `pam serve`'s Rekognition and S3 (every check: unlike moto, it reads the
/// image), and `SNSNotifier`'s on its SNS, the messages read back from the server's outbox.
@Suite("Rekognition and SNS adapters on pam serve")
struct AWSAdaptersOnPamServeTests {
    @Test("RekognitionLabeler: Labeler conformance on pam serve", arguments: LabelerConformance.checks)
    func labeler(_ check: LabelerConformance.Check) async throws {
        let server = try await PamServeEndpoint.start()
        do {
            let client = server.client()
            try await check.run(
                LabelerConformance.Subject(
                    labeler: RekognitionLabeler(client: client), store: S3ObjectStore(client: client), bucket: "pam-working"))
        } catch {
            Issue.record("\(error)\n\(server.log)")
        }
        await server.stop()
    }

    @Test("RekognitionLabeler on pam serve: the local labeler's labels, from the object and from the bytes")
    func realLabels() async throws {
        let server = try await PamServeEndpoint.start()
        do {
            let client = server.client()
            let photo = try LabelerConformance.photo()
            let ref = ObjectRef(bucket: "pam-storage", key: "ridge.jpg")
            try await S3ObjectStore(client: client).put(ref, body: .data(photo), options: PutOptions(contentType: "image/jpeg"))
            let local = try HistogramLabeler().labels(forJPEG: photo, query: .default)
            #expect(!local.isEmpty)
            let labeler = RekognitionLabeler(client: client)
            #expect(try await labeler.detectLabels(in: ref, query: .default) == local)
            #expect(try await labeler.detectLabels(inImage: photo, query: .default) == local)
            await expectCode(.notFound) {
                _ = try await labeler.detectLabels(in: ObjectRef(bucket: "pam-storage", key: "none.jpg"), query: .default)
            }
        } catch {
            Issue.record("\(error)\n\(server.log)")
        }
        await server.stop()
    }

    @Test("SNSNotifier: Notifier conformance on pam serve, read from its outbox", arguments: NotifierConformance.checks)
    func notifier(_ check: NotifierConformance.Check) async throws {
        let server = try await PamServeEndpoint.start()
        do {
            let notifier = SNSNotifier(client: server.client(), topicPrefix: "pam-notify", nameKey: Data("k1".utf8))
            let outbox = NewFiles(folder: server.state.appendingPathComponent("outbox"))
            try await check.run(
                NotifierConformance.Subject(notifier: notifier, email: SNSNotifierTests.email, phone: SNSNotifierTests.phone) { _, _ in
                    try DeliveredMessage(outboxFile: try await outbox.next().path)
                })
            // The server's log names operations and channels, never an address.
            #expect(!server.log.contains(SNSNotifierTests.email) && !server.log.contains(SNSNotifierTests.phone), "\(server.log)")
        } catch {
            Issue.record("\(error)\n\(server.log)")
        }
        await server.stop()
    }

    @Test(
        "PAM_BACKEND=aws at pam serve: pam aws bootstrap, then pam import counts the local labeler's labels in its DynamoDB, pam download's message lands in its outbox"
    )
    func pamOnPamServe() async throws {
        let server = try await PamServeEndpoint.start()
        do {
            let folder = server.folder.appendingPathComponent("client")
            let photos = folder.appendingPathComponent("photos")
            try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
            var expected: [String: Int] = [:]
            for photo in PipelineOnMotoTests.photos(4) {
                try FileManager.default.copyItem(at: photo, to: photos.appendingPathComponent(photo.lastPathComponent))
                for label in try HistogramLabeler().labels(forJPEG: Data(contentsOf: photo)) { expected[label.name, default: 0] += 1 }
            }
            // Every port on the endpoint: S3, Rekognition, DynamoDB and SNS, created as on AWS, with
            // the server's own buckets: each photo the client puts in pam-storage is analysed twice at
            // once, by the client and by the server (its S3 event), into the one label table — and
            // still counts once.
            let environment = server.environment.merging(["PAM_BACKEND": "aws", "PAM_TOPIC_NAME_KEY": "test-key"]) { $1 }
            let state = folder.appendingPathComponent("state").path
            let bootstrap = try await PamCommand.run(["aws", "bootstrap"], environment: environment)
            #expect(bootstrap.status == 0, "\(bootstrap.output)\(bootstrap.errors)")
            let imported = try await PamCommand.run(["import", "--state", state, photos.path], environment: environment)
            #expect(imported.status == 0 && imported.output.contains("Imported 4, skipped 0"), "\(imported.output)\(imported.errors)")
            let labels = try await PamCommand.run(["labels", "--state", state, "--json"], environment: environment)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(labels.output.utf8)) as? [String: [String: [String: Int]]])
            let counted = try #require(json["labels"]).mapValues { $0["count"] ?? 0 }
            #expect(!expected.isEmpty && counted == expected, "\(labels.output)")
            // The counts are items of the endpoint's DynamoDB table, as the reference stack keeps them.
            let table = DynamoDBLabelTable(client: server.client(), tableName: "pam-labels")
            #expect(Dictionary(uniqueKeysWithValues: try await table.allLabels().map { ($0.label, $0.count) }) == expected)

            let label = try #require(expected.max { $0.value < $1.value }?.key)
            let download = try await PamCommand.run(
                ["download", "--state", state, "--label", label, "--email", "serve@example.com"], environment: environment)
            #expect(download.status == 0, "\(download.output)\(download.errors)")
            // The client has no outbox of its own: the message went through pam serve's SNS into the server's.
            let own = (try? FileManager.default.contentsOfDirectory(atPath: "\(state)/outbox")) ?? []
            #expect(own.isEmpty, "\(own)")
            let outbox = server.state.appendingPathComponent("outbox")
            let names = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".eml") }
            #expect(names.count == 1, "\(names)")
            let message = try DeliveredMessage(outboxFile: outbox.appendingPathComponent(try #require(names.first)).path)
            #expect(
                message.recipient == "serve@example.com" && message.body.contains("\(server.endpoint.absoluteString)/pam-working/"),
                "\(message)")
            #expect(!server.log.contains("serve@example.com"), "\(server.log)")
        } catch {
            Issue.record("\(error)\n\(server.log)")
        }
        await server.stop()
    }

    @Test(
        "pam demo with PAM_BACKEND=aws at pam serve: real labels from its Rekognition (not canned ones), counted in its DynamoDB, the zip verified, the message through its SNS"
    )
    func demoOnPamServe() async throws {
        let server = try await PamServeEndpoint.start()
        do {
            // The client's own buckets (pamOnPamServe uses the server's).
            let environment = server.environment.merging([
                "PAM_BACKEND": "aws", "STORAGE_BUCKET_NAME": "app-photos", "WORKING_BUCKET_NAME": "app-bundles",
            ]) { $1 }
            let bootstrap = try await PamCommand.run(["aws", "bootstrap"], environment: environment)
            #expect(bootstrap.status == 0, "\(bootstrap.output)\(bootstrap.errors)")
            let state = server.folder.appendingPathComponent("demo-state").path
            let demo = try await PamCommand.run(["demo", "--state", state], environment: environment)
            #expect(demo.status == 0, "\(demo.output)\(demo.errors)")
            // The local labeler's labels through the endpoint's DetectLabels, counted exactly.
            var expected: [String: Int] = [:]
            for photo in FixtureFiles.jpegs(in: "photos") {
                for label in try HistogramLabeler().labels(forJPEG: Data(contentsOf: photo)) { expected[label.name, default: 0] += 1 }
            }
            let table = demo.output.components(separatedBy: "== 2. Labels\n").last?.components(separatedBy: "\n\n").first ?? ""
            let counted = Dictionary(
                uniqueKeysWithValues: table.split(separator: "\n").compactMap { line -> (String, Int)? in
                    let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                    guard parts.count == 2, let count = Int(parts[1]) else { return nil }
                    return (String(parts[0]), count)
                })
            #expect(!expected.isEmpty && counted == expected, "\(demo.output)")
            #expect(demo.output.contains("sizes and CRC-32 match the stored photos"), "\(demo.output)")
            #expect(demo.output.contains("Published to the SNS topic arn:aws:sns:"), "\(demo.output)")
            let outbox = try FileManager.default.contentsOfDirectory(atPath: server.state.appendingPathComponent("outbox").path)
            #expect(outbox.filter { $0.hasSuffix(".eml") }.count == 1, "\(outbox)")
        } catch {
            Issue.record("\(error)\n\(server.log)")
        }
        await server.stop()
    }

    /// The one file that appeared in `folder` since the last call (each delivery to a topic with
    /// one subscriber writes exactly one).
    actor NewFiles {
        let folder: URL
        private var seen: Set<String> = []

        init(folder: URL) { self.folder = folder }

        func next() throws -> URL {
            let names = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            let new = names.subtracting(seen)
            seen = names
            guard new.count == 1, let name = new.first else {
                throw PAMError(.notFound, "expected one new outbox message, found \(new.count)", path: folder.path)
            }
            return folder.appendingPathComponent(name)
        }
    }
}
