import Foundation
import Hummingbird
import NIOCore

/// Files held in memory, served by Hummingbird's `FileMiddleware` as it serves a folder: the same
/// content types (by extension), `HEAD`, ranges, `ETag`/`Last-Modified` and conditional requests,
/// `index.html` for a folder, 404 for anything else and 400 for a path with "..". It is how `pam
/// serve` serves the web page carried in the executable (`EmbeddedWebPage`), so the binary alone is
/// enough; `--web <folder>` serves a folder instead.
struct EmbeddedFileProvider: FileProvider {
    struct FileAttributes: FileMiddlewareFileAttributes, Sendable {
        let isFolder: Bool
        let size: Int
        let modificationDate: Date
    }

    /// The URL path with empty segments dropped, as a file system resolves it ("//a.js/" is "/a.js").
    typealias FileIdentifier = String

    private let files: [String: ByteBuffer]
    /// Every folder that holds a file, "/" included.
    private let folders: Set<String>
    /// When the files were loaded: what `Last-Modified` and the `ETag` derive from, so both change
    /// when a restarted server may carry another page.
    private let loaded: Date

    /// `files` keyed by URL path ("/index.html").
    init(files: [String: [UInt8]], loaded: Date = Date()) {
        var folders: Set<String> = ["/"]
        for path in files.keys {
            var segments = path.split(separator: "/")
            while !segments.isEmpty {
                segments.removeLast()
                folders.insert("/" + segments.joined(separator: "/"))
            }
        }
        self.files = files.reduce(into: [:]) { $0[Self.identifier($1.key)] = ByteBuffer(bytes: $1.value) }
        self.folders = folders
        // Whole seconds, as a file system's times are compared in `If-Modified-Since`.
        self.loaded = Date(timeIntervalSince1970: loaded.timeIntervalSince1970.rounded(.down))
    }

    /// The web page of `Emulator/web`, decoded once.
    static let webPage = EmbeddedFileProvider(files: EmbeddedWebPage.decodedFiles)

    func getFileIdentifier(_ path: String) -> FileIdentifier? { Self.identifier(path) }

    private static func identifier(_ path: String) -> FileIdentifier {
        "/" + path.split(separator: "/").joined(separator: "/")
    }

    func getAttributes(id: FileIdentifier) async throws -> FileAttributes? {
        if let file = files[id] {
            return FileAttributes(isFolder: false, size: file.readableBytes, modificationDate: loaded)
        }
        guard folders.contains(id) else { return nil }
        return FileAttributes(isFolder: true, size: 0, modificationDate: loaded)
    }

    func loadFile(id: FileIdentifier, context: some RequestContext) async throws -> ResponseBody {
        guard let file = files[id] else { throw HTTPError(.notFound) }
        return ResponseBody(byteBuffer: file)
    }

    /// The range clamped to the file, as Hummingbird's own file loading clamps it.
    func loadFile(id: FileIdentifier, range: ClosedRange<Int>, context: some RequestContext) async throws -> ResponseBody {
        guard let file = files[id] else { throw HTTPError(.notFound) }
        guard file.readableBytes > 0 else { return ResponseBody() }
        let clamped = range.clamped(to: 0...(file.readableBytes - 1))
        return ResponseBody(byteBuffer: file.getSlice(at: clamped.lowerBound, length: clamped.count) ?? ByteBuffer())
    }
}

extension EmbeddedWebPage {
    /// The files' bytes; the generator writes valid base64 (EmbeddedWebPageTests decode every file).
    static var decodedFiles: [String: [UInt8]] {
        base64Files.mapValues { text in
            guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                preconditionFailure("EmbeddedWebPage.swift holds invalid base64: run Emulator/embed-web.sh")
            }
            return [UInt8](data)
        }
    }
}
