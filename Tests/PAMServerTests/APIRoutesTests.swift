import Foundation
import Hummingbird
import HummingbirdTesting
import PAMCore
import PAMLocal
import Testing

/// The API's routes in process: the bearer gate, labels, upload URLs, bundle requests, outbox.
@Suite("API routes in process")
struct APIRoutesTests {
    @Test("every API route needs a valid bearer token: 401 in JSON, with CORS, and a reason only for expiry or issuer")
    func authentication() async throws {
        try await RouteTestServer.withClient { _, client in
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/labels"), (.put, "/api/upload"), (.post, "/api/download"),
                (.get, "/api/status"), (.get, "/api/outbox"), (.get, "/outbox/m-1"),
            ] {
                let missing = try await client.execute(uri: path, method: method)
                #expect(missing.status == .unauthorized, "\(method) \(path)")
                #expect(missing.text == #"{"message":"Unauthorized"}"#, "\(method) \(path)")
                #expect(missing.headers[.contentType] == "application/json")
                let forged = try await client.execute(uri: path, method: method, headers: .bearer("forged"))
                #expect(forged.status == .unauthorized && forged.json?["message"] as? String == "Unauthorized", "\(method) \(path)")
            }
            #expect(try await client.execute(uri: "/api/labels", method: .get).headers[.accessControlAllowOrigin] == "*")
            let expired = try await client.execute(uri: "/api/labels", method: .get, headers: .bearer("expired-token"))
            #expect(expired.status == .unauthorized && expired.json?["message"] as? String == "The token has expired")
            let foreign = try await client.execute(uri: "/api/labels", method: .get, headers: .bearer("foreign-issuer"))
            #expect(foreign.status == .unauthorized)
            #expect((foreign.json?["message"] as? String)?.hasPrefix("Unauthorized: the token's issuer is not this user pool") == true)
            // Without the "Bearer " prefix, and with it in any case.
            for header in [RouteTestServer.token, "bearer \(RouteTestServer.token)", "BEARER  \(RouteTestServer.token) "] {
                let answer = try await client.execute(uri: "/api/status", method: .get, headers: [.authorization: header])
                #expect(answer.status == .ok, "\(header)")
            }
        }
    }

    @Test("labels with their counts, in count order")
    func labels() async throws {
        try await RouteTestServer.withClient { server, client in
            #expect(
                try await client.execute(uri: "/api/labels", method: .get, headers: .bearer(RouteTestServer.token)).text
                    == #"{"labels": {}}"#)
            _ = try await server.table.record(imageKey: "a.jpg", labels: ["Sky", "Lake"])
            _ = try await server.table.record(imageKey: "b.jpg", labels: ["Lake"])
            let answer = try await client.execute(uri: "/api/labels", method: .get, headers: .bearer(RouteTestServer.token))
            #expect(answer.status == .ok && answer.headers[.contentType] == "application/json")
            #expect(answer.text == #"{"labels": {"Lake": {"count": 2}, "Sky": {"count": 1}}}"#)
        }
    }

    @Test("an upload URL for a JPEG name; other names and bodies get 400, an oversized body 413 and Connection: close")
    func upload() async throws {
        try await RouteTestServer.withClient { server, client in
            let auth = HTTPFields.bearer(RouteTestServer.token)
            let good = try await client.execute(
                uri: "/api/upload", method: .put, headers: auth,
                body: ByteBuffer(string: #"{"file_name": "lake.jpg"}"#))
            #expect(good.status == .ok)
            let url = try #require((good.json?["url"] as? String).flatMap { URL(string: $0) })
            #expect(url.path.hasPrefix("/\(server.config.storageBucket)/") && url.path.hasSuffix("-lake.jpg"))
            #expect(good.text.contains("http://127.0.0.1:8080/"), "slashes are not escaped")
            #expect(good.text == #"{"url":"\#(url.absoluteString)"}"#)
            let quoted = try await client.execute(
                uri: "/api/upload", method: .put, headers: auth,
                body: ByteBuffer(string: #"{"file_name": "lac \"été\" \\ 1.jpg"}"#))
            // The name is made safe for a key (UploadService); the answer is still one JSON string.
            let quotedURL = try #require((quoted.json?["url"] as? String).flatMap { URL(string: $0) })
            #expect(
                quoted.status == .ok && quotedURL.path.hasSuffix("-_1.jpg") && quoted.text == #"{"url":"\#(quotedURL.absoluteString)"}"#)
            for (body, message) in [
                (#"{"file_name": "lake.png"}"#, "field 'file_name' must end in .jpg or .jpeg"),
                (#"{"file_name": ""}"#, "field 'file_name' must be a non-empty string"),
                ("not json", "the body must be a JSON object"), ("[1]", "the body must be a JSON object"),
            ] {
                let answer = try await client.execute(uri: "/api/upload", method: .put, headers: auth, body: ByteBuffer(string: body))
                #expect(answer.status == .badRequest && answer.json?["message"] as? String == message, "\(body)")
                #expect(answer.headers[.accessControlAllowOrigin] == "*")
            }
            let padding = String(repeating: "x", count: server.settings.maxJSONBytes)
            let large = try await client.execute(
                uri: "/api/upload", method: .put, headers: auth,
                body: ByteBuffer(string: #"{"file_name": "\#(padding).jpg"}"#))
            #expect(large.status == .contentTooLarge && large.json?["message"] as? String == "the request body is too large")
            #expect(large.headers[.connection] == "close")
        }
    }

    @Test("bundle requests are validated before they are queued; a valid one is 202 and reaches the token's e-mail")
    func downloadRequests() async throws {
        try await RouteTestServer.withClient { server, client in
            let auth = HTTPFields.bearer(RouteTestServer.token)
            let photo = ObjectRef(bucket: server.config.storageBucket, key: "p-lake.jpg")
            _ = try await server.store.put(
                photo, body: .data(Data([0xFF, 0xD8, 0xFF, 0xE0])),
                options: PutOptions(contentType: "image/jpeg"))
            _ = try await server.table.record(imageKey: photo.key, labels: ["Lake"])
            let refused: [(String, HTTPResponse.Status, String)] = [
                (#"{"labels": []}"#, .badRequest, "field 'labels' must be a list of 1 to 100 label names"),
                (#"{"labels": ["Lake", 3]}"#, .badRequest, "field 'labels' must be a list of 1 to 100 label names"),
                (#"{"labels": ["Mountain"]}"#, .badRequest, "field 'labels': no label 'Mountain'"),
                (#"{"labels": ["Lake"], "email": "a@b.co", "phone": "+15555550123"}"#, .badRequest, "give 'email' or 'phone', not both"),
                (#"{"labels": ["Lake"], "email": 7}"#, .badRequest, "field 'email' must be a string"),
            ]
            for (body, status, message) in refused {
                let answer = try await client.execute(uri: "/api/download", method: .post, headers: auth, body: ByteBuffer(string: body))
                #expect(answer.status == status && answer.json?["message"] as? String == message, "\(body): \(answer.text)")
            }
            let noEmail = try await client.execute(
                uri: "/api/download", method: .post, headers: .bearer("no-email-token"),
                body: ByteBuffer(string: #"{"labels": ["Lake"]}"#))
            #expect(noEmail.status == .badRequest)
            #expect(noEmail.json?["message"] as? String == "give 'email' or 'phone': the token has no e-mail")

            let accepted = try await client.execute(
                uri: "/api/download", method: .post, headers: auth,
                body: ByteBuffer(string: #"{"labels": ["Lake"]}"#))
            #expect(accepted.status == .accepted && accepted.body.readableBytes == 0)
            #expect(accepted.headers[.accessControlAllowOrigin] == "*")
            // The recipient is the signed-in user of the context: the token's e-mail.
            let outbox = OutboxFolder(state: server.state)
            let deadline = Date().addingTimeInterval(600)
            while try outbox.entries().isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let entry = try #require(try outbox.entries().first)
            #expect(try String(contentsOf: entry.file, encoding: .utf8).contains("To: <\(RouteTestServer.user.email!)>"))
        }
    }

    @Test("the outbox lists and shows messages to a signed-in user; an unknown id is 404")
    func outbox() async throws {
        try await RouteTestServer.withClient { _, client in
            let auth = HTTPFields.bearer(RouteTestServer.token)
            let list = try await client.execute(uri: "/api/outbox", method: .get, headers: auth)
            #expect(list.status == .ok)
            #expect(list.json?["messages"] as? [[String: String]] == [["channel": "email", "id": "m-1", "url": "/outbox/m-1"]])
            #expect(list.text.contains(#""url":"/outbox/m-1""#), "slashes are not escaped")
            let message = try await client.execute(uri: "/outbox/m-1", method: .get, headers: auth)
            #expect(message.status == .ok && message.text.hasSuffix("hello"))
            #expect(message.headers[.contentType] == "text/plain; charset=utf-8" && message.headers[.cacheControl] == "no-store")
            #expect(message.headers[.accessControlAllowOrigin] == nil)
            let unknown = try await client.execute(uri: "/outbox/m-2", method: .get, headers: auth)
            #expect(unknown.status == .notFound && unknown.json?["message"] as? String == "no such message")
        }
    }
}
