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
