import ArgumentParser
import Foundation

/// Runs the `pam` executable itself as a child process and measures it from outside: wall time
/// and peak resident memory (the child's own, as the kernel counts it).
enum ChildRun {
    struct Result {
        var seconds: Double
        var peakMegabytes: Double
        var output: String
        /// The child's CPU time, user and system: on a shared machine a steadier figure than wall time.
        var cpuSeconds: Double = 0
    }

    static func pam(_ arguments: [String]) throws -> Result {
        var executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: executable.path), let own = Bundle.main.executableURL { executable = own }
        return try run(executable, arguments)
    }

    /// Runs `executable` (a peer of a benchmark: python3, sh) the same way.
    static func run(_ executable: URL, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        var before = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &before)
        let start = Date()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        guard process.terminationStatus == 0 else {
            throw ValidationError(
                "\(executable.lastPathComponent) \(arguments.first ?? "") failed (status \(process.terminationStatus)): \(String(decoding: data, as: UTF8.self))"
            )
        }
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage) // the largest child's peak, in KiB on Linux
        return Result(
            seconds: seconds, peakMegabytes: Double(usage.ru_maxrss) / 1024, output: String(decoding: data, as: UTF8.self),
            cpuSeconds: cpuSeconds(usage) - cpuSeconds(before))
    }

    /// User plus system time of a `getrusage` answer.
    private static func cpuSeconds(_ usage: rusage) -> Double {
        Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
