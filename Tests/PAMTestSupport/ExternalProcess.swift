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
        let output = try closeOnExecPipe()
        let errors = try closeOnExecPipe()
        process.standardOutput = output.write
        process.standardError = errors.write
        do { try process.run() } catch {
            for handle in [output.read, output.write, errors.read, errors.write] { try? handle.close() }
            throw error
        }
        // The child has its copies (as its stdout and stderr); the reads end when it closes them.
        try output.write.close()
        try errors.write.close()
        nonisolated(unsafe) var errorData = Data()
        let drain = Thread { errorData = errors.read.readDataToEndOfFile() }
        drain.start()
        let outputData = output.read.readDataToEndOfFile()
        process.waitUntilExit()
        while !drain.isFinished { usleep(1000) }
        return Result(
            status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }

    /// A channel whose two ends are closed on exec, made atomically (a connected socket pair: Swift
    /// does not offer `pipe2`). Foundation's `Pipe` ends are not closed on exec, so a program another
    /// test started meanwhile (a moto server living for the whole run) inherited the write end of
    /// this run's output, and the read never saw its end: the suite hung.
    private static func closeOnExecPipe() throws -> (read: FileHandle, write: FileHandle) {
        var ends: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        return (FileHandle(fileDescriptor: ends[0], closeOnDealloc: true), FileHandle(fileDescriptor: ends[1], closeOnDealloc: true))
    }

    /// `python3 -c script arguments…`.
    public static func python(_ script: String, _ arguments: [String] = []) async throws -> Result {
        try await run(["python3", "-c", script] + arguments)
    }
}
