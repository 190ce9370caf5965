import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PAMCore
import PAMSigV4

/// Sends signed requests to AWS services: signs each attempt, retries what is retryable, turns
/// error answers into `AWSServiceError`. The adapters build requests; this type owns the wire.
public struct AWSClient: Sendable {
    /// One request, before signing.
    public struct Request: Sendable {
        public var service: AWSService
        /// The API action, for errors and logs.
        public var operation: String
        public var method: String
        /// The decoded path under the endpoint, starting with `/`.
        public var path: String
        public var query: [SigV4Request.Field]
        public var headers: [SigV4Request.Field]
        public var body: Data
        /// Whether to sign the body's hash (S3 may send `UNSIGNED-PAYLOAD` instead).
        public var signBody: Bool
        /// A host to use instead of the endpoint's (S3 virtual-hosted buckets).
        public var host: String?

        public init(
            service: AWSService, operation: String, method: String, path: String = "/", query: [SigV4Request.Field] = [],
            headers: [SigV4Request.Field] = [], body: Data = Data(), signBody: Bool = true, host: String? = nil
        ) {
            self.service = service
            self.operation = operation
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
            self.signBody = signBody
            self.host = host
        }
    }

    /// A buffered answer with a 2xx status.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data

        /// The first header named `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            let lower = name.lowercased()
            return headers.first { $0.0.lowercased() == lower }?.1
        }
    }

    public let configuration: AWSConfiguration
    public let retry: AWSRetryPolicy
    /// The deadline of one attempt of a buffered request.
    public let requestTimeout: Duration
    let http: HTTPClient
    /// The signing time of requests and presigned URLs.
    let clock: any WallClock
    let logger: Logger

    /// A client over the process-wide HTTP client (connect timeout 10 s, read timeout 60 s).
    public init(
        configuration: AWSConfiguration, retry: AWSRetryPolicy = .default, requestTimeout: Duration = .seconds(30),
        clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "pam.aws")
    ) {
        self.init(
            configuration: configuration, http: AWSHTTP.shared, retry: retry, requestTimeout: requestTimeout, clock: clock,
            logger: logger)
    }

    init(
        configuration: AWSConfiguration, http: HTTPClient, retry: AWSRetryPolicy, requestTimeout: Duration,
        clock: any WallClock, logger: Logger
    ) {
        self.configuration = configuration
        self.http = http
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.clock = clock
        self.logger = logger
    }

    /// The signer for `service` with the configured credentials and region.
    public func signer(for service: AWSService) -> SigV4Signer {
        SigV4Signer(
            credentials: configuration.credentials, region: configuration.region, service: service.signingName, rules: service.signingRules)
    }

    /// Sends `request`, retrying per the policy, and returns the whole answer; non-2xx answers throw
    /// `AWSServiceError`, unreachable services `AWSTransportError`.
    public func send(_ request: Request, bodyLimit: Int = 64 << 20) async throws -> Response {
        try await withRetries(request) {
            // The whole attempt, head and body, is bounded by our own deadline: the HTTP client's
            // deadline alone did not always fire while waiting for a slow head.
            let (response, body) = try await Self.withDeadline(requestTimeout, request: request) {
                let response = try await execute(request, timeout: requestTimeout)
                return (response, try await collect(response, limit: bodyLimit, request: request))
            }
            let headers = response.headers.map { ($0.name, $0.value) }
            guard (200..<300).contains(Int(response.status.code)) else {
                throw AWSServiceError.parse(
                    service: request.service, operation: request.operation, status: Int(response.status.code),
                    headers: headers, body: body)
            }
            return Response(status: Int(response.status.code), headers: headers, body: body)
        }
    }

    /// Sends `request` and returns the answer's head and its body as a stream, once a 2xx head has
    /// arrived (attempts before that are retried). `timeout` bounds the whole transfer.
    public func stream(_ request: Request, timeout: Duration = .seconds(3600)) async throws -> (Response, ByteStream) {
        try await withRetries(request) {
            let response = try await execute(request, timeout: timeout)
            let headers = response.headers.map { ($0.name, $0.value) }
            guard (200..<300).contains(Int(response.status.code)) else {
                let body = try await collect(response, limit: 1 << 20, request: request)
                throw AWSServiceError.parse(
                    service: request.service, operation: request.operation, status: Int(response.status.code),
                    headers: headers, body: body)
            }
            let length = response.headers.first(name: "content-length").flatMap { Int64($0) }
            let iterator = BodyIterator(response.body.makeAsyncIterator(), service: request.service, operation: request.operation)
            let stream = ByteStream(count: length) { try await iterator.next() }
            return (Response(status: Int(response.status.code), headers: headers, body: Data()), stream)
        }
    }

    /// The URL of `request` presigned for `expires` seconds: the signature is in the query.
    public func presignedURL(_ request: Request, expires: Int) throws -> URL {
        let target = try self.target(of: request)
        var signing = SigV4Request(
            method: request.method, path: target.signingPath, query: request.query,
            headers: [SigV4Request.Field("host", target.hostHeader)] + request.headers, payload: .unsigned)
        if request.service != .s3 { signing.payload = .empty }
        let presigned = signer(for: request.service).presign(signing, date: clock.now(), expires: expires)
        guard
            let url = URL(
                string: target.base + AWSPercentEncoding.encode(target.signingPath, keepSlash: true) + "?" + presigned.encodedQuery)
        else {
            throw PAMError(.invalidArgument, "could not build a presigned URL for \(request.service.rawValue) \(request.operation)")
        }
        return url
    }

    // MARK: - Internals

    private func withRetries<T>(_ request: Request, _ attempt: () async throws -> T) async throws -> T {
        var attemptNumber = 1
        while true {
            do {
                return try await attempt()
            } catch {
                let failure = Self.classify(error, request: request)
                guard attemptNumber < retry.maxAttempts, retry.isRetryable(failure) else { throw failure }
                let delay = retry.delay(beforeRetry: attemptNumber)
                logger.debug(
                    "retrying AWS request",
                    metadata: [
                        "service": "\(request.service.rawValue)", "operation": "\(request.operation)",
                        "attempt": "\(attemptNumber)", "delay": "\(delay)", "error": "\(failure)",
                    ])
                try await Task.sleep(for: delay)
                attemptNumber += 1
            }
        }
    }

    private static func classify(_ error: any Error, request: Request) -> any Error {
        switch error {
        case is AWSServiceError, is CancellationError, is PAMError, is AWSTransportError: error
        default: AWSTransportError(service: request.service, operation: request.operation, underlying: SendableErrorBox(error))
        }
    }

    private struct Target {
        /// `scheme://host[:port]` plus the endpoint's own path, without a trailing slash.
        var base: String
        var hostHeader: String
        /// The decoded path as signed and sent (the endpoint's path prefix included).
        var signingPath: String
    }

    private func target(of request: Request) throws -> Target {
        let endpoint = configuration.endpoint(for: request.service)
        guard let components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(), let endpointHost = components.host
        else {
            throw PAMError(.invalidArgument, "the \(request.service.rawValue) endpoint \(endpoint) has no host")
        }
        let host = request.host ?? endpointHost
        let defaultPort = scheme == "https" ? 443 : 80
        let hostHeader = components.port.map { $0 == defaultPort ? host : "\(host):\($0)" } ?? host
        var prefix = components.percentEncodedPath
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return Target(
            base: "\(scheme)://\(hostHeader)", hostHeader: hostHeader,
            signingPath: AWSPercentEncoding.decode(prefix) + request.path)
    }

    /// Runs `body`, or throws a transport error once `timeout` has passed. On time-out `body` is
    /// cancelled but not waited for, so a peer that never answers cannot hold the caller.
    ///
    /// The clock runs on a thread of its own (`deadlines`), from the moment of the call. A timer in
    /// a task would only start once Swift's few cooperative threads got round to it: on a busy
    /// machine that was after the peer's late answer had come in, so a 1 s deadline let a 30 s
    /// answer through (AsyncHTTPClient's own deadline also acts through a task, and did the same).
    static func withDeadline<T: Sendable>(_ timeout: Duration, request: Request, _ body: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        let race = DeadlineRace<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation)
                let work = Task {
                    do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
                }
                race.onCancel { work.cancel() }
                // Once the work has finished, this finds the race decided and does nothing. It holds
                // only the error, not the request: a request's body (an 8 MiB part) would otherwise
                // stay in memory for the whole timeout after its answer.
                let timedOut = AWSTransportError(
                    service: request.service, operation: request.operation, underlying: SendableErrorBox(AWSTimeout(timeout: timeout)))
                deadlines.asyncAfter(deadline: .now() + .nanoseconds(Self.nanoseconds(timeout))) { race.expire(with: timedOut) }
            }
        } onCancel: {
            race.cancel()
        }
    }

    /// `timeout` in whole nanoseconds, at least a millisecond.
    private static func nanoseconds(_ timeout: Duration) -> Int {
        let (seconds, attoseconds) = timeout.components
        return Int(max(1_000_000, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
    }

    /// Where deadlines fire: a serial queue, which gets a thread even while every thread of Swift's
    /// cooperative pool is busy.
    private static let deadlines = DispatchQueue(label: "pam.aws.deadlines")

    private func execute(_ request: Request, timeout: Duration) async throws -> HTTPClientResponse {
        let target = try self.target(of: request)
        let payload: SigV4Request.Payload = request.signBody ? .data(request.body) : .unsigned
        let signing = SigV4Request(
            method: request.method, path: target.signingPath, query: request.query,
            headers: [SigV4Request.Field("host", target.hostHeader)] + request.headers, payload: payload)
        let signed = signer(for: request.service).sign(signing, date: clock.now())
        let query = request.query.isEmpty ? "" : "?" + SigV4Signer.canonicalQuery(request.query)
        var http = HTTPClientRequest(url: target.base + AWSPercentEncoding.encode(target.signingPath, keepSlash: true) + query)
        http.method = .init(rawValue: request.method)
        for header in signing.headers + signed.headers { http.headers.add(name: header.name, value: header.value) }
        if !request.body.isEmpty || ["PUT", "POST"].contains(request.method) {
            http.body = .bytes(ByteBuffer(bytes: request.body))
        }
        return try await self.http.execute(http, timeout: .nanoseconds(Int64(Self.nanoseconds(timeout))), logger: logger)
    }

    private func collect(_ response: HTTPClientResponse, limit: Int, request: Request) async throws -> Data {
        let buffer = try await response.body.collect(upTo: limit)
        return Data(buffer.readableBytesView)
    }
}

/// The process-wide HTTP client: created once, never shut down (it lives as long as the process).
enum AWSHTTP {
    static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}

/// Hands a response body out chunk by chunk to one consumer.
private final class BodyIterator: @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private let service: AWSService
    private let operation: String
    private let lock = NSLock()

    init(_ iterator: HTTPClientResponse.Body.AsyncIterator, service: AWSService, operation: String) {
        self.iterator = iterator
        self.service = service
        self.operation = operation
    }

    /// A ByteStream is consumed by one task at a time, so the iterator is never used concurrently.
    func next() async throws -> Data? {
        var local = lock.withLock { iterator }
        do {
            let chunk = try await local.next()
            lock.withLock { iterator = local }
            return chunk.map { Data($0.readableBytesView) }
        } catch {
            throw AWSTransportError(service: service, operation: operation, underlying: SendableErrorBox(error))
        }
    }
}

/// Carries an error of unknown sendability as text plus the original's type name.
struct SendableErrorBox: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ error: any Error) { description = "\(type(of: error)): \(error)" }
}

/// An attempt that outlived its deadline.
struct AWSTimeout: Error, CustomStringConvertible {
    var timeout: Duration
    var description: String { "no complete answer within \(timeout)" }
}

/// The first of the work and the timer to finish resumes the caller; the other is ignored.
final class DeadlineRace<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var cancelWork: (@Sendable () -> Void)?
    private var cancelled = false

    func start(_ continuation: CheckedContinuation<T, any Error>) { lock.withLock { self.continuation = continuation } }

    func onCancel(_ cancel: @escaping @Sendable () -> Void) {
        let cancelNow = lock.withLock { () -> Bool in
            cancelWork = cancel
            return cancelled
        }
        if cancelNow { cancel() }
    }

    /// Resumes the caller with `result` if nobody did yet; true when this call did.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let waiting = lock.withLock { () -> CheckedContinuation<T, any Error>? in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(with: result)
        return waiting != nil
    }

    /// Resumes the caller with `error` if the work has not finished yet, and cancels the work.
    func expire(with error: any Error) {
        guard finish(.failure(error)) else { return }
        lock.withLock { cancelWork }?()
    }

    func cancel() {
        let cancel = lock.withLock { () -> (@Sendable () -> Void)? in
            cancelled = true
            return cancelWork
        }
        cancel?()
        finish(.failure(CancellationError()))
    }
}
