import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PAMCore
import PAMLocal
import PAMServer
import PAMTestSupport

/// `pam serve`'s application on the local store and label table in a temporary state folder,
/// with in-memory fakes for what a route test must control: tokens, presigned-URL checks, the
/// sign-in user pool, the outbox and the labeler. Requests go to the router in process
/// (`app.test(.router)`); the background services (analysis, bundles) run meanwhile.
struct RouteTestServer: Sendable {
    static let user = UserIdentity(subject: "sub-1", username: "photographer", email: "token.owner@example.com", phone: nil)
    /// The bearer token the fake verifier accepts for `user`.
    static let token = "good-token"

    let root: URL
    let state: StateDirectory
    let config = PipelineConfig(concurrency: 2)
    let store: FileSystemObjectStore
    let table: SQLiteLabelTable
    let outbox: MemoryOutbox
    let logs = CapturedLogs()
    var settings = ServerSettings(webPage: nil, maxJSONBytes: 1024, maxObjectBytes: 4096)
    /// `ServerDependencies.checkPhoto`: refuses what does not start as a JPEG, labels nothing, unless a test sets it.
    var checkPhoto: @Sendable (Data) async throws -> [DetectedLabel]? = { data in
        guard data.starts(with: [0xFF, 0xD8, 0xFF]) else {
            throw PAMError(.invalidImage, "the photo is not a JPEG")
        }
        return nil
    }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pam-routes-\(UUID().uuidString)")
        state = StateDirectory(root)
        try state.create()
        store = try FileSystemObjectStore(
            state: state, buckets: [config.storageBucket, config.workingBucket],
            baseURL: URL(string: "http://127.0.0.1:8080")!)
        table = try SQLiteLabelTable(path: state.itemStore)
        outbox = MemoryOutbox(messages: ["m-1": (Data("To: <someone@example.com>\n\nhello".utf8), "message/rfc822")])
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// The application as `pam serve` builds it, logging into `logs`.
    func application() throws -> some ApplicationProtocol {
        let logs = self.logs
        let logger = logs.logger("pam.serve")
        let labeler = FixedLabeler(labels: ["Lake", "Water"])
        let dependencies = ServerDependencies(
            config: config, store: store, table: table,
            analysis: AnalysisService(store: store, labeler: labeler, table: table, config: config),
            download: DownloadService(store: store, table: table, notifier: try FileDropNotifier(state: state), config: config),
            lifecycle: LifecycleService(store: store, config: config, clock: SystemClock()),
            tokens: FakeTokens(), identity: FakeSignIn(), presigned: FakePresigned(),
            checkPhoto: checkPhoto, outbox: outbox, uploadFolder: state.temporary)
        return PAMServerApplication.make(dependencies, settings: settings, publicBaseURL: nil, logger: logger)
    }

    /// Runs `test` against the application's router, then removes the state folder.
    static func withClient<Value: Sendable>(
        _ configure: (inout RouteTestServer) -> Void = { _ in },
        _ test: @escaping @Sendable (RouteTestServer, any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        var server = try RouteTestServer()
        configure(&server)
        defer { server.remove() }
        let app = try server.application()
        let fixed = server
        return try await app.test(.router) { client in try await test(fixed, client) }
    }
}

/// Accepts `RouteTestServer.token`; "expired-token" is expired; anything else is not signed by
/// this pool, except "foreign-issuer", which is refused as `.foreignIssuer`, as the verifiers refuse a genuine token of another issuer.
struct FakeTokens: TokenVerifier {
    func verify(idToken: String) async throws -> UserIdentity {
        switch idToken {
        case RouteTestServer.token: return RouteTestServer.user
        case "no-email-token": return UserIdentity(subject: "sub-2", username: "nomail", email: nil, phone: nil)
        case "expired-token": throw PAMError(.expired, "the token has expired")
        case "foreign-issuer": throw PAMError(.foreignIssuer, "the token's issuer is not this user pool (http://127.0.0.1:8080)")
        default: throw PAMError(.invalidSignature, "the token's signature does not match")
        }
    }
}

/// Presigned requests with signature "valid" pass (unless `X-Pam-Expires` is "0": expired).
struct FakePresigned: PresignedRequestVerifier {
    func verify(_ method: PresignMethod, _ ref: ObjectRef, expires: String?, signature: String?, contentType: String?) throws {
        guard signature == "valid" else { throw PAMError(.invalidSignature, "the signature does not match", ref: ref) }
        guard expires != "0" else { throw PAMError(.expired, "the URL has expired", ref: ref) }
    }
}

/// A user pool with one user, "photographer" / "right password".
struct FakeSignIn: SignInProvider {
    var clientID: String { "test-client" }
    func checkPassword(username: String, password: String) -> Bool { username == "photographer" && password == "right password" }
    func issueTokens() throws -> (idToken: String, accessToken: String, expiresIn: Int) { ("id.token.x", "access.token.y", 3600) }
    func jwks() throws -> Data { Data(#"{"keys":[]}"#.utf8) }
}

/// Delivered messages kept in memory; the id "broken" fails with an error that is not PAM's.
struct MemoryOutbox: OutboxReader {
    struct ReadFailure: Error {}
    let messages: [String: (data: Data, contentType: String)]

    func recent(limit: Int) throws -> [(id: String, channel: String)] {
        messages.keys.sorted().prefix(limit).map { ($0, "email") }
    }

    func message(id: String) throws -> (data: Data, contentType: String)? {
        if id == "broken" { throw ReadFailure() }
        return messages[id]
    }
}

/// Finds the same labels in every photo.
struct FixedLabeler: Labeler {
    let labels: [String]
    func detectLabels(in ref: ObjectRef, query: LabelQuery) async throws -> [DetectedLabel] {
        labels.map { DetectedLabel(name: $0, confidence: 99) }
    }
}

extension TestResponse {
    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }
    /// The body as a JSON object (nil when it is not one).
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] }
}

extension HTTPFields {
    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
}
