import Foundation
import PAMCore

/// Checks requests made with the local buckets' presigned URLs (the object endpoint).
public protocol PresignedRequestVerifier: Sendable {
    /// Throws `.invalidSignature` or `.expired` unless the query's expiry and signature grant
    /// `method` on `ref` (and, for PUT, the request's content type).
    func verify(_ method: PresignMethod, _ ref: ObjectRef, expires: String?, signature: String?, contentType: String?) throws
}

/// Delivered messages, for the web page's dev convenience link ("see the message").
public protocol OutboxReader: Sendable {
    /// The newest messages' ids and channels ("email", "sms"), newest first.
    func recent(limit: Int) throws -> [(id: String, channel: String)]
    /// The message with this id: its bytes and media type, or nil.
    func message(id: String) throws -> (data: Data, contentType: String)?
}

/// Everything the server needs, built by the wiring (`pam serve`).
public struct ServerDependencies: Sendable {
    public var config: PipelineConfig
    public var store: any ObjectStore
    public var table: any LabelTable
    public var analysis: AnalysisService
    public var download: DownloadService
    public var lifecycle: LifecycleService
    /// Verifies bearer tokens: the local sign-in, or a real Cognito user pool.
    public var tokens: any TokenVerifier
    /// The local sign-in (hosted UI, JWKS); nil when a real user pool signs users in.
    public var identity: (any SignInProvider)?
    /// The object endpoint for local buckets; nil when the buckets are on S3.
    public var presigned: (any PresignedRequestVerifier)?
    /// Refuses photo uploads that are not decodable JPEGs within the size limits; gets the
    /// uploaded bytes (the store's mapping of the spooled file), before the object is stored. Answers the labels found in
    /// the same decode when the analysis' labeler labels bytes (`AnalysisService.labels(ofPhoto:)`),
    /// handed to that upload's analysis for the version stored; nil when it only checked.
    public var checkPhoto: @Sendable (Data) async throws -> [DetectedLabel]?
    public var outbox: (any OutboxReader)?
    /// Where uploads are streamed to before they are checked and stored (the state's `tmp/`).
    public var uploadFolder: URL
    /// The time signatures are checked against (the AWS endpoint's SigV4).
    public var clock: any WallClock
    /// Multipart uploads into the local buckets, for the AWS endpoint; nil: its multipart operations answer 501.
    public var multipart: (any MultipartUploads)?
    /// The local buckets and their configurations, which the AWS endpoint serves; nil when the
    /// buckets are on S3 (no AWS endpoint then).
    public var buckets: (any BucketCatalog)?
    /// The tables the AWS endpoint's DynamoDB serves; nil: DynamoDB requests go to S3's 501.
    public var items: (any ItemStore)?
    /// The AWS endpoint's Rekognition: labels its buckets' photos and images sent in requests; nil: no Rekognition there.
    public var imageLabeler: (any ImageLabeler)?
    /// The AWS endpoint's SNS topics and subscriptions; nil (or no `topicNotifier`): no SNS there.
    public var topics: (any TopicRegistry)?
    /// Where the AWS endpoint's SNS delivers published messages (the app's outbox).
    public var topicNotifier: (any Notifier)?

    public init(
        config: PipelineConfig, store: any ObjectStore, table: any LabelTable, analysis: AnalysisService,
        download: DownloadService, lifecycle: LifecycleService, tokens: any TokenVerifier,
        identity: (any SignInProvider)?, presigned: (any PresignedRequestVerifier)?,
        checkPhoto: @escaping @Sendable (Data) async throws -> [DetectedLabel]?, outbox: (any OutboxReader)?,
        uploadFolder: URL = FileManager.default.temporaryDirectory, clock: any WallClock = SystemClock(),
        multipart: (any MultipartUploads)? = nil,
        buckets: (any BucketCatalog)? = nil, items: (any ItemStore)? = nil,
        imageLabeler: (any ImageLabeler)? = nil, topics: (any TopicRegistry)? = nil, topicNotifier: (any Notifier)? = nil
    ) {
        self.config = config
        self.store = store
        self.table = table
        self.analysis = analysis
        self.download = download
        self.lifecycle = lifecycle
        self.tokens = tokens
        self.identity = identity
        self.presigned = presigned
        self.checkPhoto = checkPhoto
        self.outbox = outbox
        self.uploadFolder = uploadFolder
        self.clock = clock
        self.multipart = multipart
        self.buckets = buckets
        self.items = items
        self.imageLabeler = imageLabeler
        self.topics = topics
        self.topicNotifier = topicNotifier
    }
}

/// How the server listens and what it accepts.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Where the web page comes from; nil: no page, the API and sign-in only.
    public var webPage: WebPageSource?
    /// Largest JSON body the API accepts (413 above).
    public var maxJSONBytes: Int
    /// Largest object a presigned PUT accepts.
    public var maxObjectBytes: Int
    /// Seconds between lifecycle passes.
    public var lifecycleInterval: TimeInterval
    /// How long a connection may stay silent before it is closed: while its request header is
    /// arriving (the whole header must come within it), between body chunks, and between requests.
    public var idleTimeout: Duration
    /// How long a request body may take before the bytes received extend it (``minimumRequestRate``
    /// bytes buy a second each); slower clients are disconnected (``RequestDeadline``), so a trickle
    /// of bytes cannot hold a connection for ever.
    public var requestTimeout: Duration = .seconds(20)
    /// Bytes a second of request body that extend ``requestTimeout`` by a second each.
    public var minimumRequestRate = 500
    /// The exact URLs the hosted UI may send tokens to; nil: the web page's own (`SignInURLs`).
    public var callbackURLs: [String]?
    /// The exact URLs `/logout` may redirect to; nil: the web page's own.
    public var logoutURLs: [String]?
    /// The AWS endpoint's listener (`--aws-port`); nil: none.
    public var awsEndpoint: AWSEndpointSettings?
    /// Connections each listener keeps open at most; more wait in the listen backlog until one
    /// closes (`DescriptorBudget`). Nil: no cap.
    public var maxConnections: Int?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, webPage: WebPageSource? = .embedded, maxJSONBytes: Int = 64 << 10,
        maxObjectBytes: Int = 25 << 20, lifecycleInterval: TimeInterval = 3600, idleTimeout: Duration = .seconds(30),
        callbackURLs: [String]? = nil, logoutURLs: [String]? = nil
    ) {
        self.host = host
        self.port = port
        self.webPage = webPage
        self.maxJSONBytes = maxJSONBytes
        self.maxObjectBytes = maxObjectBytes
        self.lifecycleInterval = lifecycleInterval
        self.idleTimeout = idleTimeout
        self.callbackURLs = callbackURLs
        self.logoutURLs = logoutURLs
    }
}
