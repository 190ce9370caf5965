import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// Bundles read by programs that are not ours: a ZIP64 bundle (more entries than a classic zip can
/// count) by Python's `zipfile`, Info-ZIP's `unzip` and Java's `ZipInputStream`, and a bundle of
/// real photos by `ZipInputStream`, the streaming reader that sees only the local headers.
@Suite("zip bundles in outside readers", .serialized)
struct ZipReadersTests {
    static let javaChecker = CLITests.packageRoot.appendingPathComponent("Tests/java/ZipStreamCheck.java").path

    @Test("a bundle of 70,000 objects is ZIP64 and passes zipfile, unzip and ZipInputStream")
    func zip64Bundle() async throws {
        let folder = CLITests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = StateDirectory(folder.appendingPathComponent("state"))
        let config = PipelineConfig()
        let local = try FileSystemObjectStore(
            state: state, buckets: [config.storageBucket, config.workingBucket], baseURL: URL(string: "http://127.0.0.1")!)
        let count = 70_000 // over the 65,535 entries a classic end record can count
        let keys = (0..<count).map { String(format: "p%05d.txt", $0) }
        // The photos are generated (storing 70,000 files one by one would take minutes); the bundle
        // is built by the real DownloadService and zip writer and stored in the local working bucket.
        let store = GeneratedSources(base: local, bucket: config.storageBucket)
        let download = DownloadService(
            store: store, table: try SQLiteLabelTable(path: state.itemStore),
            notifier: try FileDropNotifier(state: state), config: config)
        let bundle = try await download.buildBundle(keys: keys)
        #expect(bundle.ref.bucket == config.workingBucket)
        let zip = try #require(try local.localFile(bundle.ref)).path

        // The end records are ZIP64 (signature PK\u{6}\u{6}) and the classic count says "see ZIP64".
        let facts = try await ExternalProcess.python(
            """
            import sys, zipfile
            data = open(sys.argv[1], "rb").read()
            names = zipfile.ZipFile(sys.argv[1]).namelist()
            print(len(names), len(set(names)), b"PK\\x06\\x06" in data[-200:], data[-12:-10] == b"\\xff\\xff")
            """, [zip])
        #expect(
            facts.output.trimmingCharacters(in: .whitespacesAndNewlines) == "\(count) \(count) True True", "\(facts.output)\(facts.errors)")
        let python = try await ExternalProcess.run(["python3", "-m", "zipfile", "-t", zip])
        #expect(python.status == 0 && python.output.contains("Done testing"), "\(python.output.suffix(500))\(python.errors.suffix(500))")
        let unzip = try await ExternalProcess.run(["unzip", "-tq", zip])
        #expect(unzip.status == 0 && unzip.output.contains("No errors detected"), "\(unzip.output.suffix(500))\(unzip.errors.suffix(500))")
        let java = try await ExternalProcess.run(["java", Self.javaChecker, zip, "--quiet"])
        let expectedBytes = keys.reduce(0) { $0 + GeneratedSources.content($1).count }
        #expect(
            java.status == 0 && java.output.contains("entries \(count) bytes \(expectedBytes)"),
            "\(java.output.suffix(500))\(java.errors.suffix(500))")
    }

    @Test("Java's ZipInputStream streams a bundle of photos: each entry's size and CRC-32 in its local header, matching the photo")
    func streamingReader() async throws {
        let folder = CLITests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state").path
        let imported = try await CLITests.pam(["import", "--state", state, "Fixtures/photos"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let download = try await CLITests.pam([
            "download", "--state", state, "--label", "Nature", "--label", "Water", "--email", "reader@example.com",
        ])
        #expect(download.status == 0, "\(download.stderr)")
        // pam download says where the bundle is stored.
        let stored = download.stdout.split(separator: "\n").compactMap { line in
            line.hasPrefix("Stored at:") ? line.dropFirst("Stored at:".count).trimmingCharacters(in: .whitespaces) : nil
        }
        let zip = try #require(stored.first, "\(download.stdout)")
        #expect(stored.count == 1 && zip.hasSuffix(".zip"))

        let run = try await ExternalProcess.run(["java", Self.javaChecker, zip])
        #expect(run.status == 0, "\(run.errors)")
        var lines = run.output.split(whereSeparator: \.isNewline).map(String.init)
        let last = lines.popLast()
        let summary = try #require(last)
        // Every entry is one of the photos, byte for byte: its name ends with the photo's file name.
        let photos = Dictionary(uniqueKeysWithValues: ServeTests.photos.map { ($0.lastPathComponent, $0) })
        var total = 0
        for line in lines {
            let fields = line.split(separator: "\t").map(String.init)
            try #require(fields.count == 3, "\(line)")
            // `{uuid}-{name}.jpg`: 36 characters of UUID and a dash.
            let original = try #require(photos[String(fields[0].dropFirst(37))], "\(fields[0]) is no fixture photo")
            let data = try Data(contentsOf: original)
            #expect(Int(fields[1]) == data.count, "\(fields[0])")
            #expect(fields[2] == String(format: "%08x", CRC32.checksum(data)), "\(fields[0])")
            total += data.count
        }
        #expect(lines.count >= 2)
        #expect(summary == "entries \(lines.count) bytes \(total)")
        // As many entries as photos the two labels name, by the table.
        let table = try SQLiteLabelTable(path: StateDirectory(URL(fileURLWithPath: state)).itemStore)
        #expect(lines.count == (try await table.images(withAnyOf: ["Nature", "Water"])).count)
    }
}

/// A storage bucket of generated objects (`content(key)`, CRC-32 known, as the local store keeps
/// it), everything else passed to a real store: where `DownloadService` writes the bundle.
struct GeneratedSources: ForwardingObjectStore {
    let base: any ObjectStore
    let bucket: String

    static func content(_ key: String) -> Data { Data("object \(key)\n".utf8) }

    func head(_ ref: ObjectRef) async throws -> ObjectInfo {
        guard ref.bucket == bucket else { return try await base.head(ref) }
        let data = Self.content(ref.key)
        return ObjectInfo(
            ref: ref, size: Int64(data.count), etag: "generated", crc32: CRC32.checksum(data), contentType: "text/plain",
            created: Date(timeIntervalSince1970: 1_700_000_000), lastAccess: Date(timeIntervalSince1970: 1_700_000_000))
    }

    func get(_ ref: ObjectRef) async throws -> ByteStream {
        ref.bucket == bucket ? .data(Self.content(ref.key)) : try await base.get(ref)
    }
}
