import Foundation
import PAMCore
import PAMFuzzing
import Testing

/// The fuzz corpora as regression tests: every seed and every saved crash input of every target
/// runs through every target's function (a property violation stops the run, as under libFuzzer),
/// and each target's own seeds reach both the accepting and the refusing path of its parser.
@Suite struct FuzzCorpusTests {
    static let corpusRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/fuzz").standardizedFileURL

    static func inputs(_ target: String) -> [URL] {
        FuzzDriver.inputFiles(corpusRoot.appendingPathComponent(target).path).map(URL.init(fileURLWithPath:))
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func seedsReachBothPaths(_ name: String) throws {
        let target = try #require(FuzzTarget.all.first { $0.name == name })
        let files = Self.inputs(name)
        try #require(!files.isEmpty, "Fixtures/fuzz/\(name) has no seeds")
        let verdicts = try files.map { target.run(try Data(contentsOf: $0)) }
        #expect(verdicts.contains(true), "no seed of \(name) is accepted")
        #expect(verdicts.contains(false), "no seed of \(name) is refused")
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func everyCorpusFileThroughTarget(_ name: String) throws {
        let target = try #require(FuzzTarget.all.first { $0.name == name })
        let files = FuzzTarget.all.flatMap { Self.inputs($0.name) }
        #expect(files.count >= FuzzTarget.all.count)
        for file in files { _ = target.run(try Data(contentsOf: file)) }
    }

    /// The zip seed is what our own writer produces, so the verifier's accepting path is fuzzed
    /// from a real bundle.
    @Test func zipSeedIsOurArchive() async throws {
        let modified = Date(timeIntervalSince1970: 1_800_000_000)
        let sources = [("lake.jpg", Data("not really a JPEG, but stored bytes all the same\n".utf8)), ("sub/dune.jpg", Data(repeating: 0xA5, count: 300))]
            .map { name, body in
                ZipSource(name: name, size: UInt64(body.count), crc32: crc32(body), modified: modified) { .data(body) }
            }
        for (file, forceZip64) in [("bundle.zip", false), ("bundle-zip64.zip", true)] {
            let archive = try await ZipArchiveStream.make(sources, forceZip64: forceZip64).collect()
            let path = Self.corpusRoot.appendingPathComponent("zip/\(file)")
            // Fixtures/fuzz/make-seeds.py's one seed it cannot write: regenerate with this variable set.
            if ProcessInfo.processInfo.environment["PAM_WRITE_FUZZ_SEEDS"] == "1" { try archive.write(to: path) }
            let seed = try Data(contentsOf: path)
            #expect(archive == seed, "\(file) is not what ZipArchiveStream writes")
            #expect(fuzzZip(seed))
        }
    }

    /// The byte edits of the JWT target: the intact token verifies, any edit does not.
    @Test func jwtEditsAreRefused() {
        #expect(fuzzJWT(Data([0])))
        let original = Array(JWTFixture.reference.utf8)
        for position in [0, 10, original.count / 2, original.count - 1] {
            let replacement = original[position] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            #expect(!fuzzJWT(Data([0, UInt8(position >> 8), UInt8(position & 0xFF), replacement])))
        }
    }

    @Test func overflowingRangeIsClamped() {
        #expect(parseByteRange("bytes=0-9223372036854775807", size: 10) == 0..<10)
        #expect(fuzzRange(Data("10\nbytes=5-9223372036854775807".utf8)))
    }

    private func crc32(_ data: Data) -> UInt32 {
        ~data.reduce(~UInt32(0)) { crc, byte in
            (0..<8).reduce(crc ^ UInt32(byte)) { value, _ in value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        }
    }
}
