import Foundation

/// The emulator's base URL: the address `pam serve` answers, from which presigned links and the
/// local user pool's issuer are built.
///
/// A server started on port 0 learns its port only once it has bound it, after the adapters that
/// sign links were made; it settles the port here before it answers its first request.
public final class ServiceAddress: @unchecked Sendable {
    private let lock = NSLock()
    private var current: URL

    public init(_ url: URL) { current = url }

    /// The base URL as it stands now.
    public var url: URL { lock.withLock { current } }

    /// The base URL without a trailing slash (the form of a user pool's issuer).
    public var text: String {
        let text = url.absoluteString
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// Replaces the URL's port with the one the server bound.
    public func settle(port: Int) {
        lock.withLock {
            guard var components = URLComponents(url: current, resolvingAgainstBaseURL: false) else { return }
            components.port = port
            if let url = components.url { current = url }
        }
    }
}
