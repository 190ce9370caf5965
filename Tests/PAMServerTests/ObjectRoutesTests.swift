import Foundation
import Hummingbird
import HummingbirdTesting
import PAMCore
import PAMLocal
import Testing

/// The local buckets' object endpoint in process: presigned PUT and GET, HEAD, ranges, S3-style errors.
@Suite("Object routes in process")
struct ObjectRoutesTests {
    static let signed = "X-Pam-Expires=9999999999&X-Pam-Signature=valid"

    @Test("a presigned PUT stores the object; GET streams it with its ETag; HEAD has the headers and no body")
    func putGetHead() async throws {
        try await RouteTestServer.withClient { server, client in
            let path = "/\(server.config.workingBucket)/bundle%20one.zip"
            let bytes = Data((0..<200).map { UInt8($0) })
            let put = try await client.execute(
                uri: "\(path)?\(Self.signed)", method: .put, headers: [.contentType: "application/zip"],
                body: ByteBuffer(bytes: bytes))
            #expect(put.status == .ok)
            let info = try await server.store.head(ObjectRef(bucket: server.config.workingBucket, key: "bundle one.zip"))
            #expect(put.headers[.eTag] == "\"\(info.etag)\"" && info.size == 200)

            let get = try await client.execute(uri: "\(path)?\(Self.signed)", method: .get)
            #expect(get.status == .ok && Data(get.body.readableBytesView) == bytes)
            #expect(get.headers[.eTag] == "\"\(info.etag)\"" && get.headers[.contentLength] == "200")
            #expect(get.headers[.contentType] == "application/zip" && get.headers[.acceptRanges] == "bytes")
            #expect(get.headers[.lastModified] == DateText.http(info.created))
            #expect(get.headers[.accessControlAllowOrigin] == "*")
            let head = try await client.execute(uri: "\(path)?\(Self.signed)", method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0 && head.headers[.contentLength] == "200")
            #expect(head.headers[.eTag] == get.headers[.eTag])
        }
    }

    @Test("a single range is 206 with Content-Range; one past the end is 416 in S3 XML with the size")
    func ranges() async throws {
        try await RouteTestServer.withClient { server, client in
            let ref = ObjectRef(bucket: server.config.workingBucket, key: "r.bin")
            let bytes = Data((0..<100).map { UInt8($0) })
            _ = try await server.store.put(ref, body: .data(bytes), options: PutOptions())
            let uri = "/\(ref.bucket)/\(ref.key)?\(Self.signed)"
            let part = try await client.execute(uri: uri, method: .get, headers: [.range: "bytes=10-19"])
            #expect(part.status == .partialContent && Data(part.body.readableBytesView) == bytes[10..<20])
            #expect(part.headers[.contentRange] == "bytes 10-19/100" && part.headers[.contentLength] == "10")
            let tail = try await client.execute(uri: uri, method: .get, headers: [.range: "bytes=-5"])
            #expect(tail.status == .partialContent && Data(tail.body.readableBytesView) == bytes[95..<100])
            let beyond = try await client.execute(uri: uri, method: .get, headers: [.range: "bytes=100-"])
            #expect(beyond.status == .rangeNotSatisfiable && beyond.headers[.contentRange] == "bytes */100")
            #expect(beyond.headers[.contentType] == "application/xml")
            #expect(beyond.text.contains("<Code>InvalidRange</Code>") && beyond.text.contains("<Key>r.bin</Key>"))
            let headBeyond = try await client.execute(uri: uri, method: .head, headers: [.range: "bytes=100-"])
            #expect(headBeyond.status == .rangeNotSatisfiable && headBeyond.body.readableBytes == 0)
        }
    }

    @Test("forged, expired and missing: 403 SignatureDoesNotMatch, 403 AccessDenied, 404 NoSuchKey, each in S3 XML")
    func refusals() async throws {
        try await RouteTestServer.withClient { server, client in
            let bucket = server.config.storageBucket
            let forged = try await client.execute(uri: "/\(bucket)/a.jpg?X-Pam-Expires=9999999999&X-Pam-Signature=forged", method: .get)
            #expect(forged.status == .forbidden && forged.headers[.contentType] == "application/xml")
            #expect(forged.text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code>"))
            #expect(forged.text.contains("<Message>the signature does not match</Message><Key>a.jpg</Key><RequestId>"))
            #expect(forged.headers[.accessControlAllowOrigin] == "*")
            let expired = try await client.execute(uri: "/\(bucket)/a.jpg?X-Pam-Expires=0&X-Pam-Signature=valid", method: .get)
            #expect(expired.status == .forbidden && expired.text.contains("<Code>AccessDenied</Code>") && expired.text.contains("expired"))
            let missing = try await client.execute(uri: "/\(bucket)/a.jpg?\(Self.signed)", method: .get)
            #expect(missing.status == .notFound && missing.text.contains("<Code>NoSuchKey</Code>"))
            let missingHead = try await client.execute(uri: "/\(bucket)/a.jpg?\(Self.signed)", method: .head)
            #expect(missingHead.status == .notFound && missingHead.body.readableBytes == 0)
            // Markup in a key is escaped in the document.
            let hostile = try await client.execute(uri: "/\(bucket)/%3Cb%3E&.jpg?X-Pam-Signature=no", method: .get)
            #expect(hostile.text.contains("<Key>&lt;b&gt;&amp;.jpg</Key>"))
        }
    }

    @Test("a photo must be a JPEG (400 InvalidArgument, nothing stored); an accepted one is analysed")
    func photoUploads() async throws {
        try await RouteTestServer.withClient { server, client in
            let bucket = server.config.storageBucket
            let text = try await client.execute(
                uri: "/\(bucket)/u-note.jpg?\(Self.signed)", method: .put,
                body: ByteBuffer(string: "not a photo"))
            #expect(text.status == .badRequest && text.text.contains("<Code>InvalidArgument</Code>"))
            #expect(text.text.contains("<Key>u-note.jpg</Key>"))
            await #expect(throws: PAMError.self) { try await server.store.head(ObjectRef(bucket: bucket, key: "u-note.jpg")) }
            let photo = try await client.execute(
                uri: "/\(bucket)/u-lake.jpg?\(Self.signed)", method: .put,
                headers: [.contentType: "image/jpeg"],
                body: ByteBuffer(bytes: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2]))
            #expect(photo.status == .ok)
            let deadline = Date().addingTimeInterval(600)
            while try await server.table.allLabels().isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(try await server.table.images(withAnyOf: ["Lake"]) == ["u-lake.jpg"])
        }
    }

    @Test("a photo labelled while it is checked is counted under those labels (no second labelling); a refused one leaves nothing")
    func labelledUploads() async throws {
        let checkPhoto: @Sendable (Data) async throws -> [DetectedLabel]? = { data in
            guard data.starts(with: [0xFF, 0xD8, 0xFF]) else {
                throw PAMError(.invalidImage, "the photo is not a JPEG")
            }
            return [DetectedLabel(name: "Handed", confidence: 99)]
        }
        try await RouteTestServer.withClient({ $0.checkPhoto = checkPhoto }) { server, client in
            let bucket = server.config.storageBucket
            let text = try await client.execute(
                uri: "/\(bucket)/u-note.jpg?\(Self.signed)", method: .put, body: ByteBuffer(string: "not a photo"))
            #expect(text.status == .badRequest && text.text.contains("<Code>InvalidArgument</Code>"))
            await #expect(throws: PAMError.self) { try await server.store.head(ObjectRef(bucket: bucket, key: "u-note.jpg")) }
            let photo = try await client.execute(
                uri: "/\(bucket)/u-lake.jpg?\(Self.signed)", method: .put, headers: [.contentType: "image/jpeg"],
                body: ByteBuffer(bytes: [0xFF, 0xD8, 0xFF, 0xE0, 1, 2]))
            #expect(photo.status == .ok)
            let ref = ObjectRef(bucket: bucket, key: "u-lake.jpg")
            let deadline = Date().addingTimeInterval(600)
            while try await server.store.tags(ref)[server.config.analyzedTag.key] == nil, Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            // The route's labeler (FixedLabeler) finds Lake and Water: Handed comes only from the check.
            #expect(try await server.table.labels(ofImage: "u-lake.jpg") == ["Handed"])
            #expect(try await server.store.tags(ref)[server.config.analyzedTag.key] == server.config.analyzedTag.value)
        }
    }

    @Test(
        "the spool leaves no file behind: accepted uploads become the objects (S3's MD5 ETag), refused ones are deleted; a spool folder removed meanwhile is made again"
    )
    func spoolLeavesNothing() async throws {
        try await RouteTestServer.withClient { server, client in
            let spool = server.state.temporary
            let spooled = { try FileManager.default.contentsOfDirectory(atPath: spool.path).filter { $0.hasPrefix("upload-") } }
            try FileManager.default.removeItem(at: spool)
            // RFC 1321's test vector for the ETag: MD5 of the body, in hex.
            let fox = Data("The quick brown fox jumps over the lazy dog".utf8)
            let put = try await client.execute(
                uri: "/\(server.config.workingBucket)/fox.txt?\(Self.signed)", method: .put, headers: [.contentType: "text/plain"],
                body: ByteBuffer(bytes: fox))
            #expect(put.status == .ok && put.headers[.eTag] == "\"9e107d9d372bb6826bd81d3542a419d6\"")
            let ref = ObjectRef(bucket: server.config.workingBucket, key: "fox.txt")
            #expect(try await server.store.get(ref).collect() == fox)
            #expect(try await server.store.head(ref).etag == "9e107d9d372bb6826bd81d3542a419d6")
            #expect(try spooled().isEmpty)

            let bucket = server.config.storageBucket
            let refused = try await client.execute(
                uri: "/\(bucket)/s-note.jpg?\(Self.signed)", method: .put, body: ByteBuffer(string: "not a photo"))
            #expect(refused.status == .badRequest)
            await #expect(throws: PAMError.self) { try await server.store.head(ObjectRef(bucket: bucket, key: "s-note.jpg")) }
            #expect(try spooled().isEmpty)
            let photo = Data([0xFF, 0xD8, 0xFF, 0xE0] + (0..<4000).map { UInt8($0 % 251) })
            let accepted = try await client.execute(
                uri: "/\(bucket)/s-lake.jpg?\(Self.signed)", method: .put, headers: [.contentType: "image/jpeg"],
                body: ByteBuffer(bytes: photo))
            #expect(accepted.status == .ok)
            #expect(try await server.store.get(ObjectRef(bucket: bucket, key: "s-lake.jpg")).collect() == photo)
            #expect(try spooled().isEmpty)
        }
    }

    @Test("over the size limit: 413 EntityTooLarge and Connection: close")
    func tooLarge() async throws {
        try await RouteTestServer.withClient { server, client in
            let uri = "/\(server.config.workingBucket)/big.bin?\(Self.signed)"
            let body = ByteBuffer(repeating: 7, count: server.settings.maxObjectBytes + 1)
            let answer = try await client.execute(uri: uri, method: .put, body: body)
            #expect(answer.status == .contentTooLarge && answer.text.contains("<Code>EntityTooLarge</Code>"))
            #expect(answer.headers[.connection] == "close")
        }
    }

    @Test("other methods on an object path: 405 with Allow, in S3 XML")
    func methodNotAllowed() async throws {
        try await RouteTestServer.withClient { server, client in
            let answer = try await client.execute(uri: "/\(server.config.storageBucket)/a.jpg", method: .delete)
            #expect(answer.status == .methodNotAllowed && answer.headers[.allow] == "GET, HEAD, OPTIONS, PUT")
            #expect(answer.text.contains("<Code>MethodNotAllowed</Code>"))
        }
    }
}
