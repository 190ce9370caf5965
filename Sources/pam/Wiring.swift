import Foundation
import Logging
import PAMCore
import PAMLocal

/// The one place where ports meet adapters: everything a command needs, built from options.
struct Wiring: Sendable {
    var config: PipelineConfig
    let state: StateDirectory
    let store: FileSystemObjectStore
    let table: SQLiteLabelTable
    let labeler: StoredImageLabeler
    let notifier: FileDropNotifier
    let clock: any WallClock

    init(_ options: StateOptions, clock: any WallClock = SystemClock()) throws {
        try self.init(state: options.stateURL, baseURL: try options.resolvedBaseURL(), clock: clock)
    }

    init(state folder: URL, baseURL: URL, clock: any WallClock = SystemClock()) throws {
        let environment = ProcessInfo.processInfo.environment
        var config = PipelineConfig()
        if let name = environment["STORAGE_BUCKET_NAME"], !name.isEmpty { config.storageBucket = name }
        if let name = environment["WORKING_BUCKET_NAME"], !name.isEmpty { config.workingBucket = name }
        let state = StateDirectory(folder)
        let store = try FileSystemObjectStore(
            state: state, buckets: [config.storageBucket, config.workingBucket],
            baseURL: baseURL, clock: clock)
        self.config = config
        self.state = state
        self.store = store
        self.table = try SQLiteLabelTable(path: state.labelTable)
        self.labeler = StoredImageLabeler(store: store)
        self.notifier = try FileDropNotifier(state: state, clock: clock)
        self.clock = clock
    }

    var analysis: AnalysisService { AnalysisService(store: store, labeler: labeler, table: table, config: config) }
    var labels: LabelsService { LabelsService(table: table) }
    var download: DownloadService { DownloadService(store: store, table: table, notifier: notifier, config: config) }
    var lifecycle: LifecycleService { LifecycleService(store: store, config: config, clock: clock) }

    func importer(concurrency: Int? = nil) -> ImportService {
        var config = self.config
        if let concurrency { config.concurrency = concurrency }
        return ImportService(store: store, analysis: AnalysisService(store: store, labeler: labeler, table: table, config: config),
                             config: config, etag: FileSystemObjectStore.etag(of:))
    }

    /// Logs go to standard error, as plain lines; `verbose` adds debug detail.
    static func bootstrapLogging(verbose: Bool) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .warning
            return handler
        }
    }
}
