import Foundation
import PAMCore
import PAMTestSupport
import Testing

@Suite("DownloadService on fakes")
struct DownloadServiceTests {
    static let photos = [
        "1-lake.jpg": InMemoryLabeler.photo(labels: ["Sky", "Water"]),
        "2-peak.jpg": InMemoryLabeler.photo(labels: ["Mountain"]),
        "3-sky.jpg": InMemoryLabeler.photo(labels: ["Sky"]),
        "4-wood.jpg": InMemoryLabeler.photo(labels: ["Forest"]),
    ]

    /// A pipeline holding `photos`, analysed.
    static func analysed() async throws -> FakePipeline {
        let pipeline = FakePipeline()
        for (key, data) in photos { _ = try await pipeline.analysis().analyze(try await pipeline.put(key, data)) }
        return pipeline
    }

    @Test("the bundle holds exactly the labels' photos, byte for byte, and its 24-hour link reaches the recipient")
    func bundleAndLink() async throws {
        let pipeline = try await Self.analysed()
        let receipt = try await pipeline.download.requestDownload(labels: ["Water", "Mountain"], recipient: .email("ada@example.com"))
        #expect(receipt.photoCount == 2)
        #expect(receipt.bundle.ref.bucket == pipeline.config.workingBucket && receipt.bundle.ref.key.hasSuffix(".zip"))

        let entries = try await ZipVerifier.verify(try await pipeline.store.get(receipt.bundle.ref))
        #expect(entries.map(\.name) == ["1-lake.jpg", "2-peak.jpg"])
        for entry in entries {
            let photo = try #require(Self.photos[entry.name])
            #expect(entry.size == UInt64(photo.count) && entry.crc32 == CRC32.checksum(photo), "\(entry.name)")
        }

        let deliveries = await pipeline.notifier.deliveries
        #expect(deliveries.count == 1)
        #expect(deliveries.first?.recipient == .email("ada@example.com"))
        let body = try #require(deliveries.first?.notification.body)
        #expect(body.contains("2 photos labelled Mountain, Water") && body.contains(receipt.url.absoluteString))
        let zip = try await pipeline.store.get(receipt.bundle.ref).collect()
        let fetched = await pipeline.store.fetch(receipt.url)
        #expect(fetched.status == 200 && fetched.body == zip)
        pipeline.clock.advance(by: 24 * 3600 - 1)
        #expect(await pipeline.store.fetch(receipt.url).status == 200)
        pipeline.clock.advance(by: 1)
        #expect(await pipeline.store.fetch(receipt.url).status == 403)
    }

    @Test("labels are trimmed and deduplicated; an unknown one is .notFound and none is .invalidArgument, sending nothing")
    func labelChecks() async throws {
        let pipeline = try await Self.analysed()
        #expect(try await pipeline.download.existingLabels([" Sky ", "Sky", "Forest", ""]) == ["Forest", "Sky"])
        let phone = Recipient.phone("+447700900123")
        await expectCode(.notFound) { _ = try await pipeline.download.requestDownload(labels: ["Sky", "Nope"], recipient: phone) }
        await expectCode(.invalidArgument) { _ = try await pipeline.download.requestDownload(labels: [" "], recipient: phone) }
        #expect(await pipeline.notifier.deliveries.isEmpty)
        #expect(await pipeline.store.keys(in: pipeline.config.workingBucket).isEmpty)
    }

    @Test("a photo stored without a CRC-32 is read once more to learn it")
    func photoWithoutCRC() async throws {
        let pipeline = FakePipeline()
        let photo = InMemoryLabeler.photo(labels: ["Sky"])
        let ref = try await pipeline.put("5-plain.jpg", photo, crc: false)
        #expect(try await pipeline.store.head(ref).crc32 == nil)
        _ = try await pipeline.analysis().analyze(ref)
        let bundle = try await pipeline.download.buildBundle(keys: [ref.key])
        let entries = try await ZipVerifier.verify(try await pipeline.store.get(bundle.ref))
        #expect(entries.map(\.crc32) == [CRC32.checksum(photo)])
    }

    @Test("a bundle that could not be made is announced to the recipient, naming only the labels")
    func failureNotice() async throws {
        let pipeline = FakePipeline()
        let receipt = try await pipeline.download.notifyFailure(labels: ["Sky", " Water", "Sky"], recipient: .email("ada@example.com"))
        let message = try #require(await pipeline.notifier.message(for: receipt))
        #expect(message.subject == "Your PAM photos could not be bundled")
        #expect(message.body.contains("labelled Sky, Water could not be made"))
    }
}
