import AsyncHTTPClient
import Foundation
import PAMAWS
import PAMCore
import PAMTestSupport
import Testing

/// PAM's own S3 adapter against PAM's own AWS endpoint: `S3ObjectStore`'s conformance suite on a
/// `pam serve` (as it runs on moto), and `pam import` / `pam download` with their buckets there.
@Suite("S3ObjectStore on pam serve")
struct S3ObjectStoreOnPamServeTests {
    @Test("ObjectStore conformance", arguments: ObjectStoreConformance.checks)
    func conformance(_ check: ObjectStoreConformance.Check) async throws {
        // One server per check: each check wants an empty bucket, and the endpoint serves two fixed ones.
        let server = try await PamServeEndpoint.start()
        do {
            let store = S3ObjectStore(client: server.client())
            // The endpoint checks expiry against its own clock, which a test cannot advance: the
            // boto3 tests in PAMCLITests cover expired URLs with a URL signed in the past.
            let probe = ObjectStoreConformance.PresignedProbe(
                fetch: { url in
                    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(30))
                    return (Int(response.status.code), Data(try await response.body.collect(upTo: 1 << 20).readableBytesView))
                }, elapse: nil)
            try await check.run(ObjectStoreConformance.Subject(store: store, bucket: "pam-working", presigned: probe))
        } catch {
            Issue.record("\(error)\n\(server.log)")
        }
        await server.stop()
    }

    @Test("PAM_STORAGE=aws with AWS_ENDPOINT_URL at pam serve: pam import stores the photos there, pam download bundles them there")
    func importAndDownload() async throws {
        let server = try await PamServeEndpoint.start()
        do {
            try await Self.importAndDownload(server)
        } catch {
            Issue.record("\(error)\n\(server.log)")
        }
        await server.stop()
    }

    static func importAndDownload(_ server: PamServeEndpoint) async throws {
        let folder = server.folder.appendingPathComponent("client")
        let photos = folder.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        for photo in PipelineOnMotoTests.photos(4) {
            try FileManager.default.copyItem(at: photo, to: photos.appendingPathComponent(photo.lastPathComponent))
        }
        // Only S3 is on the endpoint: the table, labeler and outbox stay local. The client's own
        // buckets: photos put in pam serve's pam-storage are also analysed by the server (its S3
        // event) into the server's table, and whichever analysis tags a photo first claims it.
        let bootstrap = AWSBootstrap(client: server.client())
        for bucket in ["app-photos", "app-bundles"] { _ = try await bootstrap.createBucket(bucket) }
        let environment = server.environment.merging([
            "PAM_BACKEND": "local", "PAM_STORAGE": "aws", "STORAGE_BUCKET_NAME": "app-photos", "WORKING_BUCKET_NAME": "app-bundles",
        ]) { $1 }
        let state = folder.appendingPathComponent("state").path
        let imported = try await PamCommand.run(["import", "--state", state, photos.path], environment: environment)
        #expect(
            imported.status == 0 && imported.output.contains("Imported 4, skipped 0"), "\(imported.output)\(imported.errors)\n\(server.log)"
        )
        let again = try await PamCommand.run(["import", "--state", state, photos.path], environment: environment)
        #expect(again.status == 0 && again.output.contains("Imported 0, skipped 4"), "\(again.output)\(again.errors)")

        let store = S3ObjectStore(client: server.client())
        let stored = try await store.list(bucket: "app-photos", prefix: "", continuationToken: nil, maxKeys: 100).objects
        #expect(stored.count == 4, "\(stored.map(\.ref.key))")

        let labels = try await PamCommand.run(["labels", "--state", state, "--json"], environment: environment)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(labels.output.utf8)) as? [String: [String: [String: Int]]])
        let label = try #require(json["labels"]?.max { ($0.value["count"] ?? 0) < ($1.value["count"] ?? 0) }?.key, "\(labels.output)")
        let download = try await PamCommand.run(
            ["download", "--state", state, "--label", label, "--email", "serve@example.com"], environment: environment)
        #expect(download.status == 0, "\(download.output)\(download.errors)\n\(server.log)")
        let working = try await store.list(bucket: "app-bundles", prefix: "", continuationToken: nil, maxKeys: 100).objects
        let bundle = try #require(working.first { $0.ref.key.hasSuffix(".zip") }, "\(working.map(\.ref.key))")
        #expect(bundle.size > 0)
        // The message links the bundle on the endpoint, and the endpoint serves it whole.
        let outbox = try FileManager.default.contentsOfDirectory(atPath: "\(state)/outbox").filter { $0.hasSuffix(".eml") }
        let message = try String(contentsOfFile: "\(state)/outbox/\(try #require(outbox.first))", encoding: .utf8)
        #expect(message.contains("\(server.endpoint.absoluteString)/app-bundles/"), "\(message)")
        #expect(Int64(try await store.get(bundle.ref).collect(limit: 256 << 20).count) == bundle.size)
    }
}
