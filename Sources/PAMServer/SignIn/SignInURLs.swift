import Foundation

/// The app client's sign-in and sign-out URLs, as a Cognito app client has them: the hosted UI
/// redirects tokens only to one of the exact `callbackURLs`, and `/logout` only to one of the
/// exact `logoutURLs`.
///
/// A URL is allowed when it equals one of them character for character. Nothing is parsed, so
/// no disagreement between URL parsers (`http://evil.example\@127.0.0.1/` is 127.0.0.1 to
/// Foundation and evil.example to a browser) can widen the list.
struct SignInURLs: Sendable, Equatable {
    var callbackURLs: [String]
    var logoutURLs: [String]

    init(callbackURLs: [String], logoutURLs: [String]) {
        self.callbackURLs = callbackURLs
        self.logoutURLs = logoutURLs
    }

    /// Whether the hosted UI may send tokens to `uri`.
    func allowsCallback(_ uri: String) -> Bool { callbackURLs.contains(uri) }

    /// Whether `/logout` may redirect to `uri`.
    func allowsLogout(_ uri: String) -> Bool { logoutURLs.contains(uri) }

    /// The web page's own URLs, where it sends the user back after signing in and out: the root
    /// of the server on `port` under the loopback names, and the root of the base URL the links
    /// carry (`--base-url`), when it is another.
    static func pageURLs(port: Int, baseURL: URL?) -> [String] {
        var urls = ["http://127.0.0.1:\(port)/", "http://localhost:\(port)/", "http://[::1]:\(port)/"]
        if let baseURL, var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) {
            components.path = "/"
            components.query = nil
            components.fragment = nil
            if let root = components.string, !urls.contains(root) { urls.append(root) }
        }
        return urls
    }

    /// The configured lists, each defaulting to the page's own URLs on `port`.
    static func resolve(callbackURLs: [String]?, logoutURLs: [String]?, port: Int, baseURL: URL?) -> SignInURLs {
        let page = pageURLs(port: port, baseURL: baseURL)
        return SignInURLs(callbackURLs: callbackURLs ?? page, logoutURLs: logoutURLs ?? page)
    }
}
