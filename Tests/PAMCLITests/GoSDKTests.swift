import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// `pam serve`'s AWS endpoint driven by a second SDK family: the AWS SDK for Go v2 (Debian's
/// `golang-github-aws-aws-sdk-go-v2-dev`, built here by Debian's `go`), whose signer, presigner,
/// codecs, error types and multipart manager share no code with botocore's (boto3, the aws CLI).
/// The program is `Emulator/compat/go-sdk`; it checks each answer as AWS would give it and exits 1
/// at the first one that differs.
@Suite("AWS endpoint (AWS SDK for Go v2)", .serialized)
struct GoSDKTests {
    /// The steps the program reports, in order.
    static let steps = [
        "buckets", "object", "errors", "list", "copy", "multipart", "presigned", "checksums", "folders", "cleanup", "photo",
        "items", "sns",
    ]

    /// Builds the program (GOPATH mode: the SDK's sources are Debian's, no module download).
    static func build(into folder: URL) async throws -> URL {
        let binary = folder.appendingPathComponent("go-sdk")
        let source = CLITests.packageRoot.appendingPathComponent("Emulator/compat/go-sdk")
        // Go's build cache kept between runs, and defined even where HOME is not.
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("pam-go-build-cache-\(getuid())")
        let built = try await ExternalProcess.run(
            ["GO111MODULE=off", "GOPATH=/usr/share/gocode", "GOFLAGS=", "GOCACHE=\(cache.path)", "go", "build", "-o", binary.path, "."],
            in: source)
        try #require(
            built.status == 0,
            "go build failed (needs golang-go and Debian 12's golang-github-aws-aws-sdk-go-v2-dev 1.17, whose fields the program uses: ./Emulator/install-deps.sh --test)\n\(built.transcript)"
        )
        return binary
    }

    @Test(
        "Go SDK v2: buckets, objects, ranges, errors, paging, copy, multipart manager, presigned URLs, checksums, tags, lifecycle, DetectLabels, DynamoDB, SNS — as AWS answers them"
    )
    func goSDK() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let binary = try await Self.build(into: server.state.deletingLastPathComponent())
            let token = try await server.signIn()
            let photo = try #require(ServeTests.photos.first)
            let run = try await ExternalProcess.run(
                clients.environment + [binary.path, "http://127.0.0.1:\(server.awsPort)", photo.path, "r1"])
            #expect(run.status == 0, "\(run.transcript)")
            let lines = run.output.split(separator: "\n")
            let reported = lines.filter { $0.hasPrefix("ok ") }.map { String($0.split(separator: " ")[1]) }
            #expect(reported == Self.steps, "\(run.output)")

            // DetectLabels answered the local labeler's labels at MinConfidence 55.
            let labelsLine = try #require(lines.last { $0.hasPrefix("labels ") })
            let printed = try JSONSerialization.jsonObject(with: Data(labelsLine.dropFirst("labels ".count).utf8)) as? [String]
            let expected = try HistogramLabeler().labels(forJPEG: Data(contentsOf: photo), query: LabelQuery(minConfidence: 55))
            #expect(printed == expected.map(\.name))

            // The photo PutObject stored in pam-storage was analysed and counted like a page upload.
            let counts = try ServeTests.expectedCounts([photo])
            try #require(!counts.isEmpty)
            #expect(try await AWSObjectWriteTests.counts(server, token: token, reaching: counts) == counts)

            // Publish delivered one e-mail into the outbox; the address is in it and in no log line.
            let mails = try SNSEndpointTests.outbox(server).filter { $0.key.hasSuffix(".eml") }.map(\.value)
            #expect(mails.count == 1 && mails.allSatisfy { $0.contains("go-sdk@example.com") && $0.contains("go-sdk r1") })
            #expect(!server.log().contains("go-sdk@example.com"))
        }
    }
}
