import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PAMCore
import PAMSigV4
import ServiceLifecycle

/// `pam serve`: the reference API, the local buckets' object endpoint, the local sign-in, the web
/// page, and the background work (event-driven analysis, bundles, lifecycle) in one process.
public enum PAMServerApplication {
    /// The application, ready to `runService()`; `onRunning` gets the bound port. `publicBaseURL`
    /// is the base URL links carry (`--base-url`): its root is one of the page's default sign-in URLs.
    public static func make(
        _ dependencies: ServerDependencies, settings: ServerSettings, publicBaseURL: URL?,
        logger: Logger = Logger(label: "pam.serve"), onRunning: @escaping @Sendable (ListeningPorts) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        // Built once and shared by every request.
        let analysisQueue = AnalysisQueue(analysis: dependencies.analysis, concurrency: dependencies.config.concurrency)
        let downloads = DownloadQueue(download: dependencies.download)
        let storageBucket = dependencies.config.storageBucket
        let scheduler = LifecycleScheduler(lifecycle: dependencies.lifecycle, interval: settings.lifecycleInterval) { ref in
            if ref.bucket == storageBucket { await analysisQueue.enqueue(ref) }
        }
        // The sign-in URLs default to the page's own, on the port the server gets (known once it listens).
        let signInURLs = NIOLockedValueBox(
            SignInURLs.resolve(
                callbackURLs: settings.callbackURLs, logoutURLs: settings.logoutURLs, port: settings.port, baseURL: publicBaseURL))

        // HEAD is answered wherever GET is, without the body.
        let router = Router(context: PAMRequestContext.self, options: .autoGenerateHeadEndpoints)
        let objectBuckets: Set<String> =
            dependencies.presigned == nil
            ? [] : [dependencies.config.storageBucket, dependencies.config.workingBucket]
        // Outermost first: the log sees every answer, CORS headers go on errors too.
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: CrossOriginMiddleware(objectBuckets: objectBuckets))
        router.add(middleware: ErrorResponseMiddleware(objectBuckets: objectBuckets, logger: logger))
        // The same middleware for both sources, so content types, HEAD, ranges and 404s are the same.
        switch settings.webPage {
        case .embedded?: router.add(middleware: FileMiddleware(fileProvider: EmbeddedFileProvider.webPage, searchForIndexHtml: true))
        case .folder(let folder)?: router.add(middleware: FileMiddleware(folder, searchForIndexHtml: true, logger: logger))
        case nil: logger.info("no web page; serving the API and sign-in only")
        }
        // The API and the outbox need the bearer token; sign-in and objects have their own checks.
        let signedIn = router.group().add(middleware: BearerAuthenticationMiddleware(tokens: dependencies.tokens))
        APIRoutes(
            labels: LabelsService(table: dependencies.table),
            upload: UploadService(store: dependencies.store, config: dependencies.config),
            table: dependencies.table, analysisQueue: analysisQueue, downloads: downloads, maxJSONBytes: settings.maxJSONBytes
        )
        .register(on: signedIn)
        if let outbox = dependencies.outbox {
            OutboxRoutes(outbox: outbox).register(on: signedIn)
        }
        if let presigned = dependencies.presigned {
            ObjectRoutes(
                store: dependencies.store, storageBucket: dependencies.config.storageBucket,
                workingBucket: dependencies.config.workingBucket, presigned: presigned, analysisQueue: analysisQueue,
                checkPhoto: dependencies.checkPhoto,
                spool: UploadSpool(folder: dependencies.uploadFolder),
                maxObjectBytes: settings.maxObjectBytes
            )
            .register(on: router)
        }
        if let identity = dependencies.identity {
            SignInRoutes(identity: identity, urls: { signInURLs.withLockedValue { $0 } }, throttle: SignInThrottle())
                .register(on: router)
        }
        // Last, so that it runs only when no route matched: 405 for a known path's other methods.
        router.add(middleware: MethodNotAllowedMiddleware(routes: RouteMethods(router.routes.map { ($0.path, $0.method) })))

        let idleTimeout = TimeAmount(settings.idleTimeout)
        let deadline = RequestDeadline(timeout: TimeAmount(settings.requestTimeout), minimumRate: settings.minimumRequestRate)
        // Connections the kernel may hold before they are accepted (capped by net.core.somaxconn):
        // Hummingbird's 256 made a burst of 1,000 uploads (a page of photos, a load test) end in
        // connection resets.
        let backlog = 4096
        // Each listener its own count (a delegate is a value, copied into its listener).
        func connectionCap() -> (any AvailableConnectionsDelegate)? {
            settings.maxConnections.map { MaximumAvailableConnections($0, logger: logger) }
        }
        // The AWS endpoint serves the local buckets only (with buckets on S3 there is nothing to emulate).
        let catalog = dependencies.presigned == nil ? nil : dependencies.buckets
        let aws = catalog == nil ? nil : settings.awsEndpoint
        if settings.awsEndpoint != nil, aws == nil { logger.warning("the buckets are on S3: no AWS endpoint") }
        let ports = ListeningPortsGate(expectsAWS: aws != nil, report: onRunning)
        var services: [any Service] = [analysisQueue, downloads, scheduler]
        if let aws, let catalog {
            let verifier = SigV4Verifier(credentials: aws.credentials, clock: dependencies.clock)
            let s3 = S3Endpoint(
                settings: aws, verifier: verifier, store: dependencies.store, uploads: dependencies.multipart, buckets: catalog,
                storageBucket: dependencies.config.storageBucket, analyzedTagKey: dependencies.config.analyzedTag.key,
                analysisQueue: analysisQueue, logger: logger)
            var emulated: [any AWSServiceEndpoint] = []
            if let items = dependencies.items { emulated.append(DynamoDBEndpoint(store: items, region: aws.region)) }
            if let labeler = dependencies.imageLabeler { emulated.append(RekognitionEndpoint(labeler: labeler)) }
            if let topics = dependencies.topics, let notifier = dependencies.topicNotifier {
                emulated.append(SNSEndpoint(topics: topics, notifier: notifier, region: aws.region))
            }
            let endpoint = AWSEndpoint(s3: s3, services: emulated, verifier: verifier, logger: logger)
            services.append(
                Application(
                    responder: endpoint,
                    server: .http1(
                        configuration: .init(
                            additionalChannelHandlers: [
                                ExpectContinueHandler(), RequestDeadlineHandler(deadline, logger: logger),
                            ],
                            idleTimeout: idleTimeout)),
                    configuration: .init(
                        address: .hostname(settings.host, port: aws.port), serverName: "PAM", backlog: backlog,
                        availableConnectionsDelegate: connectionCap()),
                    onServerRunning: { channel in await ports.awsBound(channel.localAddress?.port ?? aws.port) },
                    logger: logger))
        }
        return Application(
            router: router,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [
                        CloseAfterResponseHandler(), RequestDeadlineHandler(deadline, logger: logger),
                    ],
                    idleTimeout: idleTimeout)),
            configuration: .init(
                address: .hostname(settings.host, port: settings.port), serverName: "PAM", backlog: backlog,
                availableConnectionsDelegate: connectionCap()),
            services: services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                signInURLs.withLockedValue {
                    $0 = SignInURLs.resolve(
                        callbackURLs: settings.callbackURLs, logoutURLs: settings.logoutURLs, port: port,
                        baseURL: publicBaseURL)
                }
                await ports.appBound(port)
            },
            logger: logger)
    }
}
