import Foundation

/// A thread-safe counter for stream closures: `next()` answers 0, 1, 2 …
public final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    public init() {}
    public func next() -> Int {
        lock.withLock {
            defer { value += 1 }
            return value
        }
    }
}
