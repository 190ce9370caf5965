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

    /// Runs a target on a thread of its own: the targets block while their async parsers run on
    /// the cooperative pool, which the test's own thread belongs to.
    static func run(_ target: FuzzTarget, _ data: Data) async -> Bool {
        await withCheckedContinuation { done in Thread { done.resume(returning: target.run(data)) }.start() }
    }

    static func inputs(_ target: String) -> [URL] {
        FuzzDriver.inputFiles(corpusRoot.appendingPathComponent(target).path).map(URL.init(fileURLWithPath:))
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func seedsReachBothPaths(_ name: String) async throws {
        let target = try #require(FuzzTarget.all.first { $0.name == name })
        let files = Self.inputs(name)
        try #require(!files.isEmpty, "Fixtures/fuzz/\(name) has no seeds")
        var verdicts: [Bool] = []
        for file in files { verdicts.append(await Self.run(target, try Data(contentsOf: file))) }
        #expect(verdicts.contains(true), "no seed of \(name) is accepted")
        #expect(verdicts.contains(false), "no seed of \(name) is refused")
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func everyCorpusFileThroughTarget(_ name: String) async throws {
        let target = try #require(FuzzTarget.all.first { $0.name == name })
        let files = FuzzTarget.all.flatMap { Self.inputs($0.name) }
        #expect(files.count >= FuzzTarget.all.count)
        for file in files { _ = await Self.run(target, try Data(contentsOf: file)) }
    }

    /// The zip seed is what our own writer produces, so the verifier's accepting path is fuzzed
    /// from a real bundle.
    @Test func zipSeedIsOurArchive() async throws {
        let modified = Date(timeIntervalSince1970: 1_800_000_000)
        let sources = [
            ("lake.jpg", Data("not really a JPEG, but stored bytes all the same\n".utf8)),
            ("sub/dune.jpg", Data(repeating: 0xA5, count: 300)),
        ]
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
            #expect(await Self.run(.zip, seed))
        }
    }

    /// The byte edits of the JWT target: the intact token verifies, any edit does not.
    @Test func jwtEditsAreRefused() async {
        #expect(await Self.run(.jwt, Data([0])))
        let original = Array(JWTFixture.reference.utf8)
        for position in [0, 10, original.count / 2, original.count - 1] {
            let replacement = original[position] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            #expect(await !Self.run(.jwt, Data([0, UInt8(position >> 8), UInt8(position & 0xFF), replacement])))
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

/// Findings of the presigned-URL target, as plain tests.
@Suite struct PresignedSignatureTextTests {
    let ref = ObjectRef(bucket: "pam-storage", key: "photos/lake.jpg")

    func verify(_ signature: String, expires: String = "1800000900") throws {
        try PresignFixture.signer.verify(.get, ref, expires: expires, signature: signature, contentType: nil, now: PresignFixture.now)
    }

    /// Text whose UTF-8 length is even but whose Characters are not pairs trapped the hex decoder
    /// (one request with `X-Pam-Signature=%C3%A9` stopped the server).
    @Test(arguments: ["é", "\u{301}\u{301}", "0é", String(repeating: "é", count: 32)])
    func nonHexSignatureIsRefused(_ signature: String) {
        #expect(throws: PAMError.self) { try verify(signature) }
    }

    /// A signature is its 64 hex digits and nothing else: `+2` is not `02`.
    @Test func signedDigitIsNotAHexByte() throws {
        let valid = "12b5208f91c774c602c1262e4053f19c068130fb296c6e8ad15cc3ac9b582e19"
        try verify(valid, expires: "1800000901")
        try verify(valid.uppercased(), expires: "1800000901")
        #expect(throws: PAMError.self) { try verify(valid.replacingOccurrences(of: "c602", with: "c6+2"), expires: "1800000901") }
    }
}

/// Findings of the JWT target, as plain tests: a token is its one canonical base64url text.
@Suite struct JWTEncodingTests {
    /// Both verifiers on `token`: whether each accepted it.
    func verdicts(_ token: String) async -> (local: Bool, cognito: Bool) {
        let local = (try? await JWTFixture.local.verify(idToken: token)) != nil
        let cognito = (try? await JWTFixture.cognito.verify(idToken: token)) != nil
        return (local, cognito)
    }

    @Test func intactTokenVerifies() async {
        let (local, cognito) = await verdicts(JWTFixture.reference)
        #expect(local && cognito)
    }

    /// `+` and `/` are base64, not base64url: the Cognito verifier mapped `-`/`_` to them first, so
    /// either spelling verified.
    @Test func base64AlphabetIsRefused() async throws {
        let token = JWTFixture.reference
        let signatureStart = try #require(token.lastIndex(of: ".")).utf16Offset(in: token) + 1
        var bytes = Array(token.utf8)
        let position = try #require(
            bytes.indices.first { $0 >= signatureStart && (bytes[$0] == UInt8(ascii: "-") || bytes[$0] == UInt8(ascii: "_")) })
        bytes[position] = bytes[position] == UInt8(ascii: "-") ? UInt8(ascii: "+") : UInt8(ascii: "/")
        let (local, cognito) = await verdicts(String(decoding: bytes, as: UTF8.self))
        #expect(!local && !cognito)
    }

    /// The last character of a 256-byte signature carries four unused bits; setting one is another
    /// text for the same bytes, and no longer the token that was issued.
    @Test func unusedBitsAreRefused() async {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var bytes = Array(JWTFixture.reference.utf8)
        let last = alphabet.firstIndex(of: bytes[bytes.count - 1])!
        bytes[bytes.count - 1] = alphabet[last ^ 1]
        let (local, cognito) = await verdicts(String(decoding: bytes, as: UTF8.self))
        #expect(!local && !cognito)
    }

    /// Padding is not part of a JWS.
    @Test func paddingIsRefused() async {
        let (local, cognito) = await verdicts(JWTFixture.reference + "==")
        #expect(!local && !cognito)
    }
}

/// Findings of the zip target, as plain tests: a ZIP64 end record whose size field is past
/// Int.max, or shorter than its fixed fields, trapped the verifier instead of refusing the archive.
@Suite struct ZipEndRecordTests {
    @Test(arguments: ["zip64-end-record-size-past-int", "zip64-end-record-too-short"])
    func impossibleEndRecordIsRefused(_ name: String) async throws {
        let data = try Data(contentsOf: FuzzCorpusTests.corpusRoot.appendingPathComponent("zip/crashes/\(name)"))
        await #expect(throws: PAMError.self) { try await ZipVerifier.verify(.data(data)) }
    }
}
