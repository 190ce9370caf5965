import Dispatch
import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Presigned uploads over real HTTP against `pam serve`: the 15 MiB photo limit at its boundary,
/// the decode budget, and bodies streamed to disk rather than held in memory.
@Suite("pam serve uploads", .serialized)
struct UploadLimitTests {
    static func photo() throws -> Data {
        try Data(contentsOf: CLITests.packageRoot.appendingPathComponent("Fixtures/variants/mate-dune-progressive.jpg"))
    }

    /// A valid JPEG grown to exactly `size` bytes with comment segments after SOI.
    static func padded(_ jpeg: Data, to size: Int) throws -> Data { try PaddedJPEG.make(jpeg, size: size) }

    /// `jpeg` with its frame header claiming `width` x `height`.
    static func claiming(_ jpeg: Data, width: Int, height: Int) -> Data {
        var bytes = [UInt8](jpeg)
        var offset = 2
        while offset + 9 < bytes.count, bytes[offset] == 0xFF {
            if [0xC0, 0xC1, 0xC2].contains(bytes[offset + 1]) {
                bytes[offset + 5] = UInt8(height >> 8)
                bytes[offset + 6] = UInt8(height & 0xFF)
                bytes[offset + 7] = UInt8(width >> 8)
                bytes[offset + 8] = UInt8(width & 0xFF)
                break
            }
            offset += 2 + (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]))
        }
        return Data(bytes)
    }

    static func uploadURL(_ server: ServerProcess, token: String, name: String) async throws -> String {
        let answer = try await server.api("PUT", "/api/upload", token: token, json: ["file_name": name])
        return try #require(answer.json?["url"] as? String)
    }

    /// The photos stored, key and file.
    static func stored(_ server: ServerProcess) async throws -> [String: URL] {
        try await ServeTests.storedObjects(server, bucket: "pam-storage")
    }

    /// The upload spool files in the state's `tmp/`, with their sizes.
    static func spooled(_ server: ServerProcess) -> [String: Int] {
        let folder = server.state.appendingPathComponent("tmp")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix("upload-") }
        return Dictionary(
            uniqueKeysWithValues: names.map { name in
                (name, ((try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path))?[.size] as? Int) ?? 0)
            })
    }

    @Test("a photo of exactly 15 MiB is stored and analysed; one byte more is 413 and nothing is stored")
    func fifteenMiBBoundary() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let token = try await server.signIn()
        let limit = 15 << 20
        let atLimit = try Self.padded(try Self.photo(), to: limit)
        let overLimit = try Self.padded(try Self.photo(), to: limit + 1)
        #expect(atLimit.count == 15_728_640 && overLimit.count == 15_728_641)

        let refused = try await HTTP.request(
            "PUT", try await Self.uploadURL(server, token: token, name: "over.jpg"), body: overLimit,
            headers: ["Content-Type": "image/jpeg"])
        #expect(refused.status == 413 && refused.text.contains("<Code>EntityTooLarge</Code>"), "\(refused.status) \(refused.text)")
        #expect(try await Self.stored(server).isEmpty)

        let accepted = try await HTTP.request(
            "PUT", try await Self.uploadURL(server, token: token, name: "at.jpg"), body: atLimit,
            headers: ["Content-Type": "image/jpeg"])
        #expect(accepted.status == 200, "\(accepted.status) \(accepted.text)")
        let stored = try await Self.stored(server)
        #expect(stored.count == 1 && stored.first?.key.hasSuffix("-at.jpg") == true)
        if let file = stored.first?.value { #expect(try Data(contentsOf: file) == atLimit) }
        try await server.waitForAnalysis(token: token)
        let expected = Dictionary(
            uniqueKeysWithValues: try HistogramLabeler().labels(forJPEG: atLimit, query: HistogramLabeler.pipelineQuery).map {
                ($0.name, 1)
            })
        #expect(try await server.labelCounts(token: token) == expected)
        #expect(Self.spooled(server).isEmpty)
        try await server.stop()
    }

    @Test("a 10000x10000 progressive JPEG is refused from its header (413, decode budget) and nothing is stored")
    func decodeBudget() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let token = try await server.signIn()
        let huge = Self.claiming(try Self.photo(), width: 10_000, height: 10_000)
        let answer = try await HTTP.request(
            "PUT", try await Self.uploadURL(server, token: token, name: "huge.jpg"), body: huge,
            headers: ["Content-Type": "image/jpeg"])
        #expect(answer.status == 413 && answer.text.contains("budget"), "\(answer.status) \(answer.text)")
        #expect(try await Self.stored(server).isEmpty)
        // The server is still there and answering.
        #expect(try await server.api("GET", "/api/labels", token: token).status == 200)
        try await server.stop()
    }

    @Test("a PUT body goes to a file in the state folder while it arrives, and the file is gone afterwards")
    func streamedToDisk() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let token = try await server.signIn()
        let body = try Self.padded(try Self.photo(), to: 6 << 20)
        let url = try #require(URL(string: try await Self.uploadURL(server, token: token, name: "streamed.jpg")))
        let connection = try RawConnection(port: server.port)
        let head =
            "PUT \(url.path)?\(url.query ?? "") HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n"
            + "Content-Type: image/jpeg\r\nContent-Length: \(body.count)\r\n\r\n"
        let firstPart = 2 << 20
        #expect(connection.send(Data(head.utf8) + body.prefix(firstPart)))
        // Held in memory, the body would show nowhere until complete; streamed, the spool file
        // holds the first part while the rest has not even been sent.
        try await Self.waitFor("the first part on disk") { Self.spooled(server).values.contains { $0 >= firstPart } }
        #expect(try await Self.stored(server).isEmpty)
        #expect(connection.send(body.dropFirst(firstPart)))
        let answer = try await connection.response(timeout: 30)
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        connection.close()
        #expect(try await Self.stored(server).count == 1)
        #expect(Self.spooled(server).isEmpty)
        try await server.stop()
    }

    @Test("a chunked body without Content-Length that passes the 25 MiB limit is 413 while streaming, and nothing stays")
    func chunkedOverLimit() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let token = try await server.signIn()
        let url = try #require(URL(string: try await Self.uploadURL(server, token: token, name: "endless.jpg")))
        let connection = try RawConnection(port: server.port)
        let head =
            "PUT \(url.path)?\(url.query ?? "") HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n"
            + "Content-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(connection.send(Data(head.utf8)))
        let chunk = Data("100000\r\n".utf8) + Data(repeating: 0xAB, count: 1 << 20) + Data("\r\n".utf8)
        // Up to 30 MiB, stopping as soon as the server has answered (it may close the connection).
        var finished = true
        for _ in 0..<30 where !connection.hasIncomingData() {
            guard connection.send(chunk) else {
                finished = false
                break
            }
        }
        if finished, !connection.hasIncomingData() { connection.send(Data("0\r\n\r\n".utf8)) }
        let answer = try await connection.response(timeout: 30)
        #expect(answer.hasPrefix("HTTP/1.1 413") && answer.contains("EntityTooLarge"), "\(answer)")
        connection.close()
        #expect(try await Self.stored(server).isEmpty)
        try await Self.waitFor("the spool file to go") { Self.spooled(server).isEmpty }
        #expect(try await server.api("GET", "/api/labels", token: token).status == 200)
        try await server.stop()
    }

    static func waitFor(_ what: String, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(300)
        while await !condition() {
            guard Date() < deadline else { throw HTTP.Failure("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
