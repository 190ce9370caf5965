import Dispatch
import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// The decode gate: bounded in number and bytes, first come first served, off the cooperative pool.
@Suite("JPEG decode gate", .timeLimit(.minutes(15)))
struct JPEGDecodeGateTests {
    /// Work items that block their thread until released, counting how many run at once. A
    /// work item never released gives up after 10 minutes and says so, so that a gate running work
    /// on the cooperative pool makes these tests fail rather than hang. (Not sooner: in a full
    /// suite on two loaded cores the other tests' tasks kept the pool busy for over 30 s, and a
    /// correct gate's blocked work gave up while the test still waited for its own tasks.)
    final class BlockingWork: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private var maxRunning = 0
        private var gaveUp = false
        private let release = DispatchSemaphore(value: 0)

        func run() -> Int {
            lock.withLock {
                running += 1
                maxRunning = max(maxRunning, running)
            }
            let released = release.wait(timeout: .now() + 600) == .success
            lock.withLock {
                running -= 1
                if !released { gaveUp = true }
            }
            return 1
        }

        var timedOut: Bool { lock.withLock { gaveUp } }

        func releaseOne() { release.signal() }
        var now: Int { lock.withLock { running } }
        var most: Int { lock.withLock { maxRunning } }
    }

    static func waitFor(_ what: String, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(600)
        while await !condition() {
            guard Date() < deadline else { throw PAMError(.io, "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test("never more than maxConcurrent decodes at once; the others wait their turn")
    func boundedCount() async throws {
        let gate = JPEGDecodeGate(maxConcurrent: 2, memoryBudget: 1 << 30)
        let work = BlockingWork()
        let results = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<5 { group.addTask { try await gate.run(cost: 1) { work.run() } } }
                return try await group.reduce(0, +)
            }
        }
        for remaining in stride(from: 5, to: 0, by: -1) {
            let expected = min(2, remaining)
            try await Self.waitFor("\(expected) running") {
                let load = await gate.load()
                return load.running == expected && load.waiting == remaining - expected && work.now == expected
            }
            work.releaseOne()
        }
        #expect(try await results.value == 5)
        #expect(work.most == 2)
        #expect(!work.timedOut)
        #expect(await gate.load() == (0, 0))
    }

    @Test("costs are summed against the budget; a cost over the whole budget is refused at once")
    func memoryBudget() async throws {
        let gate = JPEGDecodeGate(maxConcurrent: 4, memoryBudget: 100)
        await #expect { try await gate.run(cost: 101) { 1 } } throws: { ($0 as? PAMError)?.code == .imageTooLarge }
        let work = BlockingWork()
        let first = Task { try await gate.run(cost: 60) { work.run() } }
        try await Self.waitFor("the first decode") { await gate.load().running == 1 }
        let second = Task { try await gate.run(cost: 60) { work.run() } }
        // 60 + 60 is over 100: the second waits although three of four slots are free.
        try await Self.waitFor("the second to queue") { await gate.load() == (1, 1) }
        #expect(work.now == 1)
        work.releaseOne()
        try await Self.waitFor("the second decode") { await gate.load() == (1, 0) && work.now == 1 }
        work.releaseOne()
        _ = try await (first.value, second.value)
        #expect(work.most == 1)
        // An error in the work is the caller's, and frees the permit.
        await #expect(throws: PAMError.self) { try await gate.run(cost: 100) { throw PAMError(.invalidImage, "bad") } }
        #expect(await gate.load() == (0, 0))
    }

    @Test("blocked decodes leave the cooperative pool free: other tasks still run")
    func offThePool() async throws {
        // As many blocked decodes as the cooperative pool has threads: run on the pool, they
        // would starve every other task (this test would hang until its time limit).
        let width = ProcessInfo.processInfo.activeProcessorCount
        let gate = JPEGDecodeGate(maxConcurrent: width, memoryBudget: 1 << 30)
        let work = BlockingWork()
        let decodes = (0..<width).map { _ in Task { try await gate.run(cost: 1) { work.run() } } }
        try await Self.waitFor("\(width) blocked decodes") { work.now == width }
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<(4 * width) { group.addTask { await Task.detached { index }.value } }
            return try await group.reduce(0, +)
        }
        #expect(answers == (0..<(4 * width)).reduce(0, +))
        #expect(work.now == width)
        for _ in 0..<width { work.releaseOne() }
        for decode in decodes { #expect(try await decode.value == 1) }
        #expect(!work.timedOut)
    }

    @Test("the upload check is the labeler's scaled decode, through the gate, with the 15 MiB limit at its boundary")
    func uploadValidator() async throws {
        let gate = JPEGDecodeGate(maxConcurrent: 1)
        let validator = PhotoUploadValidator(gate: gate)
        func check(_ data: Data) async throws {
            // As for a labeler that labels stored objects only: the check decodes by itself.
            #expect(try await validator.labels(of: data) { _ in nil } == nil)
        }
        let photo = try FixtureFiles.data("variants", "mate-dune-progressive.jpg")
        try await check(photo)
        try await check(try PaddedJPEG.make(photo, size: PhotoUploadValidator.maxBytes))
        await #expect { try await check(try PaddedJPEG.make(photo, size: PhotoUploadValidator.maxBytes + 1)) } throws: {
            ($0 as? PAMError)?.code == .imageTooLarge
        }
        let huge = try JPEGDecodeCostTests.withDimensions(photo, width: 10_000, height: 10_000)
        await #expect { try await check(huge) } throws: { ($0 as? PAMError)?.code == .imageTooLarge }
        await #expect { try await check(Data("not a photo".utf8)) } throws: { ($0 as? PAMError)?.code == .invalidImage }
        await #expect { try await check(photo.prefix(photo.count / 2)) } throws: { ($0 as? PAMError)?.code == .invalidImage }
        #expect(PhotoUploadValidator.maxBytes == 15 << 20)
    }
}
