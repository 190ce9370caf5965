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
    /// The most open files asked for: enough for the cap below, without handing a hostile client
    /// the millions some hard limits allow.
    static let wanted = 65_536
    /// Descriptors kept back for everything else (SQLite files, logs, the outbox, keys).
    static let reserved = 256
    /// Connections per listener at most, whatever the limit: an idle connection holds ~14 KB and
    /// one with a large unfinished header ~120 KB, so 2,048 of them stay within a few hundred MB.
    static let mostConnections = 2_048

    /// Raises the soft limit on open files towards the hard one, to at most ``wanted`` (shells
    /// often start at 1,024 or 256; macOS refuses an unlimited soft limit, and caps it at
    /// `OPEN_MAX` = 10,240), and answers the limit in force.
    @discardableResult
    public static func raiseLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        for target in [min(limit.rlim_max, rlim_t(wanted)), min(limit.rlim_max, 10_240)] where target > limit.rlim_cur {
            var raised = limit
            raised.rlim_cur = target
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 {
                limit = raised
                break
            }
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// Connections each of `listeners` keeps open at most with `descriptors` to spend: two
    /// descriptors per connection, between 16 and ``mostConnections``.
    public static func connectionsPerListener(descriptors: Int, listeners: Int) -> Int {
        min(mostConnections, max(16, (descriptors - reserved) / (2 * max(1, listeners))))
    }
}
