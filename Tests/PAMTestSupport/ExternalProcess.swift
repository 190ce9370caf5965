import Foundation

/// Runs another program to completion (python3 with boto3 or zipfile, unzip, the `pam` executable)
/// and collects what it printed. Both pipes are drained at once, so a chatty program cannot block,
/// and the waiting happens on a thread of its own: blocking the few threads of Swift's cooperative
/// pool would stall every other test's timers and I/O meanwhile.
public enum ExternalProcess {
    public struct Result: Sendable {
        /// The exit status, or the signal's number when `killedBySignal`.
        public var status: Int32
        public var killedBySignal = false
        public var output: String
        public var errors: String
    }

    /// `arguments` run through `/usr/bin/env` (so `python3` is found on the PATH), or `executable`
    /// directly, with this process's environment plus `environment`.
    public static func run(
        _ arguments: [String], executable: URL? = nil, in folder: URL? = nil, environment: [String: String] = [:]
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Swift.Result { try runBlocking(arguments, executable: executable, in: folder, environment: environment) })
            }.start()
        }
    }

    private static func runBlocking(_ arguments: [String], executable: URL?, in folder: URL?, environment: [String: String]) throws
        -> Result
    {
        let process = Process()
        process.executableURL = executable ?? URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        nonisolated(unsafe) var errorData = Data()
        let drain = Thread { errorData = errors.fileHandleForReading.readDataToEndOfFile() }
        drain.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !drain.isFinished { usleep(1000) }
        return Result(
            status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }

    /// `python3 -c script arguments…`.
    public static func python(_ script: String, _ arguments: [String] = []) async throws -> Result {
        try await run(["python3", "-c", script] + arguments)
    }
}
