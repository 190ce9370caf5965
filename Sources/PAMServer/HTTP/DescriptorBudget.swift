#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's file descriptors, shared out among its listeners: each connection may hold a
/// socket and an upload's spool file (or an object being read), so past a cap new connections
/// wait in the listen backlog until one closes, instead of the process running out of
/// descriptors and failing uploads, bundles and SQLite alike.
public enum DescriptorBudget {
    /// Raises the soft limit on open files to the hard limit (as servers do; shells often start
    /// at 1,024) and answers the limit in force.
    @discardableResult
    public static func raiseLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// Descriptors kept back for everything else (SQLite files, logs, the outbox, keys).
    static let reserved = 256

    /// Connections each of `listeners` keeps open at most with `descriptors` to spend: two
    /// descriptors per connection, never fewer than 16 connections.
    public static func connectionsPerListener(descriptors: Int, listeners: Int) -> Int {
        max(16, (descriptors - reserved) / (2 * max(1, listeners)))
    }
}
