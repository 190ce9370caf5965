import Foundation
import PAMCore

/// The conditional headers of a GetObject or HeadObject (`If-Match`, `If-None-Match`,
/// `If-Modified-Since`, `If-Unmodified-Since`), evaluated against the object's ETag and
/// Last-Modified in RFC 7232's order (section 6), which is also S3's: a present `If-Match` decides
/// alone (so `If-Match` true with `If-Unmodified-Since` false is 200), and a present
/// `If-None-Match` decides alone (so `If-None-Match` false with `If-Modified-Since` true is 304).
/// Dates that are not HTTP dates are ignored, as the RFC asks; times compare to the second.
struct S3Preconditions: Sendable, Hashable {
    /// An entity-tag as a client sends it: its opaque text (without quotes) and whether it is weak.
    struct EntityTag: Sendable, Hashable {
        var opaque: String
        var weak: Bool
    }

    /// A field that is either `*` or a list of entity-tags.
    enum TagCondition: Sendable, Hashable {
        case any
        case tags([EntityTag])
    }

    enum Outcome: Sendable, Hashable {
        /// Answer the object (200 or 206).
        case proceed
        /// 304 Not Modified, without a body.
        case notModified
        /// 412 `PreconditionFailed`; the header that failed.
        case failed(condition: String)
    }

    var ifMatch: TagCondition?
    var ifNoneMatch: TagCondition?
    var ifModifiedSince: Date?
    var ifUnmodifiedSince: Date?

    init(ifMatch: TagCondition? = nil, ifNoneMatch: TagCondition? = nil, ifModifiedSince: Date? = nil, ifUnmodifiedSince: Date? = nil) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifUnmodifiedSince = ifUnmodifiedSince
    }

    /// The conditions of a request's header fields, read with `field` (nil when absent).
    init(field: (String) -> String?) {
        self.init(
            ifMatch: field("If-Match").map(Self.tagCondition), ifNoneMatch: field("If-None-Match").map(Self.tagCondition),
            ifModifiedSince: field("If-Modified-Since").flatMap(DateText.parseHTTP),
            ifUnmodifiedSince: field("If-Unmodified-Since").flatMap(DateText.parseHTTP))
    }

    var isEmpty: Bool { ifMatch == nil && ifNoneMatch == nil && ifModifiedSince == nil && ifUnmodifiedSince == nil }

    /// The outcome for an existing object whose ETag (unquoted) is `etag`, last modified at `lastModified`.
    func evaluate(etag: String, lastModified: Date) -> Outcome {
        // HTTP dates have whole seconds: an object written at 10:00:00.7 was "last modified" at 10:00:00.
        let modified = lastModified.timeIntervalSince1970.rounded(.down)
        if let ifMatch {
            guard Self.matches(ifMatch, etag: etag, weakComparison: false) else { return .failed(condition: "If-Match") }
        } else if let ifUnmodifiedSince, modified > ifUnmodifiedSince.timeIntervalSince1970 {
            return .failed(condition: "If-Unmodified-Since")
        }
        if let ifNoneMatch {
            if Self.matches(ifNoneMatch, etag: etag, weakComparison: true) { return .notModified }
        } else if let ifModifiedSince, modified <= ifModifiedSince.timeIntervalSince1970 {
            return .notModified
        }
        return .proceed
    }

    /// Whether `condition` holds for a current ETag: `*` always (the object exists); a list when
    /// one of its tags compares equal — strongly (`If-Match`: a weak tag never matches) or weakly
    /// (`If-None-Match`: `W/"x"` matches `"x"`).
    static func matches(_ condition: TagCondition, etag: String, weakComparison: Bool) -> Bool {
        switch condition {
        case .any: return true
        case .tags(let tags): return tags.contains { $0.opaque == etag && (weakComparison || !$0.weak) }
        }
    }

    /// A field's value: `*`, or a comma-separated list of `"opaque"` and `W/"opaque"`. Like S3,
    /// a tag sent without its quotes is read as the strong tag it names.
    static func tagCondition(_ value: String) -> TagCondition {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { return .any }
        var tags: [EntityTag] = []
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
            guard !rest.isEmpty else { break }
            var weak = false
            if rest.hasPrefix("W/") {
                weak = true
                rest = rest.dropFirst(2)
            }
            if rest.hasPrefix("\"") {
                let body = rest.dropFirst()
                let end = body.firstIndex(of: "\"") ?? body.endIndex
                tags.append(EntityTag(opaque: String(body[..<end]), weak: weak))
                rest = end == body.endIndex ? body[end...] : body[body.index(after: end)...]
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                tags.append(EntityTag(opaque: rest[..<end].trimmingCharacters(in: .whitespaces), weak: weak))
                rest = rest[end...]
            }
        }
        return .tags(tags)
    }
}
