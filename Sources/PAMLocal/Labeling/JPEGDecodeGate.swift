import Dispatch
import Foundation
import PAMCore

/// Runs JPEG decodes off Swift's cooperative thread pool, a bounded number at once and within a
/// memory budget, so that a burst of large uploads neither blows the server's memory nor blocks
/// the threads that answer the API.
///
/// A decode blocks its thread in C for as long as it takes (over a second for a 10000x10000
/// photo); on the cooperative pool, which has one thread per core, two of them stall every other
/// task. Here each decode first takes a permit — one of `maxConcurrent`, plus its estimated cost
/// in bytes out of `memoryBudget` — waiting its turn in arrival order, then runs on a dispatch
/// queue of its own while the awaiting task is suspended. A decode whose cost alone exceeds the
/// budget is refused with `.imageTooLarge` without waiting.
public final class JPEGDecodeGate: Sendable {
    /// Decodes running at once, at most.
    public let maxConcurrent: Int
    /// The summed estimated cost of the decodes running at once, at most, in bytes.
    public let memoryBudget: Int
    /// The dispatch queue's label, which the decodes run under.
    public static let queueLabel = "pam.jpeg-decode"

    private let permits: Permits
    private let queue = DispatchQueue(label: JPEGDecodeGate.queueLabel, attributes: .concurrent)

    /// A gate for `maxConcurrent` decodes (default: one per core) within `memoryBudget` bytes.
    public init(
        maxConcurrent: Int = ProcessInfo.processInfo.activeProcessorCount,
        memoryBudget: Int = TurboJPEGDecoder.defaultMaxDecodeBytes
    ) {
        self.maxConcurrent = max(1, maxConcurrent)
        self.memoryBudget = max(1, memoryBudget)
        permits = Permits(maxConcurrent: self.maxConcurrent, memoryBudget: self.memoryBudget)
    }

    /// Runs `work` (a blocking decode estimated at `cost` bytes) once a permit is free, on the
    /// gate's own queue, and returns its result.
    public func run<T: Sendable>(cost: Int, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        guard cost <= memoryBudget else {
            throw PAMError(.imageTooLarge, "decoding this image needs \(cost >> 20) MiB; the budget is \(memoryBudget >> 20) MiB")
        }
        let cost = max(0, cost)
        await permits.acquire(cost)
        let result: Result<T, Error> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { try work() }) }
        }
        await permits.release(cost)
        return try result.get()
    }

    /// Decodes running now and decodes waiting for a permit.
    public func load() async -> (running: Int, waiting: Int) { await permits.load() }

    /// Counted permits with a byte budget, granted in arrival order.
    private actor Permits {
        let maxConcurrent: Int
        let memoryBudget: Int
        private var running = 0
        private var bytesInUse = 0
        private var waiters: [(cost: Int, continuation: CheckedContinuation<Void, Never>)] = []

        init(maxConcurrent: Int, memoryBudget: Int) {
            self.maxConcurrent = maxConcurrent
            self.memoryBudget = memoryBudget
        }

        func acquire(_ cost: Int) async {
            if waiters.isEmpty, fits(cost) {
                take(cost)
                return
            }
            await withCheckedContinuation { waiters.append((cost, $0)) }
        }

        func release(_ cost: Int) {
            running -= 1
            bytesInUse -= cost
            // First come, first served: a large decode is not overtaken for ever by small ones.
            while let first = waiters.first, fits(first.cost) {
                waiters.removeFirst()
                take(first.cost)
                first.continuation.resume()
            }
        }

        func load() -> (running: Int, waiting: Int) { (running, waiters.count) }

        private func fits(_ cost: Int) -> Bool { running < maxConcurrent && bytesInUse + cost <= memoryBudget }

        private func take(_ cost: Int) {
            running += 1
            bytesInUse += cost
        }
    }
}
