import Foundation
import Hummingbird
import Testing

@testable import PAMServer

/// The app client's exact callback and sign-out URLs, and the route table behind 405 answers.
@Suite("Sign-in URLs and allowed methods")
struct SignInURLsTests {
    let urls = SignInURLs.resolve(callbackURLs: nil, logoutURLs: nil, port: 8080, baseURL: URL(string: "http://127.0.0.1:8080"))

    @Test("the page's own URLs are the defaults, and nothing else passes")
    func defaults() {
        #expect(urls.callbackURLs == ["http://127.0.0.1:8080/", "http://localhost:8080/", "http://[::1]:8080/"])
        #expect(urls.logoutURLs == urls.callbackURLs)
        #expect(urls.allowsCallback("http://127.0.0.1:8080/") && urls.allowsCallback("http://localhost:8080/"))
        #expect(urls.allowsLogout("http://127.0.0.1:8080/"))
        for hostile in [
            "http://evil.example\\@127.0.0.1/", "http://127.0.0.2:39999\\@127.0.0.1/", "http://evil.example\\@127.0.0.1:8080/",
            "http://127.0.0.1:8080\\@evil.example/", "http://127.0.0.1:8080@evil.example/", "http://127.0.0.1:8081/",
            "http://127.0.0.1/", "http://127.0.0.1:8080/other", "http://127.0.0.1:8080/#x", "http://127.0.0.1:8080/?next=x",
            "http://127.0.0.1:8080", "https://127.0.0.1:8080/", "HTTP://127.0.0.1:8080/", "http://127.0.0.1:8080//",
            "http://127.0.0.1:8080/ ", " http://127.0.0.1:8080/", "http://127.1:8080/", "javascript:alert(1)//127.0.0.1:8080/", "",
        ] {
            #expect(!urls.allowsCallback(hostile), "\(hostile)")
            #expect(!urls.allowsLogout(hostile), "\(hostile)")
        }
    }

    @Test("a base URL elsewhere adds its root; configured lists replace the defaults")
    func configured() {
        let elsewhere = SignInURLs.pageURLs(port: 8080, baseURL: URL(string: "https://photos.example/some/path?x=1"))
        #expect(elsewhere.last == "https://photos.example/")
        let custom = SignInURLs.resolve(
            callbackURLs: ["https://app.example/callback"], logoutURLs: ["https://app.example/bye"],
            port: 8080, baseURL: nil)
        #expect(custom.allowsCallback("https://app.example/callback") && !custom.allowsCallback("http://127.0.0.1:8080/"))
        #expect(custom.allowsLogout("https://app.example/bye") && !custom.allowsLogout("https://app.example/callback"))
    }

    @Test("a path's methods, from the routes: HEAD with GET, OPTIONS always, none for an unknown path")
    func routeMethods() {
        let routes = RouteMethods([
            ("api/labels", .get), ("api/upload", .put), ("outbox/:id", .get), ("pam-storage/**", .get), ("pam-storage/**", .put),
            ("pam-storage/**", .head), ("logout", .get), ("oauth2/authorize", .get), ("oauth2/authorize", .post),
        ])
        #expect(routes.allowed(for: "/api/labels") == [.get, .head, .options])
        #expect(routes.allowed(for: "/api/labels/") == [.get, .head, .options])
        #expect(routes.allowed(for: "/api/upload") == [.put, .options])
        #expect(routes.allowed(for: "/outbox/abc") == [.get, .head, .options])
        #expect(routes.allowed(for: "/pam-storage/a/b/c.jpg") == [.get, .head, .put, .options])
        #expect(routes.allowed(for: "/oauth2/authorize") == [.get, .head, .post, .options])
        for unknown in ["/", "/api", "/api/labels/x", "/outbox", "/outbox/a/b", "/pam-storage", "/nope"] {
            #expect(routes.allowed(for: unknown).isEmpty, "\(unknown)")
        }
        #expect(RouteMethods.allowHeader([.put, .options, .get]) == "GET, OPTIONS, PUT")
    }
}
