import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The local hosted UI in process: the form, its checks, the redirect with tokens.
@Suite("Sign-in routes in process")
struct SignInRoutesTests {
    static let callback = "http://127.0.0.1:8080/"
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static var query: String {
        "response_type=token&client_id=test-client&redirect_uri=\(callback.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
    }

    @Test("the form carries the grant's fields, escaped; a wrong client or callback is 400 before any form")
    func form() async throws {
        try await RouteTestServer.withClient { _, client in
            let form = try await client.execute(uri: "/oauth2/authorize?\(Self.query)&state=%22%3E%3Cscript%3E", method: .get)
            #expect(form.status == .ok && form.headers[.contentType] == "text/html; charset=utf-8")
            #expect(form.headers[.cacheControl] == "no-store" && form.headers[.accessControlAllowOrigin] == nil)
            #expect(form.text.contains(#"<input type="hidden" name="redirect_uri" value="http://127.0.0.1:8080/">"#))
            #expect(form.text.contains(#"name="state" value="&quot;&gt;&lt;script&gt;""#) && !form.text.contains("<script>"))
            let head = try await client.execute(uri: "/oauth2/authorize?\(Self.query)", method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0)

            let wrongClient = try await client.execute(uri: "/oauth2/authorize?response_type=token&client_id=other", method: .get)
            #expect(wrongClient.status == .badRequest && wrongClient.json?["message"] as? String == "unknown client_id")
            let hostile = "/oauth2/authorize?response_type=token&client_id=test-client&redirect_uri=https%3A%2F%2Fevil.example%2F"
            let elsewhere = try await client.execute(uri: hostile, method: .get)
            #expect(elsewhere.status == .badRequest && !elsewhere.text.contains("<form"))
            #expect(elsewhere.json?["message"] as? String == "redirect_uri must be one of the app client's callback URLs")
        }
    }

    @Test("a wrong password is 401 with the form again; the right one redirects with the tokens in the fragment")
    func signIn() async throws {
        try await RouteTestServer.withClient { _, client in
            let fields = "\(Self.query)&state=s1&username=photographer"
            let wrong = try await client.execute(
                uri: "/oauth2/authorize", method: .post,
                body: ByteBuffer(string: "\(fields)&password=nope"))
            #expect(wrong.status == .unauthorized && wrong.text.contains("Incorrect username or password.") && wrong.text.contains("<form"))
            let right = try await client.execute(
                uri: "/oauth2/authorize", method: .post, headers: [Self.fetchSite: "same-origin"],
                body: ByteBuffer(string: "\(fields)&password=right+password"))
            #expect(right.status == .found && right.headers[.cacheControl] == "no-store")
            let fragment = "id_token=id.token.x&access_token=access.token.y&token_type=Bearer&expires_in=3600&state=s1"
            #expect(right.headers[.location] == "\(Self.callback)#\(fragment)")
        }
    }

    @Test("a post from another site is refused with 403, even with the right password")
    func crossSite() async throws {
        try await RouteTestServer.withClient { _, client in
            let answer = try await client.execute(
                uri: "/oauth2/authorize", method: .post, headers: [Self.fetchSite: "cross-site"],
                body: ByteBuffer(string: "\(Self.query)&username=photographer&password=right+password"))
            #expect(answer.status == .forbidden && answer.headers[.location] == nil)
            #expect(answer.json?["message"] as? String == "sign-in is only accepted from this server's own page")
        }
    }

    @Test("config.json, the JWKS (with CORS) and logout's checks")
    func endpoints() async throws {
        try await RouteTestServer.withClient { _, client in
            let config = try await client.execute(uri: "/config.json", method: .get)
            #expect(config.text == #"{"authorizeURL":"/oauth2/authorize","clientId":"test-client","logoutURL":"/logout"}"#)
            let jwks = try await client.execute(uri: "/.well-known/jwks.json", method: .get)
            #expect(jwks.text == #"{"keys":[]}"# && jwks.headers[.accessControlAllowOrigin] == "*")
            let back = "http%3A%2F%2F127.0.0.1%3A8080%2F"
            let logout = try await client.execute(uri: "/logout?client_id=test-client&logout_uri=\(back)", method: .get)
            #expect(logout.status == .found && logout.headers[.location] == Self.callback)
            let away = try await client.execute(uri: "/logout?client_id=test-client&logout_uri=https%3A%2F%2Fevil.example%2F", method: .get)
            #expect(away.status == .badRequest && away.headers[.location] == nil)
        }
    }
}
