import Hummingbird

/// The part of the server a request path belongs to, by its first segment (empty segments are
/// skipped, as the router skips them): the API, a local bucket's object endpoint, or the rest
/// (sign-in, web page, outbox). It decides an error's style and whether CORS headers are added.
enum RouteArea: Equatable {
    case api
    case object
    case other

    init(path: String, objectBuckets: Set<String>) {
        let first = path.split(separator: "/", omittingEmptySubsequences: true).first.map(String.init)
        switch first {
        case "api"?: self = .api
        case let bucket? where objectBuckets.contains(bucket): self = .object
        default: self = .other
        }
    }
}
