import Foundation

#if FUZZING
    import CFuzzerDriver
#endif

/// One parser under fuzzing: a name (its corpus is `Fixtures/fuzz/<name>/`, its executable
/// `fuzz-<name>`) and a function that runs the parser on arbitrary bytes and checks its
/// properties, stopping the process with `preconditionFailure` when one does not hold.
/// The function answers whether the parser accepted the input, so the corpus tests can check
/// that the seeds reach both the accepting and the refusing paths.
package struct FuzzTarget: Sendable {
    package let name: String
    package let run: @Sendable (Data) -> Bool

    package init(name: String, run: @escaping @Sendable (Data) -> Bool) {
        self.name = name
        self.run = run
    }

    /// Every target, in the order `Emulator/fuzz/run.sh` runs them.
    package static let all: [FuzzTarget] = [range, zip, jpeg, presignedURL, jwt, objectKey, apiBody, recipient, s3XML, dynamoDBExpression]
}

/// A property of a parser's answer that must hold; a violation is a finding.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { preconditionFailure("fuzz property violated: \(message())", file: file, line: line) }
}

/// The target the running executable fuzzes; set once by `FuzzDriver.main` before any input runs.
nonisolated(unsafe) private var currentTarget: FuzzTarget?

/// libFuzzer's per-input callback. Exported under its C name because libFuzzer's own (unused)
/// `main` refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let target = currentTarget else { preconditionFailure("no fuzz target: start through FuzzDriver.main") }
    _ = target.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}

/// The `main` of every `fuzz-*` executable. Built with `-sanitize=fuzzer -DFUZZING` it hands
/// control to libFuzzer (all libFuzzer flags and corpus folders work); a normal build replays
/// the files and folders given as arguments once each, so crash inputs can be rerun anywhere.
package enum FuzzDriver {
    package static func main(_ target: FuzzTarget) -> Never {
        currentTarget = target
        #if FUZZING
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzerTestOneInput($0, $1) })
        #else
            let paths = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("-") }
            guard !paths.isEmpty else {
                print("usage: fuzz-\(target.name) FILE|FOLDER… (replays inputs; build with -sanitize=fuzzer -DFUZZING to fuzz)")
                exit(2)
            }
            var count = 0
            for file in paths.flatMap(inputFiles) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    print("cannot read \(file)")
                    exit(1)
                }
                _ = target.run(data)
                count += 1
            }
            print("fuzz-\(target.name): replayed \(count) inputs, no property violated")
            exit(0)
        #endif
    }

    /// The regular files at `path`: itself, or everything below it (sorted, hidden files skipped).
    package static func inputFiles(_ path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return [] }
        guard isFolder.boolValue else { return [path] }
        let root = URL(fileURLWithPath: path)
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey],
                options: [.skipsHiddenFiles])
        else { return [] }
        return walker.compactMap { item -> String? in
            guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { return nil }
            return url.path
        }.sorted()
    }
}

/// Runs async work to completion from the synchronous fuzz callback (which is not on the
/// cooperative pool, so blocking it is fine).
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> Result<T, any Error> {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return box.result!
}

/// Hands a task's result to the thread waiting for it (the semaphore orders the accesses).
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
