import AsyncHTTPClient
import Foundation
import PAMAWS
import PAMCore
import PAMSigV4
import PAMTestSupport
import Testing

/// The pipeline's services on the AWS adapters against moto: S3 buckets, a DynamoDB table,
/// Rekognition (canned on moto: every image is a "Mobile Phone") and SNS.
@Suite("Pipeline on AWS adapters (moto)")
struct PipelineOnMotoTests {
    static func photos(_ count: Int) -> [URL] { Array(FixtureFiles.jpegs(in: "photos").prefix(count)) }

    @Test("import, analyse exactly once, list labels, zip a download and send its link")
    func endToEnd() async throws {
        let client = try await Moto.client()
        let names = AWSBootstrap.Names(
            storageBucket: Moto.uniqueName("pam-storage"), workingBucket: Moto.uniqueName("pam-working"),
            labelsTable: Moto.uniqueName("pam-labels"), notificationTopic: Moto.uniqueName("pam-notify"))
        let report = try await AWSBootstrap(client: client).run(names)
        #expect(report.count == 4)
        // Running it again is harmless (in us-east-1 S3 answers 200 to re-creating one's own bucket).
        let again = try await AWSBootstrap(client: client).run(names)
        #expect(again.count == 4 && again[2] == "table \(names.labelsTable): already there")
        for (bucket, rule) in [(names.storageBucket, "INTELLIGENT_TIERING"), (names.workingBucket, "<Expiration><Days>1</Days>")] {
            var lifecycle = AWSClient.Request(service: .s3, operation: "GetBucketLifecycleConfiguration", method: "GET", path: "/\(bucket)")
            lifecycle.query = [SigV4Request.Field("lifecycle", "")]
            #expect(String(decoding: try await client.send(lifecycle).body, as: UTF8.self).contains(rule))
            var cors = AWSClient.Request(service: .s3, operation: "GetBucketCors", method: "GET", path: "/\(bucket)")
            cors.query = [SigV4Request.Field("cors", "")]
            #expect(String(decoding: try await client.send(cors).body, as: UTF8.self).contains("<AllowedOrigin>*</AllowedOrigin>"))
        }
        // One photo at a time: moto's UpdateItem is a non-atomic read-modify-write, so concurrent
        // conditional updates of one label lose counts there (real DynamoDB does not); atomicity is
        // proven where the backend promises it, on SQLite (LabelTableConformance).
        let config = PipelineConfig(storageBucket: names.storageBucket, workingBucket: names.workingBucket, concurrency: 1)
        let store = S3ObjectStore(client: client)
        let table = DynamoDBLabelTable(client: client, tableName: names.labelsTable)
        let labeler = RekognitionLabeler(client: client)
        let logs = CapturedLogs()
        let notifier = SNSNotifier(
            client: client, topicPrefix: names.notificationTopic, nameKey: Data("pipeline".utf8), logger: logs.logger("sns"))
        let analysis = AnalysisService(store: store, labeler: labeler, table: table, config: config, logger: logs.logger("analysis"))
        let importer = ImportService(store: store, analysis: analysis, config: config, logger: logs.logger("import"))
        let download = DownloadService(store: store, table: table, notifier: notifier, config: config, logger: logs.logger("download"))

        let photos = Self.photos(6)
        try #require(photos.count == 6)
        let items = photos.map { url in ImportItem(name: url.lastPathComponent) { try Data(contentsOf: url) } }
        let summary = try await importer.run(items)
        #expect(summary.progress.imported == 6 && summary.progress.failed == 0)
        var stored: [ObjectInfo] = []
        for try await info in store.listAll(bucket: names.storageBucket) { stored.append(info) }
        #expect(stored.count == 6)
        for info in stored { #expect(try await store.tags(info.ref)["rekognition"] == "complete") }
        #expect(try await LabelsService(table: table).labels() == [LabelCount(label: "Mobile Phone", count: 6)])

        // Events delivered again count nothing; importing the same content again skips it.
        for info in stored { #expect(try await analysis.analyze(info.ref) == .alreadyAnalyzed) }
        try await table.record(imageKey: stored[0].ref.key, labels: ["Mobile Phone"])
        #expect(try await table.allLabels() == [LabelCount(label: "Mobile Phone", count: 6)])
        #expect(try await importer.run(items).progress.skipped == 6)

        // The download: a zip of the six photos in the working bucket, its link sent by SNS.
        let receipt = try await download.requestDownload(labels: ["Mobile Phone"], recipient: .email("ada@example.com"))
        #expect(receipt.photoCount == 6)
        #expect(receipt.bundle.ref.bucket == names.workingBucket)
        let entries = try await ZipVerifier.verify(try await store.get(receipt.bundle.ref))
        #expect(entries.map(\.name).sorted() == stored.map(\.ref.key).sorted())
        let fetched = try await HTTPClient.shared.execute(HTTPClientRequest(url: receipt.url.absoluteString), timeout: .seconds(60))
        #expect(fetched.status.code == 200)
        let zip = Data(try await fetched.body.collect(upTo: 256 << 20).readableBytesView)
        #expect(Int64(zip.count) == receipt.bundle.size)
        #expect(!receipt.delivery.messageID.isEmpty)
        #expect(!logs.text.contains("ada@example.com"))
    }

    /// The importer compares content by the ETag S3 records; above the store's part size that is
    /// the multipart form, which a plain MD5 never matched, so such photos were imported again.
    @Test("a photo over the multipart threshold is recognised as stored when imported again")
    func multipartPhotoIsSkipped() async throws {
        let client = try await Moto.client()
        let bucket = Moto.uniqueName("pam-storage")
        let table = Moto.uniqueName("pam-labels")
        _ = try await AWSBootstrap(client: client).createBucket(bucket)
        _ = try await AWSBootstrap(client: client).createTable(table)
        let config = PipelineConfig(storageBucket: bucket, workingBucket: bucket, concurrency: 1)
        let store = S3ObjectStore(client: client)
        let analysis = AnalysisService(
            store: store, labeler: RekognitionLabeler(client: client),
            table: DynamoDBLabelTable(client: client, tableName: table), config: config)
        let importer = ImportService(store: store, analysis: analysis, config: config)
        let photo = try PaddedJPEG.make(try #require(try Self.photos(1).first.map { try Data(contentsOf: $0) }), size: (9 << 20) + 5)
        let items = [ImportItem(name: "large.jpg") { photo }]
        #expect(try await importer.run(items).progress.imported == 1)
        var stored: [ObjectInfo] = []
        for try await info in store.listAll(bucket: bucket) { stored.append(info) }
        #expect(stored.count == 1 && stored.first?.etag.hasSuffix("-2") == true)
        let again = try await importer.run(items)
        #expect(again.progress.skipped == 1 && again.progress.imported == 0)
    }
}
