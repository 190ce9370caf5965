import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PAMServer

/// The web page carried in the executable: the same bytes as `Emulator/web`, served as the folder is.
@Suite("Embedded web page")
struct EmbeddedWebPageTests {
    static let webFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Emulator/web")

    /// Every regular file under `Emulator/web` except hidden ones, keyed by URL path: what
    /// `Emulator/embed-web.sh` embeds.
    static func filesOnDisk() throws -> [String: [UInt8]] {
        let walker = try #require(FileManager.default.enumerator(at: webFolder, includingPropertiesForKeys: [.isRegularFileKey]))
        var files: [String: [UInt8]] = [:]
        let prefix = webFolder.standardizedFileURL.path
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            let path = String(url.standardizedFileURL.path.dropFirst(prefix.count))
            guard !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
            files[path] = [UInt8](try Data(contentsOf: url))
        }
        return files
    }

    @Test("EmbeddedWebPage.swift holds exactly the files of Emulator/web (else run Emulator/embed-web.sh and commit)")
    func upToDate() throws {
        let onDisk = try Self.filesOnDisk()
        let embedded = EmbeddedWebPage.decodedFiles
        #expect(onDisk.keys.contains("/index.html") && onDisk.keys.contains("/app.js"))
        #expect(
            embedded.keys.sorted() == onDisk.keys.sorted(),
            "Emulator/web and the embedded page differ in files: run Emulator/embed-web.sh and commit its output")
        for (path, bytes) in onDisk {
            #expect(embedded[path] == bytes, "\(path) changed in Emulator/web: run Emulator/embed-web.sh and commit its output")
        }
    }

    /// What must match between the embedded page and the folder (dates and ETags differ by design:
    /// they come from the files' times).
    struct Answer: Equatable, CustomStringConvertible {
        var status: HTTPResponse.Status
        var headers: [String: String]
        var body: [UInt8]
        var description: String { "\(status.code) \(headers) \(body.count) bytes" }
    }

    static func ask(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ headers: HTTPFields = [:])
        async throws -> (answer: Answer, eTag: String?, lastModified: String?)
    {
        try await client.execute(uri: path, method: method, headers: headers) { response in
            var compared: [String: String] = [:]
            for name in [HTTPField.Name.contentType, .contentLength, .contentRange, .acceptRanges, .location, .cacheControl] {
                if let value = response.headers[name] { compared[name.rawName] = value }
            }
            let answer = Answer(status: response.status, headers: compared, body: Array(response.body.readableBytesView))
            return (answer, response.headers[.eTag], response.headers[.lastModified])
        }
    }

    @Test("served as FileMiddleware serves the folder: content types, HEAD, ranges, conditional requests, index, 404, no traversal")
    func servedLikeTheFolder() async throws {
        let requests: [(HTTPRequest.Method, String, HTTPFields)] = [
            (.get, "/", [:]), (.head, "/", [:]), (.get, "/index.html", [:]), (.get, "/app.js", [:]), (.head, "/app.js", [:]),
            (.get, "/style.css", [:]), (.get, "/nope.css", [:]), (.head, "/nope.css", [:]), (.get, "/index.html/", [:]),
            (.get, "/app.js/x", [:]), (.get, "/../Package.swift", [:]), (.get, "/%2e%2e/pam.json", [:]), (.get, "/a/../app.js", [:]),
            (.get, "//style.css", [:]), (.get, "/app.js", [.range: "bytes=0-9"]), (.get, "/app.js", [.range: "bytes=100-"]),
            (.get, "/app.js", [.range: "bytes=5-100000"]), (.get, "/app.js", [.range: "chunks=1-2"]), (.post, "/app.js", [:]),
            (.put, "/index.html", [:]),
        ]
        let folder = Self.webFolder.path
        // The statuses that matter most, whichever source.
        let expected = [
            "GET / ": 200, "HEAD / ": 200, "GET /nope.css ": 404, "GET /../Package.swift ": 400, "GET /%2e%2e/pam.json ": 400,
            "GET /a/../app.js ": 400, "GET /app.js bytes=0-9": 206, "POST /app.js ": 404,
        ]
        try await RouteTestServer.withClient({ $0.settings.webPage = .embedded }) { _, embedded in
            try await RouteTestServer.withClient({ $0.settings.webPage = .folder(folder) }) { _, onDisk in
                for (method, path, headers) in requests {
                    let fromBinary = try await Self.ask(embedded, method, path, headers)
                    let fromFolder = try await Self.ask(onDisk, method, path, headers)
                    #expect(fromBinary.answer == fromFolder.answer, "\(method) \(path) \(headers)")
                    #expect((fromBinary.eTag == nil) == (fromFolder.eTag == nil), "\(method) \(path)")
                    if let status = expected["\(method) \(path) \(headers[.range] ?? "")"] {
                        #expect(fromBinary.answer.status.code == status, "\(method) \(path) \(headers)")
                    }
                }
                // Conditional requests against each one's own validators.
                for client in [embedded, onDisk] as [any TestClientProtocol] {
                    let first = try await Self.ask(client, .get, "/style.css")
                    #expect(first.answer.headers["Content-Type"]?.hasPrefix("text/css") == true)
                    let eTag = try #require(first.eTag)
                    let lastModified = try #require(first.lastModified)
                    #expect(try await Self.ask(client, .get, "/style.css", [.ifNoneMatch: eTag]).answer.status == .notModified)
                    #expect(try await Self.ask(client, .get, "/style.css", [.ifModifiedSince: lastModified]).answer.status == .notModified)
                    #expect(try await Self.ask(client, .get, "/style.css", [.ifNoneMatch: "W/\"other\""]).answer.status == .ok)
                }
            }
        }
    }

    @Test("the page's files have the content types a browser needs")
    func contentTypes() async throws {
        try await RouteTestServer.withClient({ $0.settings.webPage = .embedded }) { _, client in
            for (path, type) in [("/", "text/html"), ("/app.js", "text/javascript"), ("/style.css", "text/css")] {
                let answer = try await Self.ask(client, .get, path).answer
                #expect(answer.status == .ok && answer.headers["Content-Type"]?.hasPrefix(type) == true, "\(path): \(answer)")
            }
        }
    }

    @Test("paths resolve as on disk: folders of the files' paths, empty segments and a trailing slash ignored")
    func paths() async throws {
        let provider = EmbeddedFileProvider(files: ["/index.html": Array("home".utf8), "/img/a.svg": Array("<svg/>".utf8)])
        for (path, folder, size) in [
            ("/", true, 0), ("/img/", true, 0), ("/img", true, 0), ("/img//a.svg", false, 6), ("/img/a.svg/", false, 6),
        ] {
            let attributes = try await provider.getAttributes(id: try #require(provider.getFileIdentifier(path)))
            #expect(attributes?.isFolder == folder && attributes?.size == size, "\(path)")
        }
        for missing in ["/img/b.svg", "/im", "/index.htm", "/img/a.svg/x"] {
            #expect(try await provider.getAttributes(id: try #require(provider.getFileIdentifier(missing))) == nil, "\(missing)")
        }
    }
}
