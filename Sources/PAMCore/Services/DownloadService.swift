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
    /// How the zip is written: streamed through `store` unless a faster writer is given.
    let bundles: any BundleWriter
    let logger: Logger

    public init(
        store: any ObjectStore, table: any LabelTable, notifier: any Notifier, config: PipelineConfig, bundles: (any BundleWriter)? = nil,
        logger: Logger = Logger(label: "pam.download")
    ) {
        self.store = store
        self.bundles = bundles ?? StreamingBundleWriter(store: store)
        self.table = table
        self.notifier = notifier
        self.config = config
        self.logger = logger
    }

    /// Builds `{uuid}.zip` of the union of the labels' photos, presigns it for the configured
    /// lifetime (24 hours) and notifies `recipient`. Every label must exist in the table (an
    /// unknown one is `.notFound`, naming it), so a request cannot put text of its own in the message.
    public func requestDownload(labels: [String], recipient: Recipient) async throws -> DownloadReceipt {
        let wanted = try await existingLabels(labels)
        let photos = try await storedPhotos(try await table.images(withAnyOf: wanted))
        guard !photos.isEmpty else {
            throw PAMError(.notFound, "no photo carries any of the labels \(wanted.map(MessageText.quoted).joined(separator: ", "))")
        }
        let bundle = try await writeBundle(of: photos)
        let count = photos.count
        let url = try await store.presignedURL(.get, bundle.ref, expiresIn: config.downloadURLLifetime, contentType: nil)
        let hours = Int(config.downloadURLLifetime / 3600)
        let message = Notification(
            subject: "Your PAM photos are ready",
            body: """
                Your bundle of \(count) photo\(count == 1 ? "" : "s") labelled \(wanted.joined(separator: ", ")) is ready.

                Download it within \(hours) hours:
                \(url.absoluteString)
                """)
        let delivery = try await notifier.deliver(message, to: recipient)
        logger.info(
            "bundle delivered",
            metadata: [
                "zip": "\(bundle.ref.key)", "photos": "\(count)", "bytes": "\(bundle.size)",
                "channel": "\(recipient.channel)",
            ])
        return DownloadReceipt(bundle: bundle, url: url, photoCount: count, delivery: delivery)
    }

    /// The requested labels, trimmed, deduplicated and sorted, once each is known to exist:
    /// `.invalidArgument` for none, `.notFound` naming the first unknown one.
    public func existingLabels(_ labels: [String]) async throws -> [String] {
        let wanted = Array(Set(labels.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        guard !wanted.isEmpty else { throw PAMError(.invalidArgument, "choose at least one label") }
        let known = Set(try await table.allLabels().map(\.label))
        if let unknown = wanted.first(where: { !known.contains($0) }) {
            throw PAMError(.notFound, "no label \(MessageText.quoted(unknown))")
        }
        return wanted
    }

    /// Tells `recipient` that the bundle they asked for could not be made (instead of silence
    /// after a 202). The message names the labels, nothing else of the failure.
    public func notifyFailure(labels: [String], recipient: Recipient) async throws -> DeliveryReceipt {
        let names = Array(Set(labels.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        let message = Notification(
            subject: "Your PAM photos could not be bundled",
            body: """
                Your bundle of the photos labelled \(names.joined(separator: ", ")) could not be made.

                Nothing was sent. Please ask for it again later.
                """)
        return try await notifier.deliver(message, to: recipient)
    }

    /// Writes the zip of `keys` (from the storage bucket, those still stored) into the working bucket.
    public func buildBundle(keys: [String]) async throws -> ObjectInfo {
        let photos = try await storedPhotos(keys)
        guard !photos.isEmpty else { throw PAMError(.notFound, "none of the \(keys.count) photos is stored any more") }
        return try await writeBundle(of: photos)
    }

    /// Writes the zip of `photos` as a new `{uuid}.zip` in the working bucket.
    private func writeBundle(of photos: [ObjectInfo]) async throws -> ObjectInfo {
        try await bundles.writeZip(of: photos, to: ObjectRef(bucket: config.workingBucket, key: PhotoKey.makeBundle()))
    }

    /// The photos of `keys` still stored: one deleted after it was counted (the table has not
    /// caught up yet, or a crash kept it from doing so) is left out rather than failing the
    /// bundle, with a warning (a missing bucket is an error, not missing photos).
    func storedPhotos(_ keys: [String]) async throws -> [ObjectInfo] {
        var photos: [ObjectInfo] = []
        photos.reserveCapacity(keys.count)
        for key in keys {
            do {
                photos.append(try await store.head(ObjectRef(bucket: config.storageBucket, key: key)))
            } catch let error as PAMError where error.code == .notFound && error.ref != nil {
                continue
            }
        }
        if photos.count < keys.count {
            logger.warning("photos deleted since they were counted are left out", metadata: ["left out": "\(keys.count - photos.count)"])
        }
        return photos
    }
}
