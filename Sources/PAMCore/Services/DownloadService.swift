import Foundation
import Logging

/// What a download request produced: the zip, its link and the delivery proof (no PII).
public struct DownloadReceipt: Sendable {
    public var bundle: ObjectInfo
    public var url: URL
    public var photoCount: Int
    public var delivery: DeliveryReceipt
}

/// Step 4 of the pipeline: zip the photos carrying any of the chosen labels into the working
/// bucket, and send a time-limited link to the zip.
public struct DownloadService: Sendable {
    let store: any ObjectStore
    let table: any LabelTable
    let notifier: any Notifier
    let config: PipelineConfig
    let logger: Logger

    public init(store: any ObjectStore, table: any LabelTable, notifier: any Notifier, config: PipelineConfig,
                logger: Logger = Logger(label: "pam.download")) {
        self.store = store
        self.table = table
        self.notifier = notifier
        self.config = config
        self.logger = logger
    }

    /// Builds `{uuid}.zip` of the union of the labels' photos, presigns it for the configured
    /// lifetime (24 hours) and notifies `recipient`.
    public func requestDownload(labels: [String], recipient: Recipient) async throws -> DownloadReceipt {
        let wanted = Array(Set(labels.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        guard !wanted.isEmpty else { throw PAMError(.invalidArgument, "choose at least one label") }
        let keys = try await table.images(withAnyOf: wanted)
        guard !keys.isEmpty else {
            throw PAMError(.notFound, "no photo carries any of the labels \(wanted.joined(separator: ", "))")
        }
        let bundle = try await buildBundle(keys: keys)
        let url = try await store.presignedURL(.get, bundle.ref, expiresIn: config.downloadURLLifetime, contentType: nil)
        let hours = Int(config.downloadURLLifetime / 3600)
        let message = Notification(
            subject: "Your PAM photos are ready",
            body: """
                Your bundle of \(keys.count) photo\(keys.count == 1 ? "" : "s") labelled \(wanted.joined(separator: ", ")) is ready.

                Download it within \(hours) hours:
                \(url.absoluteString)
                """)
        let delivery = try await notifier.deliver(message, to: recipient)
        logger.info("bundle delivered", metadata: [
            "zip": "\(bundle.ref.key)", "photos": "\(keys.count)", "bytes": "\(bundle.size)",
            "channel": "\(recipient.channel)",
        ])
        return DownloadReceipt(bundle: bundle, url: url, photoCount: keys.count, delivery: delivery)
    }

    /// Streams the zip of `keys` (from the storage bucket) into the working bucket.
    public func buildBundle(keys: [String]) async throws -> ObjectInfo {
        var sources: [ZipSource] = []
        sources.reserveCapacity(keys.count)
        for key in keys {
            let ref = ObjectRef(bucket: config.storageBucket, key: key)
            let info = try await store.head(ref)
            var crc = info.crc32
            if crc == nil { crc = try await checksum(ref) }
            let store = self.store
            sources.append(ZipSource(name: key, size: UInt64(info.size), crc32: crc ?? 0, modified: info.created) {
                try await store.get(ref)
            })
        }
        let ref = ObjectRef(bucket: config.workingBucket, key: PhotoKey.makeBundle())
        return try await store.put(ref, body: ZipArchiveStream.make(sources), options: PutOptions(contentType: "application/zip", computeCRC32: false))
    }

    /// Reads an object once to learn its CRC-32, for stores that do not keep one.
    private func checksum(_ ref: ObjectRef) async throws -> UInt32 {
        var crc = CRC32()
        for try await chunk in try await store.get(ref) { crc.update(chunk) }
        return crc.value
    }
}
