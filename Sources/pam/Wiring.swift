import Foundation
import Logging
import PAMCore
import PAMLocal

/// The one place where ports meet adapters: everything a command needs, built from options and
/// the environment (`PAM_BACKEND`, `PAM_STORAGE` … pick local or AWS adapters per port).
struct Wiring: Sendable {
    var config: PipelineConfig
    let state: StateDirectory
    let backends: BackendSelection
    let store: any ObjectStore
    /// The file-system store, when storage is local (its presigned URLs are served by `pam serve`).
    let localStore: FileSystemObjectStore?
    /// The local store's multipart uploads (the AWS endpoint's, and the lifecycle's to abort).
    let multipart: LocalMultipartUploads?
    let table: any LabelTable
    /// The item store: the local label table, and the AWS endpoint's DynamoDB tables.
    let items: SQLiteItemStore
    /// Also labels images sent in requests (the AWS endpoint's Rekognition).
    let labeler: any ImageLabeler
    /// What the pipeline's analysis asks the labeler: Rekognition's default MinConfidence on AWS,
    /// the local model's own decisions (``HistogramLabeler/pipelineQuery``) locally.
    let analysisQuery: LabelQuery
    let notifier: any Notifier
    let aws: AWSWiring?
    let clock: any WallClock
    /// Every local JPEG decode (analysis, upload checks) runs through this one gate: off the
    /// cooperative pool, one per core at most, within one memory budget.
    let decodeGate: JPEGDecodeGate

    init(_ options: StateOptions, clock: any WallClock = SystemClock()) throws {
        try self.init(state: options.stateURL, baseURL: try options.resolvedBaseURL(), clock: clock)
    }

    init(
        state folder: URL, baseURL: URL, clock: any WallClock = SystemClock(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        try self.init(state: folder, address: ServiceAddress(baseURL), clock: clock, environment: environment)
    }

    /// The wiring with presigned links on `address`, which `pam serve --port 0` settles once bound.
    init(
        state folder: URL, address: ServiceAddress, clock: any WallClock = SystemClock(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        let config = Self.pipelineConfig(environment)
        let state = StateDirectory(folder)
        let backends = try BackendSelection.resolve(environment)
        let aws = backends.usesAWS ? try AWSWiring(environment: environment) : nil
        let localStore =
            backends.storage == .local
            ? try FileSystemObjectStore(
                state: state, buckets: [config.storageBucket, config.workingBucket], address: address, clock: clock,
                lifecycle: BucketLifecycle.reference(config), marksDeletion: config.countsPhoto(at:))
            : nil
        var store: any ObjectStore = if let aws, backends.storage == .aws { aws.store } else { localStore! }
        if let fault = try CrashHookStore.fromEnvironment(environment, store: store, config: config) { store = fault }
        self.config = config
        self.state = state
        self.backends = backends
        self.aws = aws
        self.store = store
        self.localStore = localStore
        self.multipart = try localStore.map { try LocalMultipartUploads(store: $0) }
        let items = try SQLiteItemStore(path: state.itemStore, labelTable: config.labelTable)
        try items.labelTable.takeIn(legacyTable: state.legacyLabelTable)
        self.items = items
        self.table = if let aws, backends.table == .aws { aws.table } else { items.labelTable }
        let decodeGate = JPEGDecodeGate()
        self.decodeGate = decodeGate
        self.labeler = if let aws, backends.labeler == .aws { aws.labeler } else { StoredImageLabeler(store: store, gate: decodeGate) }
        self.analysisQuery = if aws != nil, backends.labeler == .aws { .default } else { HistogramLabeler.pipelineQuery }
        self.notifier = if let aws, backends.notifier == .aws { aws.notifier } else { try FileDropNotifier(state: state, clock: clock) }
        self.clock = clock
    }

    /// Names from the reference Lambdas' variables (`STORAGE_BUCKET_NAME`, `WORKING_BUCKET_NAME`,
    /// `LABELS_TABLE_NAME`).
    static func pipelineConfig(_ environment: [String: String]) -> PipelineConfig {
        var config = PipelineConfig()
        if let name = environment["STORAGE_BUCKET_NAME"], !name.isEmpty { config.storageBucket = name }
        if let name = environment["WORKING_BUCKET_NAME"], !name.isEmpty { config.workingBucket = name }
        if let name = environment["LABELS_TABLE_NAME"], !name.isEmpty { config.labelTable = name }
        return config
    }

    /// Where a bundle's bytes are on disk, when storage is local.
    func localFile(_ ref: ObjectRef) -> URL? {
        try? localStore?.localFile(ref)
    }

    var analysis: AnalysisService {
        AnalysisService(store: store, labeler: labeler, table: table, config: config, query: analysisQuery)
    }
    var labels: LabelsService { LabelsService(table: table) }
    /// Bundles are written on the local disk when the store is local (`FileSystemBundleWriter`),
    /// streamed through the store otherwise.
    var download: DownloadService {
        let bundles = localStore.map { FileSystemBundleWriter(store: $0) }
        return DownloadService(store: store, table: table, notifier: notifier, config: config, bundles: bundles)
    }
    /// The lifecycle: each local bucket's own configuration (the reference rules until an S3 client
    /// changes them), or the reference rules of the configuration when the buckets are on S3.
    var lifecycle: LifecycleService {
        guard let catalog = localStore else { return LifecycleService(store: store, config: config, clock: clock) }
        return LifecycleService(store: store, uploads: multipart, clock: clock) { try await catalog.lifecycles() }
    }

    func importer(concurrency: Int? = nil) -> ImportService {
        var config = self.config
        if let concurrency { config.concurrency = concurrency }
        let analysis = AnalysisService(store: store, labeler: labeler, table: table, config: config, query: analysisQuery)
        return ImportService(store: store, analysis: analysis, config: config)
    }

    /// Logs go to standard error, as plain lines, from `quietLevel` up (warnings for one-shot
    /// commands, requests too for `serve`); `verbose` adds debug detail.
    static func bootstrapLogging(verbose: Bool, quietLevel: Logger.Level = .warning) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : quietLevel
            return handler
        }
    }
}
