import Foundation
import Hummingbird
import HummingbirdTesting
import PAMCore
import Testing

/// What every request goes through in process: error bodies, CORS, 405s and the request log.
@Suite("Server edge in process")
struct ServerEdgeTests {
    @Test("an unknown path is 404 in JSON, or in S3 XML under a bucket; HEAD answers carry no body")
    func notFound() async throws {
        try await RouteTestServer.withClient { server, client in
            let page = try await client.execute(uri: "/nothing/here", method: .get)
            #expect(page.status == .notFound && page.text == #"{"message":"Not Found"}"#)
            #expect(page.headers[.accessControlAllowOrigin] == nil)
            let api = try await client.execute(uri: "/api/nothing", method: .get)
            #expect(api.status == .notFound && api.headers[.accessControlAllowOrigin] == "*")
            let bucket = try await client.execute(uri: "/\(server.config.storageBucket)", method: .get)
            #expect(bucket.status == .notFound && bucket.headers[.contentType] == "application/xml")
            #expect(bucket.text.contains("<Code>NoSuchKey</Code><Message>Not Found</Message><RequestId>"))
            let head = try await client.execute(uri: "/nothing", method: .head)
            #expect(head.status == .notFound && head.body.readableBytes == 0)
        }
    }

    @Test("a route's failure that is not PAM's is a 500 that says nothing, and is logged without the message id")
    func internalError() async throws {
        try await RouteTestServer.withClient { server, client in
            let answer = try await client.execute(uri: "/outbox/broken", method: .get, headers: .bearer(RouteTestServer.token))
            #expect(answer.status == .internalServerError && answer.text == #"{"message":"internal error"}"#)
            #expect(server.logs.text.contains("request failed") && server.logs.text.contains("path=/outbox/{id}"))
            #expect(server.logs.text.contains("GET /outbox/{id} 500"))
            #expect(!server.logs.text.contains("broken"))
        }
    }

    @Test("a preflight on any path is 204 with the reference's CORS headers, before routing or authentication")
    func preflight() async throws {
        try await RouteTestServer.withClient { _, client in
            for path in ["/api/labels", "/api/download", "/pam-storage/x.jpg", "/anything"] {
                let answer = try await client.execute(uri: path, method: .options, headers: [.accessControlRequestMethod: "POST"])
                #expect(answer.status == .noContent, "\(path)")
                #expect(answer.headers[.accessControlAllowOrigin] == "*")
                #expect(answer.headers[.accessControlAllowMethods] == "GET, PUT, POST, HEAD, OPTIONS")
                #expect(answer.headers[.accessControlAllowHeaders] == "Authorization, Content-Type")
                #expect(answer.headers[.accessControlMaxAge] == "600")
            }
        }
    }

    @Test("known paths asked with another method get 405 and Allow, without authentication")
    func methodNotAllowed() async throws {
        try await RouteTestServer.withClient { _, client in
            for (method, path, allow) in [
                (HTTPRequest.Method.delete, "/api/labels", "GET, HEAD, OPTIONS"),
                (.get, "/api/upload", "OPTIONS, PUT"), (.put, "/api/download", "OPTIONS, POST"),
                (.post, "/outbox/m-1", "GET, HEAD, OPTIONS"), (.post, "/logout", "GET, HEAD, OPTIONS"),
            ] {
                let answer = try await client.execute(uri: path, method: method)
                #expect(answer.status == .methodNotAllowed && answer.headers[.allow] == allow, "\(method) \(path)")
                #expect(answer.json?["message"] as? String == "\(method) is not allowed here")
            }
        }
    }

    @Test("the log has one line per request, without queries, tokens or message ids, however the path is spelled")
    func log() async throws {
        try await RouteTestServer.withClient { server, client in
            let auth = HTTPFields.bearer(RouteTestServer.token)
            _ = try await client.execute(uri: "/api/labels?access_token=qs-secret", method: .get, headers: auth)
            _ = try await client.execute(uri: "/outbox/m-1", method: .get, headers: auth)
            _ = try await client.execute(uri: "//outbox/m-1", method: .get, headers: auth)
            _ = try await client.execute(uri: "/outbox//m-1?x=1", method: .get)
            _ = try await client.execute(uri: "//outbox/m-1", method: .post)
            _ = try await client.execute(uri: "/pam-storage/a.jpg?X-Pam-Signature=sig-secret", method: .get)
            _ = try await client.execute(uri: "/api/status", method: .options)
            let log = server.logs.text
            #expect(log.contains("GET /api/labels 200"))
            #expect(log.contains("GET /outbox/{id} 200") && log.contains("GET /outbox/{id} 401") && log.contains("POST /outbox/{id} 405"))
            #expect(log.contains("GET /pam-storage/a.jpg 403") && log.contains("OPTIONS /api/status 204"))
            for secret in ["m-1", "qs-secret", "sig-secret", "X-Pam", "access_token", RouteTestServer.token, "Bearer"] {
                #expect(!log.contains(secret), "the log holds \(secret)")
            }
        }
    }
}
