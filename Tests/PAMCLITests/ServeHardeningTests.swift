import Foundation
import Testing

/// `pam serve` under the hostile requests of issue 8, over real HTTP: ranges that used to kill it,
/// redirects that leaked tokens, the outbox without a token, slow and oversized clients, password
/// guessing, and the HTTP details (405, HEAD, 416).
@Suite("pam serve hardening", .serialized)
struct ServeHardeningTests {
    /// A server with `settings` merged into the default configuration.
    static func server(_ settings: [String: Any] = [:]) throws -> ServerProcess {
        let folder = CLITests.temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("pam.json")
        var values =
            try JSONSerialization.jsonObject(with: Data(contentsOf: CLITests.packageRoot.appendingPathComponent("Emulator/pam.json")))
            as! [String: Any]
        values.merge(settings) { $1 }
        try JSONSerialization.data(withJSONObject: values).write(to: config)
        return try ServerProcess(state: folder.appendingPathComponent("state"), config: config.path)
    }

    /// Uploads one photo, asks for its bundle, and returns the delivered message's outbox URL
    /// and id and the presigned GET link it carries.
    static func bundle(_ server: ServerProcess, token: String) async throws -> (messagePath: String, id: String, link: String) {
        let photo = try #require(ServeTests.photos.first)
        _ = try await server.upload(Data(contentsOf: photo), fileName: photo.lastPathComponent, token: token)
        try await server.waitForAnalysis(token: token)
        let label = try #require(try await server.labelCounts(token: token).keys.sorted().first)
        #expect(
            try await server.api("POST", "/api/download", token: token, json: ["labels": [label], "email": "range@example.com"]).status
                == 202)
        var newest: [String: String]?
        let deadline = Date().addingTimeInterval(600)
        while newest == nil, Date() < deadline {
            newest = (try await server.api("GET", "/api/outbox", token: token).json?["messages"] as? [[String: String]])?.first
            if newest == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let messagePath = try #require(newest?["url"])
        let id = try #require(newest?["id"])
        let message = try await HTTP.request("GET", server.base + messagePath, headers: ["Authorization": "Bearer \(token)"])
        #expect(message.status == 200)
        let link = try #require(message.text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("\(server.base)/pam-working/") })
        return (messagePath, id, String(link))
    }

    /// `path?query` of a URL, for a request line.
    static func target(_ url: String) throws -> String {
        let components = try #require(URLComponents(string: url))
        return components.percentEncodedPath + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
    }

    /// One request on a raw connection (`Connection: close`), and the answer.
    static func raw(_ server: ServerProcess, _ head: String) async throws -> RawAnswer {
        let connection = try RawConnection(port: server.port)
        connection.send(head + "Host: 127.0.0.1:\(server.port)\r\nConnection: close\r\n\r\n")
        let (data, closed) = await connection.readUntilClosed(timeout: 60)
        #expect(closed)
        return try #require(RawAnswer(data), "\(String(decoding: data, as: UTF8.self))")
    }

    @Test("ranges past Int64 are clamped and the server lives; 416 says the size; other units, several ranges, repeats are ignored")
    func ranges() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let token = try await server.signIn()
        let (_, _, link) = try await Self.bundle(server, token: token)
        let whole = try await HTTP.request("GET", link)
        try #require(whole.status == 200 && whole.body.count > 100)
        let size = whole.body.count

        for header in ["bytes=0-9223372036854775807", "bytes=0-99999999999999999999999", "bytes=0-"] {
            let answer = try await HTTP.request("GET", link, headers: ["Range": header])
            #expect(answer.status == 206 && answer.body == whole.body, "\(header)")
            #expect(answer.headers["Content-Range"] == "bytes 0-\(size - 1)/\(size)", "\(header)")
            let head = try await HTTP.request("HEAD", link, headers: ["Range": header])
            #expect(head.status == 206 && head.headers["Content-Length"] == "\(size)" && head.body.isEmpty, "\(header)")
            #expect(try await server.api("GET", "/api/status", token: token).status == 200, "the server died on \(header)")
        }
        let tail = try await HTTP.request("GET", link, headers: ["Range": "bytes=-9223372036854775807"])
        #expect(tail.status == 206 && tail.body == whole.body)
        let last = try await HTTP.request("GET", link, headers: ["Range": "bytes=\(size - 10)-9223372036854775807"])
        #expect(
            last.status == 206 && last.body == whole.body.suffix(10)
                && last.headers["Content-Range"] == "bytes \(size - 10)-\(size - 1)/\(size)")

        // Past the end: 416 with the size, on GET and HEAD.
        for header in ["bytes=\(size)-", "bytes=9223372036854775807-", "bytes=-0"] {
            let answer = try await HTTP.request("GET", link, headers: ["Range": header])
            #expect(answer.status == 416 && answer.headers["Content-Range"] == "bytes */\(size)", "\(header)")
            #expect(answer.text.contains("<Code>InvalidRange</Code>"))
            let head = try await HTTP.request("HEAD", link, headers: ["Range": header])
            #expect(head.status == 416 && head.headers["Content-Range"] == "bytes */\(size)", "\(header)")
        }

        // Ignored: another unit, several ranges, an invalid range; the whole body.
        for header in ["items=0-5", "bytes=0-1,4-5", "bytes=5-2", "bytes=abc"] {
            let answer = try await HTTP.request("GET", link, headers: ["Range": header])
            #expect(answer.status == 200 && answer.body == whole.body && answer.headers["Content-Range"] == nil, "\(header)")
        }
        // A repeated Range header (URLSession folds repeats, so a raw request).
        let repeated = try await Self.raw(server, "GET \(try Self.target(link)) HTTP/1.1\r\nRange: bytes=0-1\r\nRange: bytes=2-3\r\n")
        #expect(repeated.status == 200 && repeated.body == whole.body && repeated.headers["content-range"] == nil)

        #expect(try await server.api("GET", "/api/status", token: token).status == 200)
        #expect(try await server.stop() == 0)
    }

    @Test("HEAD answers like GET without a body; other methods on known paths get 405 with Allow")
    func methods() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let token = try await server.signIn()

        let get = try await server.api("GET", "/api/labels", token: token)
        let head = try await server.api("HEAD", "/api/labels", token: token)
        #expect(get.status == 200 && head.status == 200 && head.body.isEmpty)
        #expect(head.headers["Content-Length"] == "\(get.body.count)" && head.headers["Content-Type"] == "application/json")
        #expect(head.headers["Access-Control-Allow-Origin"] == "*")
        #expect(try await server.api("HEAD", "/api/labels", token: nil).status == 401)
        #expect(try await server.api("HEAD", "/api/status", token: token).status == 200)

        for (method, path, allow) in [
            ("DELETE", "/api/labels", "GET, HEAD, OPTIONS"), ("POST", "/api/labels", "GET, HEAD, OPTIONS"),
            ("GET", "/api/upload", "OPTIONS, PUT"), ("PUT", "/api/download", "OPTIONS, POST"),
            ("DELETE", "/oauth2/authorize", "GET, HEAD, OPTIONS, POST"), ("POST", "/logout", "GET, HEAD, OPTIONS"),
        ] {
            let answer = try await server.api(method, path, token: token)
            #expect(answer.status == 405, "\(method) \(path)")
            #expect(answer.headers["Allow"] == allow, "\(method) \(path)")
            #expect(answer.json?["message"] != nil, "\(method) \(path)")
        }
        let object = try await HTTP.request("DELETE", "\(server.base)/pam-storage/some.jpg")
        #expect(object.status == 405 && object.headers["Allow"] == "GET, HEAD, OPTIONS, PUT")
        #expect(object.text.contains("<Code>MethodNotAllowed</Code>"))
        #expect(try await HTTP.request("DELETE", "\(server.base)/no-such-path").status == 404)
        #expect(try await HTTP.request("GET", "\(server.base)/no-such-path").status == 404)
        #expect(try await server.api("GET", "/api/labels", token: token).status == 200)
        try await server.stop()
    }

    @Test("tokens go only to the exact callback URLs: hostile, other-port and other-path redirects get 400 and no form")
    func redirects() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let hostile = [
            "http://evil.example\\@127.0.0.1/", "http://127.0.0.2:39999\\@127.0.0.1/", "http://evil.example\\@127.0.0.1:\(server.port)/",
            "http://127.0.0.1:\(server.port + 1)/", "http://127.0.0.1:\(server.port)/other", "http://127.0.0.1/",
            "http://evil.example/",
        ]
        for redirect in hostile {
            let query = "response_type=token&client_id=pam-local-client&redirect_uri=\(HTTP.formEncode(redirect))"
            let page = try await HTTP.request("GET", "\(server.base)/oauth2/authorize?\(query)")
            #expect(page.status == 400 && !page.text.contains("password") && page.headers["Location"] == nil, "\(redirect)")
            // Even the right password does not send a token there.
            let form = "username=photographer&password=offline-photos&\(query)"
            let post = try await HTTP.request(
                "POST", "\(server.base)/oauth2/authorize", body: Data(form.utf8),
                headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(post.status == 400 && post.headers["Location"] == nil && !post.text.contains("id_token"), "\(redirect)")
            let logout = try await HTTP.request(
                "GET", "\(server.base)/logout?client_id=pam-local-client&logout_uri=\(HTTP.formEncode(redirect))")
            #expect(logout.status == 400 && logout.headers["Location"] == nil, "\(redirect)")
        }
        // The page's own URLs work, under both loopback names.
        _ = try await server.signIn()
        let local = "http://localhost:\(server.port)/"
        let page = try await HTTP.request(
            "GET", "\(server.base)/oauth2/authorize?response_type=token&client_id=pam-local-client&redirect_uri=\(HTTP.formEncode(local))")
        #expect(page.status == 200 && page.text.contains("name=\"password\""))
        let logout = try await HTTP.request(
            "GET", "\(server.base)/logout?client_id=pam-local-client&logout_uri=\(HTTP.formEncode("\(server.base)/"))")
        #expect(logout.status == 302 && logout.headers["Location"] == "\(server.base)/")
        try await server.stop()
    }

    @Test("configured callback and sign-out URLs replace the defaults")
    func configuredRedirects() async throws {
        let server = try Self.server(["callbackURLs": ["https://app.example/callback"], "logoutURLs": ["https://app.example/bye"]])
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let query = "response_type=token&client_id=pam-local-client&redirect_uri=\(HTTP.formEncode("https://app.example/callback"))"
        let form = "username=photographer&password=offline-photos&\(query)"
        let post = try await HTTP.request(
            "POST", "\(server.base)/oauth2/authorize", body: Data(form.utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(post.status == 302 && post.headers["Location"]?.hasPrefix("https://app.example/callback#id_token=") == true)
        await #expect(throws: (any Error).self) { _ = try await server.signIn() } // the page's URL is not listed any more
        let bye = try await HTTP.request(
            "GET", "\(server.base)/logout?client_id=pam-local-client&logout_uri=\(HTTP.formEncode("https://app.example/bye"))")
        #expect(bye.status == 302 && bye.headers["Location"] == "https://app.example/bye")
        try await server.stop()
    }

    @Test("callback or sign-out URL lists that are empty or not absolute http(s) URLs stop pam serve at start")
    func invalidRedirectConfiguration() async throws {
        for settings: [String: Any] in [
            ["callbackURLs": [String]()], ["logoutURLs": ["/relative"]], ["callbackURLs": ["http://127.0.0.1:8080/#x"]],
        ] {
            let server = try Self.server(settings)
            defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
            await #expect(throws: (any Error).self) { try await server.start() }
            #expect(server.log().contains("URLs' must list absolute http(s) URLs"), "\(server.log())")
        }
    }

    @Test("after 5 wrong passwords the right one gets 429 'Password attempts exceeded' and no token")
    func throttling() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let token = try await server.signIn()
        let query = "response_type=token&client_id=pam-local-client&redirect_uri=\(HTTP.formEncode("\(server.base)/"))"
        func attempt(_ password: String) async throws -> HTTP.Response {
            try await HTTP.request(
                "POST", "\(server.base)/oauth2/authorize", body: Data("username=photographer&password=\(password)&\(query)".utf8),
                headers: ["Content-Type": "application/x-www-form-urlencoded"])
        }
        for index in 0..<5 { #expect(try await attempt("wrong-\(index)").status == 401) }
        let locked = try await attempt("offline-photos")
        #expect(locked.status == 429 && locked.headers["Location"] == nil && !locked.text.contains("id_token"))
        #expect(locked.text.contains("Password attempts exceeded"))
        #expect(Int(locked.headers["Retry-After"] ?? "") ?? 0 > 0)
        // Tokens already issued still work.
        #expect(try await server.api("GET", "/api/labels", token: token).status == 200)
        try await server.stop()
    }

    @Test("a page on another site cannot post the sign-in form, so its guesses cannot lock the user out")
    func crossSiteSignIn() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let query = "response_type=token&client_id=pam-local-client&redirect_uri=\(HTTP.formEncode("\(server.base)/"))"
        func attempt(_ password: String, from site: String) async throws -> HTTP.Response {
            try await HTTP.request(
                "POST", "\(server.base)/oauth2/authorize", body: Data("username=photographer&password=\(password)&\(query)".utf8),
                headers: ["Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": site])
        }
        // More wrong guesses than the per-user and global limits, as a hostile page's fetch() sends them.
        for index in 0..<25 {
            let refused = try await attempt("wrong-\(index)", from: index.isMultiple(of: 2) ? "cross-site" : "same-site")
            #expect(refused.status == 403 && refused.headers["Location"] == nil)
        }
        // The cross-site right password gets nothing either; the user's own page still signs in.
        #expect(try await attempt("offline-photos", from: "cross-site").status == 403)
        let own = try await attempt("offline-photos", from: "same-origin")
        #expect(own.status == 302 && (own.headers["Location"] ?? "").contains("id_token="))
        try await server.stop()
    }

    @Test("the outbox needs the token, and message ids stay out of the log")
    func outboxNeedsToken() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let token = try await server.signIn()
        let (messagePath, id, _) = try await Self.bundle(server, token: token)
        let anonymous = try await HTTP.request("GET", server.base + messagePath)
        #expect(anonymous.status == 401 && !anonymous.text.contains("range@example.com") && !anonymous.text.contains("pam-working"))
        #expect(try await HTTP.request("GET", server.base + messagePath, headers: ["Authorization": "Bearer not-a-token"]).status == 401)
        #expect(try await HTTP.request("HEAD", server.base + messagePath).status == 401)
        #expect(try await server.api("GET", "/api/outbox", token: nil).status == 401)
        let signedIn = try await HTTP.request("GET", server.base + messagePath, headers: ["Authorization": "Bearer \(token)"])
        #expect(signedIn.status == 200 && signedIn.text.contains("To: <range@example.com>"))
        try await server.stop()
        let log = server.log()
        #expect(log.contains("bundle delivered") && log.contains("GET /outbox/{id} 200"))
        #expect(!log.contains(id), "the message id is in the log")
    }

    @Test("past maxConnections a new connection waits unanswered in the backlog, and is answered once one closes")
    func connectionCap() async throws {
        let server = try Self.server(["maxConnections": 8])
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        // Connections opened one after another, each kept alive after its answer, take the slots
        // (the start-up check's kept-alive one may hold one too); the first one past the cap waits.
        var holders: [RawConnection] = []
        var waiting: RawConnection?
        for _ in 0..<10 {
            let connection = try RawConnection(port: server.port)
            connection.send("GET /config.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            if (try? await connection.response(timeout: 5)) != nil {
                holders.append(connection)
            } else {
                waiting = connection
                break
            }
        }
        #expect((7...8).contains(holders.count), "\(holders.count) connections answered with a cap of 8")
        let pending = try #require(waiting, "every connection was answered")
        for holder in holders { holder.close() }
        let answer = try await pending.response(timeout: 60)
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        try await server.stop()
    }

    @Test("a client that stops mid-header is disconnected after the idle time-out; an early 413 closes the connection")
    func timeOuts() async throws {
        let server = try Self.server(["idleTimeoutSeconds": 1])
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let token = try await server.signIn()

        // Half a request header, then silence.
        let slow = try RawConnection(port: server.port)
        slow.send("GET /api/labels HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bea")
        let (nothing, closed) = await slow.readUntilClosed(timeout: 60)
        #expect(closed && nothing.isEmpty, "the server kept a silent half-open request")

        // A kept-alive connection that goes quiet after an answer.
        let idle = try RawConnection(port: server.port)
        idle.send("GET /config.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let (answer, idleClosed) = await idle.readUntilClosed(timeout: 60)
        #expect(idleClosed && RawAnswer(answer)?.status == 200)

        // An upload over the limit, announced by Content-Length, from a client that keeps sending:
        // the 413 says Connection: close and the server hangs up instead of draining the body.
        let upload = try #require(
            try await server.api("PUT", "/api/upload", token: token, json: ["file_name": "big.jpg"]).json?["url"] as? String)
        let big = try RawConnection(port: server.port)
        big.send(
            "PUT \(try Self.target(upload)) HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nContent-Type: image/jpeg\r\nContent-Length: \(30 << 20)\r\n\r\n"
        )
        let sender = big.keepSending(Data(count: 16 << 10), every: 0.05, until: Date().addingTimeInterval(60))
        let (refusal, refusedClosed) = await big.readUntilClosed(timeout: 60)
        await sender.value
        let refused = try #require(RawAnswer(refusal), "\(String(decoding: refusal, as: UTF8.self))")
        #expect(refused.status == 413 && refused.headers["connection"]?.lowercased() == "close")
        #expect(refusedClosed, "the server kept reading the refused body")
        #expect(try await ServeTests.storedObjects(server, bucket: "pam-storage").isEmpty)
        // The API's 413 (a JSON body over 64 KiB) hangs up too.
        let huge = try await server.api("POST", "/api/download", token: token, json: ["labels": [String(repeating: "x", count: 100_000)]])
        #expect(huge.status == 413 && huge.headers["Connection"]?.lowercased() == "close")

        // And the server still answers.
        #expect(try await server.api("GET", "/api/labels", token: token).status == 200)
        try await server.stop()
    }

    @Test("clients that trickle a request head or body are disconnected on both listeners; full-speed requests are not")
    func slowRequests() async throws {
        // A body gets 2 s plus one second per 1,000 bytes; a head must be whole within the idle 3 s.
        let server = try Self.server(["idleTimeoutSeconds": 3, "requestTimeoutSeconds": 2, "minimumRequestBytesPerSecond": 1000])
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        let token = try await server.signIn()
        // A byte every 0.1 s: the idle time-out never fires, and 10 bytes/s is far below the rate.
        let trickle = Data("a".utf8)

        // A presigned upload whose body trickles.
        let upload = try #require(
            try await server.api("PUT", "/api/upload", token: token, json: ["file_name": "slow.jpg"]).json?["url"] as? String)
        let body = try RawConnection(port: server.port)
        body.send(
            "PUT \(try Self.target(upload)) HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n"
        )
        let bodySender = body.keepSending(trickle, every: 0.1, until: Date().addingTimeInterval(90))
        // A request head that trickles, on the API listener and on the AWS endpoint's (the idle
        // time-out sees whole heads only, so these go after 3 s).
        let head = try RawConnection(port: server.port)
        head.send("GET /config.json HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        let headSender = head.keepSending(trickle, every: 0.1, until: Date().addingTimeInterval(90))
        let awsHead = try RawConnection(port: server.awsPort)
        awsHead.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        let awsHeadSender = awsHead.keepSending(trickle, every: 0.1, until: Date().addingTimeInterval(90))
        // An (unsigned) PutObject whose body trickles: its refusal may come first, the body's deadline still holds.
        let awsBody = try RawConnection(port: server.awsPort)
        awsBody.send("PUT /pam-storage/slow.jpg HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n")
        let awsBodySender = awsBody.keepSending(trickle, every: 0.1, until: Date().addingTimeInterval(90))

        for (name, connection) in [("upload body", body), ("head", head), ("AWS head", awsHead), ("AWS body", awsBody)] {
            let (answer, closed) = await connection.readUntilClosed(timeout: 60)
            #expect(closed, "the trickled \(name) kept its connection for 60 s")
            if name != "AWS body" { #expect(answer.isEmpty, "\(name): \(String(decoding: answer, as: UTF8.self))") }
        }
        for sender in [bodySender, headSender, awsHeadSender, awsBodySender] { await sender.value }
        #expect(try await ServeTests.storedObjects(server, bucket: "pam-storage").isEmpty)
        #expect(server.log().components(separatedBy: "request body too slow").count == 3, "\(server.log())")

        // A photo sent at full speed is stored as usual, and kept-alive connections keep working.
        let photo = try #require(ServeTests.photos.first)
        _ = try await server.upload(Data(contentsOf: photo), fileName: photo.lastPathComponent, token: token)
        try await server.waitForAnalysis(token: token)
        let kept = try RawConnection(port: server.port)
        for _ in 0..<3 {
            kept.send("GET /config.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try await kept.response(timeout: 60).hasPrefix("HTTP/1.1 200"))
        }
        try await server.stop()
    }

    @Test("a body that keeps trickling after its refusal (Connection: close) is cut off too, though the server no longer reads it")
    func refusedSlowBody() async throws {
        // An idle time-out far beyond the test's patience: only the body's deadline can end it.
        let server = try Self.server(["idleTimeoutSeconds": 300, "requestTimeoutSeconds": 2, "minimumRequestBytesPerSecond": 1000])
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        try await server.start()
        // Unsigned, so refused (403) at once; after the answer Hummingbird waits for the close and
        // reads no more, so the server is not reading while the client keeps sending.
        let connection = try RawConnection(port: server.awsPort)
        connection.send("PUT /pam-storage/slow.jpg HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 100000\r\n\r\n")
        let started = Date()
        // Sends fail once the server has closed its side for good.
        await connection.keepSending(Data("a".utf8), every: 0.05, until: started.addingTimeInterval(120)).value
        #expect(Date().timeIntervalSince(started) < 100, "the server held the refused, trickling request for 100 s")
        #expect(server.log().contains("request body too slow"), "\(server.log())")
        try await server.stop()
    }
}
