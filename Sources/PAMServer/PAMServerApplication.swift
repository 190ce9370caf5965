import Foundation
import Hummingbird
import Logging
import PAMCore
import ServiceLifecycle

/// `pam serve`: the reference API, the local buckets' object endpoint, the local sign-in, the web
/// page, and the background work (event-driven analysis, bundles, lifecycle) in one process.
public enum PAMServerApplication {
    /// The application, ready to `runService()`; `onRunning` gets the bound port.
    public static func make(
        _ dependencies: ServerDependencies, settings: ServerSettings, publicHost: String?,
        logger: Logger = Logger(label: "pam.serve"), onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let analysisQueue = AnalysisQueue(analysis: dependencies.analysis, concurrency: dependencies.config.concurrency)
        let downloads = DownloadQueue(download: dependencies.download)
        let scheduler = LifecycleScheduler(lifecycle: dependencies.lifecycle, interval: settings.lifecycleInterval)

        let router = Router(context: BasicRequestContext.self)
        let objectBuckets: Set<String> = dependencies.presigned == nil
            ? [] : [dependencies.config.storageBucket, dependencies.config.workingBucket]
        router.add(middleware: EdgeMiddleware(objectBuckets: objectBuckets, logger: logger))
        if FileManager.default.fileExists(atPath: settings.webRoot) {
            router.add(middleware: FileMiddleware(settings.webRoot, searchForIndexHtml: true, logger: logger))
        } else {
            logger.warning("no web page folder; serving the API only", metadata: ["folder": "\(settings.webRoot)"])
        }
        let api = APIRoutes(dependencies: dependencies, analysisQueue: analysisQueue, downloads: downloads, maxJSONBytes: settings.maxJSONBytes)
        api.register(on: router)
        if let presigned = dependencies.presigned {
            ObjectRoutes(dependencies: dependencies, presigned: presigned, analysisQueue: analysisQueue,
                         maxObjectBytes: settings.maxObjectBytes).register(on: router)
        }
        if let identity = dependencies.identity {
            SignInRoutes(identity: identity, publicHost: publicHost).register(on: router)
        }
        if let outbox = dependencies.outbox {
            OutboxRoutes(outbox: outbox, api: api).register(on: router)
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "PAM"),
            services: [analysisQueue, downloads, scheduler],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.port) },
            logger: logger)
    }
}
