import Foundation
import Logging
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// The pipeline's services on the real local adapters (files, SQLite, libturbojpeg).
@Suite("Pipeline on local adapters")
struct PipelineTests {
    struct Pipeline {
        let state: TemporaryState
        let store: FileSystemObjectStore
        let table: SQLiteLabelTable
        let analysis: AnalysisService
        let importer: ImportService
        let download: DownloadService
        let logs: CapturedLogs

        init(_ state: TemporaryState, logs: CapturedLogs = CapturedLogs()) throws {
            self.state = state
            self.logs = logs
            store = try state.store()
            table = try state.table()
            analysis = AnalysisService(
                store: store, labeler: StoredImageLabeler(store: store), table: table,
                config: state.config, logger: logs.logger("analysis"))
            importer = ImportService(store: store, analysis: analysis, config: state.config, logger: logs.logger("import"))
            download = DownloadService(
                store: store, table: table, notifier: try state.notifier(logger: logs.logger("notifier")),
                config: state.config, logger: logs.logger("download"))
        }

        func importFiles(_ urls: [URL], force: Bool = false) async throws -> ImportSummary {
            try await importer.run(urls.map { url in ImportItem(name: url.lastPathComponent) { try Data(contentsOf: url) } }, force: force)
        }

        func storedPhotos() async throws -> [ObjectInfo] {
            var photos: [ObjectInfo] = []
            for try await info in store.listAll(bucket: state.config.storageBucket) { photos.append(info) }
            return photos
        }
    }

    static let photos = FixtureFiles.jpegs(in: "photos")

    /// The counts the table must hold: each photo's own labels, counted once.
    static func expectedCounts(_ urls: [URL]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for url in urls {
            for label in try HistogramLabeler().labels(forJPEG: Data(contentsOf: url)) { counts[label.name, default: 0] += 1 }
        }
        return counts
    }

    @Test("importing the fixtures stores, labels, tags and counts every photo exactly once")
    func importFixtures() async throws {
        try #require(Self.photos.count >= 20)
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            let summary = try await pipeline.importFiles(Self.photos)
            #expect(summary.progress.imported == Self.photos.count && summary.progress.failed == 0)
            let stored = try await pipeline.storedPhotos()
            #expect(stored.count == Self.photos.count)
            for info in stored {
                #expect(
                    info.ref.key.range(
                        of: #"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-.+\.jpg$"#, options: .regularExpression) != nil)
                #expect(try await pipeline.store.tags(info.ref)["rekognition"] == "complete")
            }
            let counts = Dictionary(uniqueKeysWithValues: try await pipeline.table.allLabels().map { ($0.label, $0.count) })
            #expect(counts == (try Self.expectedCounts(Self.photos)))

            // Importing again skips every photo by content; --force imports them as new photos.
            let again = try await pipeline.importFiles(Self.photos)
            #expect(again.progress.skipped == Self.photos.count && again.progress.imported == 0)
            #expect(try await pipeline.storedPhotos().count == Self.photos.count)
            let forced = try await pipeline.importFiles(Array(Self.photos.prefix(2)), force: true)
            #expect(forced.progress.imported == 2)
        }
    }

    @Test("the same content twice in one batch is imported once")
    func duplicateInBatch() async throws {
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            let photo = try #require(Self.photos.first)
            let summary = try await pipeline.importFiles([photo, photo, photo, photo])
            #expect(summary.progress.imported == 1 && summary.progress.skipped == 3)
            // The duplicates stored and deleted again leave no deletion on record.
            #expect(try await pipeline.store.deletionMarks(in: state.config.storageBucket).isEmpty)
        }
    }

    @Test("analysis events that arrive repeatedly, concurrently or after a crash count once")
    func exactlyOnce() async throws {
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            let photo = try #require(Self.photos.first { $0.lastPathComponent == "lomiri-picosdeeuropa-aitzol-berasategi.jpg" })
            let info = try await UploadService(store: pipeline.store, config: state.config)
                .upload(fileName: photo.lastPathComponent, body: .data(Data(contentsOf: photo)))
            let expected = try Self.expectedCounts([photo])
            #expect(!expected.isEmpty)

            // Eight events for one photo at once.
            let outcomes = try await withThrowingTaskGroup(of: AnalysisOutcome.self) { group in
                for _ in 0..<8 { group.addTask { try await pipeline.analysis.analyze(info.ref) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let counted = outcomes.reduce(0) { total, outcome in
                if case .analyzed(_, let change) = outcome { return total + change.added.count }
                return total
            }
            #expect(counted == expected.count)
            func counts() async throws -> [String: Int] {
                Dictionary(uniqueKeysWithValues: try await pipeline.table.allLabels().map { ($0.label, $0.count) })
            }
            #expect(try await counts() == expected)

            // A repeated event after completion does nothing.
            #expect(try await pipeline.analysis.analyze(info.ref) == .alreadyAnalyzed)

            // A crash after the table update but before tagging: the photo is pending again,
            // re-analysis finds it, and the counts do not move.
            try await pipeline.store.setTags(info.ref, [:])
            #expect(try await pipeline.analysis.pendingPhotos() == [info.ref])
            #expect(try await counts() == expected)
            _ = try await pipeline.analysis.analyze(info.ref)
            #expect(try await counts() == expected)
            #expect(try await pipeline.analysis.pendingPhotos().isEmpty)
        }
    }

    /// Two fixtures whose labels differ both ways (each has a label the other lacks).
    static func differentPhotos() throws -> (URL, URL, [String], [String]) {
        for first in photos {
            let a = Set(try HistogramLabeler().labels(forJPEG: Data(contentsOf: first)).map(\.name))
            for second in photos where second != first {
                let b = Set(try HistogramLabeler().labels(forJPEG: Data(contentsOf: second)).map(\.name))
                if !a.subtracting(b).isEmpty, !b.subtracting(a).isEmpty { return (first, second, a.sorted(), b.sorted()) }
            }
        }
        throw PAMError(.notFound, "no two fixtures with different labels")
    }

    @Test("a photo overwritten with another (a replayed upload URL) ends with exactly its own labels, counts and bundles")
    func overwrite() async throws {
        let (first, second, firstLabels, secondLabels) = try Self.differentPhotos()
        let keeper = try #require(Self.photos.first { $0 != first && $0 != second })
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            _ = try await pipeline.importFiles([keeper])
            let info = try await UploadService(store: pipeline.store, config: state.config)
                .upload(fileName: "replayed.jpg", body: .data(Data(contentsOf: first)))
            guard case .analyzed(_, let change) = try await pipeline.analysis.analyze(info.ref) else {
                throw PAMError(.conflict, "not analysed")
            }
            #expect(change.added == firstLabels)
            #expect(try await pipeline.table.labels(ofImage: info.ref.key) == firstLabels)

            // The same key stored again with the other photo: its tags go, so it is pending again.
            let secondBytes = try Data(contentsOf: second)
            try await pipeline.store.put(info.ref, body: .data(secondBytes), options: PutOptions(contentType: "image/jpeg"))
            #expect(try await pipeline.analysis.pendingPhotos() == [info.ref])
            guard case .analyzed(let labels, let again) = try await pipeline.analysis.analyze(info.ref) else {
                throw PAMError(.conflict, "not re-analysed")
            }
            #expect(labels.map(\.name).sorted() == secondLabels)
            #expect(
                again
                    == LabelChange(
                        added: Array(Set(secondLabels).subtracting(firstLabels)).sorted(),
                        removed: Array(Set(firstLabels).subtracting(secondLabels)).sorted()))
            #expect(try await pipeline.table.labels(ofImage: info.ref.key) == secondLabels)

            // Exactly the counts of the keeper and the second photo, as the labeler sees them one by one.
            let counts = Dictionary(uniqueKeysWithValues: try await pipeline.table.allLabels().map { ($0.label, $0.count) })
            #expect(counts == (try Self.expectedCounts([keeper, second])))
            #expect(try await pipeline.analysis.analyze(info.ref) == .alreadyAnalyzed)

            // Bundles: a label only the first photo had no longer brings the key; the second's do,
            // with the second photo's bytes.
            for label in Set(firstLabels).subtracting(secondLabels) {
                #expect(!(try await pipeline.table.images(withAnyOf: [label])).contains(info.ref.key))
            }
            let onlySecond = try #require(Set(secondLabels).subtracting(firstLabels).sorted().first)
            let receipt = try await pipeline.download.requestDownload(labels: [onlySecond], recipient: .email("a@b.co"))
            let entries = try await ZipVerifier.verify(try await pipeline.store.get(receipt.bundle.ref))
            let entry = try #require(entries.first { $0.name == info.ref.key })
            #expect(entry.crc32 == CRC32.checksum(secondBytes) && entry.size == UInt64(secondBytes.count))
        }
    }

    /// A labeler that stores another photo under the key right after its first look, as a second
    /// PUT racing with the analysis would.
    struct OverwritingLabeler: Labeler {
        let inner: StoredImageLabeler
        let store: FileSystemObjectStore
        let replacement: Data
        let done = Counter()

        func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel] {
            let labels = try await inner.detectLabels(in: ref, query: query)
            if done.next() == 0 {
                try await store.put(ref, body: .data(replacement), options: PutOptions(contentType: "image/jpeg"))
            }
            return labels
        }
    }

    @Test("a photo overwritten while it is being analysed is analysed again before it is tagged")
    func overwrittenDuringAnalysis() async throws {
        let (first, second, _, secondLabels) = try Self.differentPhotos()
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            let info = try await UploadService(store: pipeline.store, config: state.config)
                .upload(fileName: "raced.jpg", body: .data(Data(contentsOf: first)))
            let labeler = OverwritingLabeler(
                inner: StoredImageLabeler(store: pipeline.store), store: pipeline.store,
                replacement: try Data(contentsOf: second))
            let analysis = AnalysisService(store: pipeline.store, labeler: labeler, table: pipeline.table, config: state.config)
            guard case .analyzed(let labels, _) = try await analysis.analyze(info.ref) else { throw PAMError(.conflict, "not analysed") }
            #expect(labels.map(\.name).sorted() == secondLabels)
            #expect(try await pipeline.table.labels(ofImage: info.ref.key) == secondLabels)
            #expect(try await pipeline.store.tags(info.ref)["rekognition"] == "complete")
            let counts = Dictionary(uniqueKeysWithValues: try await pipeline.table.allLabels().map { ($0.label, $0.count) })
            #expect(counts == (try Self.expectedCounts([second])))
        }
    }

    @Test("two spellings of one name (NFC and NFD) bundle together, under unique entry names")
    func nfcAndNFDNames() async throws {
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            let photos = Array(Self.photos.prefix(2))
            let keys = ["same-caf\u{E9}.jpg", "same-cafe\u{301}.jpg"]
            for (key, url) in zip(keys, photos) {
                let ref = ObjectRef(bucket: state.config.storageBucket, key: key)
                try await pipeline.store.put(ref, body: .data(Data(contentsOf: url)), options: PutOptions(contentType: "image/jpeg"))
                try await pipeline.table.record(imageKey: key, labels: ["Cafe"])
            }
            #expect(try await pipeline.table.images(withAnyOf: ["Cafe"]).count == 2)
            let receipt = try await pipeline.download.requestDownload(labels: ["Cafe"], recipient: .email("a@b.co"))
            #expect(receipt.photoCount == 2)
            let zipFile = try #require(try state.store().localFile(receipt.bundle.ref))
            let entries = try await ZipVerifier.verify(try await pipeline.store.get(receipt.bundle.ref))
            #expect(Set(entries.map { Array($0.name.utf8) }).count == 2)
            #expect(Set(try photos.map { CRC32.checksum(try Data(contentsOf: $0)) }) == Set(entries.map(\.crc32)))
            try await ExternalZipReaders.check(zipFile, expectedNames: entries.map(\.name))
        }
    }

    @Test("a bundle names only labels that exist, and control or bidi characters never reach the message")
    func hostileLabels() async throws {
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            let ref = ObjectRef(bucket: state.config.storageBucket, key: "flower.jpg")
            try await pipeline.store.put(
                ref, body: .data(Data(contentsOf: try #require(Self.photos.first))), options: PutOptions(contentType: "image/jpeg"))
            try await pipeline.table.record(imageKey: ref.key, labels: ["Flower", "Evil\u{202E}gpj\r\nBcc: x@evil.example\r\n.\r\n"])
            let injected = "x\r\nBcc: victim@example.com\r\n\r\nURGENT: sign in at http://evil.example"
            do {
                _ = try await pipeline.download.requestDownload(labels: ["Flower", injected], recipient: .email("a@b.co"))
                Issue.record("an unknown label was accepted")
            } catch let error as PAMError {
                #expect(error.code == .notFound)
                #expect(error.message.contains("'x\\u{D}\\u{A}Bcc: victim@example.com"))
                #expect(!error.message.contains("\r") && !error.message.contains("\n"))
            }
            #expect(state.files().filter { $0.hasPrefix("outbox/") }.isEmpty)

            // A hostile label that does exist (defence in depth): the message carries it without
            // its controls, overrides or a lone "." line.
            let receipt = try await pipeline.download.requestDownload(
                labels: ["Evil\u{202E}gpj\r\nBcc: x@evil.example\r\n.\r\n"], recipient: .email("a@b.co"))
            let text = try String(contentsOfFile: try #require(receipt.delivery.location), encoding: .utf8)
            let body = String(text[try #require(text.range(of: "\r\n\r\n")).upperBound...])
            #expect(!body.unicodeScalars.contains { $0.value == 0x202E })
            #expect(!body.components(separatedBy: "\r\n").contains("."))
            #expect(body.components(separatedBy: "\r\n").filter { $0.hasPrefix("Bcc:") }.count == 1) // a body line, not a header
            #expect(!text[..<text.range(of: "\r\n\r\n")!.lowerBound].contains("Bcc"))
        }
    }

    @Test("a bundle that fails tells the recipient in the outbox")
    func failureNotice() async throws {
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            let receipt = try await pipeline.download.notifyFailure(labels: ["Sky", "Water"], recipient: .email("fail@example.com"))
            let message = try DeliveredMessage(outboxFile: try #require(receipt.location))
            #expect(message.recipient == "fail@example.com")
            #expect(message.subject == "Your PAM photos could not be bundled")
            #expect(message.body.hasPrefix("Your bundle of the photos labelled Sky, Water could not be made."))
            #expect(!pipeline.logs.text.contains("fail@example.com"))
        }
    }

    static let malformed =
        FixtureFiles.root.map { root in
            ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("malformed").path)) ?? [])
                .filter { $0.hasSuffix(".jpg") }.sorted()
        } ?? []

    @Test("every malformed fixture is reported and leaves nothing behind", arguments: malformed)
    func malformedInput(_ name: String) async throws {
        let url = try #require(FixtureFiles.root).appendingPathComponent("malformed").appendingPathComponent(name)
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            let good = try #require(Self.photos.first)
            let summary = try await pipeline.importFiles([url, good])
            #expect(summary.progress.failed == 1 && summary.progress.imported == 1)
            let reason = try #require(summary.failures.first?.reason)
            let expected = name == "huge-dimensions.jpg" ? "10000" : (name == "empty.jpg" ? "empty" : "JPEG")
            #expect(reason.localizedCaseInsensitiveContains(expected), "\(name): \(reason)")
            // Only the good photo is stored, counted and on disk.
            #expect(try await pipeline.storedPhotos().count == 1)
            // The table holds exactly the labeler's own labels of the good photo, each counted once.
            let counts = Dictionary(uniqueKeysWithValues: try await pipeline.table.allLabels().map { ($0.label, $0.count) })
            #expect(counts == (try Self.expectedCounts([good])))
            #expect(state.files().filter { $0.hasPrefix("objects/") }.count == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: state.state.temporary.path).isEmpty)
        }
    }

    @Test("a download zips exactly the labels' photos, byte for byte, and readers accept it")
    func download() async throws {
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            _ = try await pipeline.importFiles(Self.photos)
            let labels = try await LabelsService(table: pipeline.table).labels()
            let chosen = try #require(labels.first { $0.label == "Sky" } ?? labels.first)
            let second = try #require(labels.first { $0.label != chosen.label && $0.label != "Nature" } ?? labels.last)
            let receipt = try await pipeline.download.requestDownload(
                labels: [chosen.label, second.label, chosen.label],
                recipient: .email("someone@example.com"))
            let union = try await pipeline.table.images(withAnyOf: [chosen.label, second.label])
            #expect(receipt.photoCount == union.count && union.count >= max(chosen.count, second.count))
            #expect(receipt.bundle.ref.bucket == state.config.workingBucket)
            #expect(receipt.bundle.ref.key.range(of: #"^[0-9a-f-]{36}\.zip$"#, options: .regularExpression) != nil)

            let entries = try await ZipVerifier.verify(try await pipeline.store.get(receipt.bundle.ref))
            #expect(entries.map(\.name) == union)
            let zipFile = try #require(try state.store().localFile(receipt.bundle.ref))
            let zipBytes = try Data(contentsOf: zipFile)
            for entry in entries {
                let photo = try await pipeline.store.get(ObjectRef(bucket: state.config.storageBucket, key: entry.name)).collect()
                let start = Int(entry.offset) + 30 + entry.name.utf8.count
                #expect(zipBytes[start..<start + photo.count] == photo, "\(entry.name)")
            }
            try await ExternalZipReaders.check(zipFile, expectedNames: union)

            // The link is presigned for 24 hours.
            #expect(throws: Never.self) {
                _ = try pipeline.store.presigner.verify(url: receipt.url, .get, contentType: nil, now: state.clock.now() + 24 * 3600 - 1)
            }
            #expect(throws: PAMError.self) {
                _ = try pipeline.store.presigner.verify(url: receipt.url, .get, contentType: nil, now: state.clock.now() + 24 * 3600)
            }
            let message = try String(contentsOfFile: try #require(receipt.delivery.location), encoding: .utf8)
            #expect(message.contains(receipt.url.absoluteString))
        }
    }

    @Test("photos stored without a CRC are read once more to learn it, and the zip is still right")
    func bundleWithoutStoredCRC() async throws {
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            for (index, url) in Self.photos.prefix(3).enumerated() {
                let ref = ObjectRef(bucket: state.config.storageBucket, key: "no-crc-\(index).jpg")
                try await pipeline.store.put(
                    ref, body: .data(Data(contentsOf: url)), options: PutOptions(contentType: "image/jpeg", computeCRC32: false))
                try await pipeline.table.record(imageKey: ref.key, labels: ["Test"])
            }
            let receipt = try await pipeline.download.requestDownload(labels: ["Test"], recipient: .email("a@b.co"))
            let entries = try await ZipVerifier.verify(try await pipeline.store.get(receipt.bundle.ref))
            #expect(entries.map(\.name) == ["no-crc-0.jpg", "no-crc-1.jpg", "no-crc-2.jpg"])
            for (entry, url) in zip(entries, Self.photos.prefix(3)) { #expect(entry.crc32 == CRC32.checksum(try Data(contentsOf: url))) }
        }
    }

    @Test("downloads refuse empty or unknown label sets")
    func badDownloads() async throws {
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            await expectCode(.invalidArgument) {
                _ = try await pipeline.download.requestDownload(labels: [" "], recipient: .email("a@b.co"))
            }
            await expectCode(.notFound) {
                _ = try await pipeline.download.requestDownload(labels: ["Volcano"], recipient: .email("a@b.co"))
            }
            #expect(state.files().filter { $0.hasPrefix("outbox/") || $0.hasPrefix("objects/pam-working/") }.isEmpty)
        }
    }

    @Test("a forced-ZIP64 archive stored in a bucket is accepted by Python's zipfile and unzip")
    func zip64ThroughTheStore() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let files = (0..<3).map { ("photo-\($0).jpg", Data(repeating: UInt8($0), count: 100_000 + $0)) }
            let sources = files.map { name, data in
                ZipSource(name: name, size: UInt64(data.count), crc32: CRC32.checksum(data), modified: state.clock.now()) { .data(data) }
            }
            let ref = ObjectRef(bucket: state.config.workingBucket, key: "zip64.zip")
            try await store.put(
                ref, body: try ZipArchiveStream.make(sources, forceZip64: true), options: PutOptions(contentType: "application/zip"))
            let file = try #require(try store.localFile(ref))
            try await ExternalZipReaders.check(file, expectedNames: files.map(\.0))
        }
    }

    @Test("lifecycle expires day-old zips and tiers day-old photos, as the clock moves")
    func lifecycle() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let lifecycle = LifecycleService(store: store, config: state.config, clock: state.clock)
            let photo = ObjectRef(bucket: state.config.storageBucket, key: "old.jpg")
            let zip = ObjectRef(bucket: state.config.workingBucket, key: "old.zip")
            let bytes = Data(repeating: 1, count: Int(ObjectInfo.smallestTransitioned))
            try await store.put(photo, body: .data(bytes), options: PutOptions(contentType: "image/jpeg"))
            // Under S3's 128 KB, a photo is never moved.
            let small = ObjectRef(bucket: state.config.storageBucket, key: "small.jpg")
            try await store.put(small, body: .data(bytes.dropLast()), options: PutOptions(contentType: "image/jpeg"))
            try await store.put(zip, body: .data(Data([2])), options: PutOptions(contentType: "application/zip"))
            state.clock.advance(by: 12 * 3600)
            let newer = ObjectRef(bucket: state.config.workingBucket, key: "newer.zip")
            try await store.put(newer, body: .data(Data([3])), options: PutOptions())
            #expect(try await lifecycle.run() == LifecycleReport(expiredBundles: 0, tieredObjects: 0))

            state.clock.advance(by: 12 * 3600) // the first objects are now exactly a day old
            #expect(try await lifecycle.run() == LifecycleReport(expiredBundles: 1, tieredObjects: 1))
            await expectCode(.notFound) { _ = try await store.head(zip) }
            #expect(try await store.head(photo).storageClass == .intelligentTiering)
            #expect(try await store.get(photo).collect() == bytes)
            #expect(try await store.head(small).storageClass == .standard)
            #expect(try await store.head(newer).size == 1)

            state.clock.advance(by: 12 * 3600)
            #expect(try await lifecycle.run() == LifecycleReport(expiredBundles: 1, tieredObjects: 0))
        }
    }

    @Test("the recipient's address ends up in the outbox message and nowhere else")
    func noPII() async throws {
        let address = "pii.canary.4711@example.net"
        try await withTemporaryState { state in
            let pipeline = try Pipeline(state)
            _ = try await pipeline.importFiles(Array(Self.photos.prefix(8)))
            let label = try #require(try await pipeline.table.allLabels().first?.label)
            let receipt = try await pipeline.download.requestDownload(labels: [label], recipient: .email(address))
            let message = try #require(receipt.delivery.location)
            var holders: [String] = []
            for file in state.files() {
                let url = state.root.appendingPathComponent(file)
                let contents = try Data(contentsOf: url)
                if file.contains(address) || contents.range(of: Data(address.utf8)) != nil { holders.append(url.path) }
            }
            #expect(
                holders.map { URL(fileURLWithPath: $0).standardizedFileURL.path } == [
                    URL(fileURLWithPath: message).standardizedFileURL.path
                ])
            #expect(!pipeline.logs.text.isEmpty)
            #expect(!pipeline.logs.text.contains(address))
            #expect(!"\(receipt)".contains(address))
        }
    }
}

/// Python's `zipfile` and Info-ZIP's `unzip`, the readers users have.
enum ExternalZipReaders {
    static func check(_ zip: URL, expectedNames: [String]) async throws {
        let python = try await run([
            "python3", "-c",
            """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as z:
                bad = z.testzip()
                assert bad is None, bad
                print("\\n".join(i.filename for i in z.infolist()))
            """, zip.path,
        ])
        #expect(python.split(separator: "\n").map(String.init) == expectedNames)
        let unzip = try await run(["unzip", "-t", zip.path])
        #expect(unzip.contains("No errors detected"))
    }

    static func run(_ arguments: [String]) async throws -> String {
        let run = try await ExternalProcess.run(arguments)
        guard run.status == 0 else { throw PAMError(.invalidArgument, "\(arguments[0]) failed: \(run.output)\(run.errors)") }
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
