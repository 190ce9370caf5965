import Foundation
import HTTPTypes
import Hummingbird
import PAMCore

/// The local stand-in for Cognito's hosted UI: `/oauth2/authorize` with the implicit grant the
/// reference frontend uses (`response_type=token`; tokens come back in the redirect's fragment),
/// `/logout`, and `/.well-known/jwks.json`. Like a Cognito app client, it redirects only to the
/// exact callback and sign-out URLs it was given (`SignInURLs`): anything else is refused with 400
/// before a password is asked. Wrong passwords are throttled (`SignInThrottle`).
struct SignInRoutes: Sendable {
    let identity: any SignInProvider
    /// The allowed URLs; read per request, since the defaults name the port the server got.
    let urls: @Sendable () -> SignInURLs
    let throttle: SignInThrottle

    func register(on router: some RouterMethods<PAMRequestContext>) {
        // What the web page needs to start the implicit grant (the reference builds it in).
        router.get("config.json") { _, _ in
            let config = ["clientId": identity.clientID, "authorizeURL": "/oauth2/authorize", "logoutURL": "/logout"]
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(
                    byteBuffer: ByteBuffer(
                        bytes: try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .withoutEscapingSlashes]))))
        }
        router.get(".well-known/jwks.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .accessControlAllowOrigin: "*"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try identity.jwks())))
        }
        router.get("oauth2/authorize") { request, _ in
            let query = request.uri.queryParameters
            let form = try AuthorizeForm(values: { query[Substring($0)].map(String.init) }, clientID: identity.clientID, urls: urls())
            return page(form, error: nil, status: .ok)
        }
        router.post("oauth2/authorize") { request, _ in
            // A page on another site may not post the form: its wrong guesses would lock the user
            // out (the throttle counts them), so it is refused before anything is counted.
            guard Self.isSameOriginPost(request.headers[HTTPField.Name("Sec-Fetch-Site")!]) else {
                throw ServerError(status: .forbidden, message: "sign-in is only accepted from this server's own page")
            }
            var request = request
            let body = try await request.collectBody(upTo: 16 << 10)
            let fields = Self.formFields(String(buffer: body))
            let form = try AuthorizeForm(values: { fields[$0] }, clientID: identity.clientID, urls: urls())
            let username = fields["username"] ?? ""
            let password = fields["password"] ?? ""
            switch await throttle.attempt(
                username: username, { [identity] in identity.checkPassword(username: username, password: password) })
            {
            case .succeeded:
                break
            case .failed:
                return page(form, error: "Incorrect username or password.", status: .unauthorized)
            case .throttled(let retryAfter):
                var response = page(form, error: "Password attempts exceeded", status: .tooManyRequests)
                response.headers[.retryAfter] = "\(Int(retryAfter.rounded(.up)))"
                return response
            }
            let tokens = try identity.issueTokens()
            var fragment = URLComponents()
            fragment.queryItems =
                [
                    URLQueryItem(name: "id_token", value: tokens.idToken), URLQueryItem(name: "access_token", value: tokens.accessToken),
                    URLQueryItem(name: "token_type", value: "Bearer"), URLQueryItem(name: "expires_in", value: "\(tokens.expiresIn)"),
                ] + (form.state.map { [URLQueryItem(name: "state", value: $0)] } ?? [])
            return Response(
                status: .found,
                headers: [.location: "\(form.redirectURI)#\(fragment.percentEncodedQuery ?? "")", .cacheControl: "no-store"])
        }
        router.get("logout") { request, _ in
            let query = request.uri.queryParameters
            guard query[Substring("client_id")].map(String.init) == identity.clientID else {
                throw ServerError.badRequest("unknown client_id")
            }
            guard let target = query[Substring("logout_uri")].map(String.init), urls().allowsLogout(target) else {
                throw ServerError.badRequest("logout_uri must be one of the app client's sign-out URLs")
            }
            return Response(status: .found, headers: [.location: target, .cacheControl: "no-store"])
        }
    }

    /// The hidden fields the hosted UI carries from the GET to the POST.
    struct AuthorizeForm {
        var clientID: String
        var redirectURI: String
        var state: String?
        var scope: String?

        init(values: (String) -> String?, clientID expected: String, urls: SignInURLs) throws {
            guard values("response_type") == "token" else {
                throw ServerError.badRequest("response_type must be 'token' (the implicit grant)")
            }
            guard let clientID = values("client_id"), clientID == expected else { throw ServerError.badRequest("unknown client_id") }
            guard let redirect = values("redirect_uri"), urls.allowsCallback(redirect) else {
                throw ServerError.badRequest("redirect_uri must be one of the app client's callback URLs")
            }
            self.clientID = clientID
            redirectURI = redirect
            state = values("state")
            scope = values("scope")
        }
    }

    func page(_ form: AuthorizeForm, error: String?, status: HTTPResponse.Status) -> Response {
        func hidden(_ name: String, _ value: String?) -> String {
            value.map { "<input type=\"hidden\" name=\"\(name)\" value=\"\(Markup.escape($0))\">" } ?? ""
        }
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in — PAM local user pool</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>body{font-family:system-ui,sans-serif;background:#f3f5f7;display:flex;justify-content:center;padding-top:10vh}
            form{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002;min-width:18rem}
            label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
            button{margin-top:1.2rem;width:100%;padding:.6rem;background:#1f6feb;color:#fff;border:0;border-radius:4px}
            .error{color:#b00020}</style></head>
            <body><form method="post" action="/oauth2/authorize">
            <h1>Sign in</h1><p>PAM local user pool (emulated Cognito)</p>
            \(error.map { "<p class=\"error\" id=\"error\">\(Markup.escape($0))</p>" } ?? "")
            <label for="username">Username</label><input type="text" id="username" name="username" autocomplete="username" required>
            <label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
            \(hidden("response_type", "token"))\(hidden("client_id", form.clientID))\(hidden("redirect_uri", form.redirectURI))\(hidden("state", form.state))\(hidden("scope", form.scope))
            <button type="submit" id="signin">Sign in</button></form></body></html>
            """
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// Whether a sign-in POST comes from this server's own page: browsers say where a request
    /// comes from in `Sec-Fetch-Site` (`same-origin`, or `none` when the user typed it); clients
    /// that are not browsers send no such header.
    static func isSameOriginPost(_ fetchSite: String?) -> Bool {
        guard let fetchSite else { return true }
        return ["same-origin", "none"].contains(fetchSite.lowercased())
    }

    /// `application/x-www-form-urlencoded` fields ('+' is a space).
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
