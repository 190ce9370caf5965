import Foundation
import PAMCore
import Testing

@testable import PAMServer

/// GetObject's conditions (RFC 7232 section 6, as S3 applies them) and `response-*` overrides.
@Suite("S3 conditional reads and response overrides")
struct S3PreconditionsTests {
    static let etag = "9b2cf535f27731c974343645a3985328"
    /// The object's Last-Modified: 10:00:00.700, which HTTP dates see as 10:00:00.
    static let modified = DateText.parseHTTP("Wed, 12 Oct 2026 10:00:00 GMT")!.addingTimeInterval(0.7)
    static let before = "Wed, 12 Oct 2026 09:59:59 GMT"
    static let same = "Wed, 12 Oct 2026 10:00:00 GMT"
    static let after = "Wed, 12 Oct 2026 10:00:01 GMT"

    static func outcome(_ fields: [String: String]) -> S3Preconditions.Outcome {
        S3Preconditions { fields[$0] }.evaluate(etag: etag, lastModified: modified)
    }

    @Test("no condition, or dates that are not HTTP dates, proceed")
    func nothingToCheck() {
        #expect(S3Preconditions { _ in nil }.isEmpty)
        #expect(Self.outcome([:]) == .proceed)
        #expect(Self.outcome(["If-Modified-Since": "yesterday", "If-Unmodified-Since": "2026-10-12T09:00:00Z"]) == .proceed)
    }

    @Test("If-Match: the current tag (quoted, unquoted, in a list) or * proceeds; another tag or a weak one is 412")
    func ifMatch() {
        for value in ["\"\(Self.etag)\"", Self.etag, "\"other\", \"\(Self.etag)\"", "*", "  \"a\",\"\(Self.etag)\" "] {
            #expect(Self.outcome(["If-Match": value]) == .proceed, "\(value)")
        }
        for value in ["\"other\"", "W/\"\(Self.etag)\"", "\"\"", "\"\(Self.etag)x\""] {
            #expect(Self.outcome(["If-Match": value]) == .failed(condition: "If-Match"), "\(value)")
        }
    }

    @Test("If-None-Match: the current tag, weak or strong, or * is 304; another tag proceeds")
    func ifNoneMatch() {
        for value in ["\"\(Self.etag)\"", "W/\"\(Self.etag)\"", "\"a\", W/\"\(Self.etag)\"", "*"] {
            #expect(Self.outcome(["If-None-Match": value]) == .notModified, "\(value)")
        }
        #expect(Self.outcome(["If-None-Match": "\"other\", W/\"more\""]) == .proceed)
    }

    @Test("If-Modified-Since: 304 at or after the second it was modified, proceeds before")
    func ifModifiedSince() {
        #expect(Self.outcome(["If-Modified-Since": Self.before]) == .proceed)
        #expect(Self.outcome(["If-Modified-Since": Self.same]) == .notModified)
        #expect(Self.outcome(["If-Modified-Since": Self.after]) == .notModified)
    }

    @Test("If-Unmodified-Since: 412 before the second it was modified, proceeds at or after")
    func ifUnmodifiedSince() {
        #expect(Self.outcome(["If-Unmodified-Since": Self.before]) == .failed(condition: "If-Unmodified-Since"))
        #expect(Self.outcome(["If-Unmodified-Since": Self.same]) == .proceed)
        #expect(Self.outcome(["If-Unmodified-Since": Self.after]) == .proceed)
    }

    @Test("S3's precedence: If-Match true wins over If-Unmodified-Since false; If-None-Match false over If-Modified-Since true")
    func precedence() {
        let quoted = "\"\(Self.etag)\""
        #expect(Self.outcome(["If-Match": quoted, "If-Unmodified-Since": Self.before]) == .proceed)
        #expect(Self.outcome(["If-Match": "\"other\"", "If-Unmodified-Since": Self.after]) == .failed(condition: "If-Match"))
        #expect(Self.outcome(["If-None-Match": quoted, "If-Modified-Since": Self.before]) == .notModified)
        #expect(Self.outcome(["If-None-Match": "\"other\"", "If-Modified-Since": Self.after]) == .proceed)
        // A failed If-Match is 412 even when If-None-Match would have answered 304.
        #expect(Self.outcome(["If-Match": "\"other\"", "If-None-Match": quoted]) == .failed(condition: "If-Match"))
        #expect(
            Self.outcome(["If-Unmodified-Since": Self.before, "If-Modified-Since": Self.after]) == .failed(condition: "If-Unmodified-Since")
        )
        #expect(Self.outcome(["If-Match": quoted, "If-None-Match": quoted]) == .notModified)
    }

    @Test("entity-tag lists parse as RFC 7232 writes them")
    func parsing() {
        #expect(S3Preconditions.tagCondition(" * ") == .any)
        #expect(
            S3Preconditions.tagCondition("\"a\", W/\"b\",\"c,d\"")
                == .tags([.init(opaque: "a", weak: false), .init(opaque: "b", weak: true), .init(opaque: "c,d", weak: false)]))
        #expect(S3Preconditions.tagCondition("") == .tags([]))
    }

    @Test("response-* overrides set their headers; other parameters none; a control character is 400")
    func overrides() throws {
        let fields = try S3Endpoint.overriddenHeaders([
            "response-content-type": "text/plain", "response-content-language": "fr", "response-expires": Self.after,
            "response-cache-control": "no-cache", "response-content-disposition": "attachment; filename=\"a b.txt\"",
            "response-content-encoding": "identity", "response-other": "x", "prefix": "y",
        ])
        #expect(fields.count == 6)
        #expect(fields[.contentType] == "text/plain" && fields[.contentLanguage] == "fr" && fields[.expires] == Self.after)
        #expect(fields[.cacheControl] == "no-cache" && fields[.contentEncoding] == "identity")
        #expect(fields[.contentDisposition] == "attachment; filename=\"a b.txt\"")
        #expect(throws: S3Error.self) { try S3Endpoint.overriddenHeaders(["response-content-type": "text/plain\r\nX-Evil: 1"]) }
        #expect(
            S3Operation.identify(
                method: "GET", address: S3Address(bucket: "b", key: "k"), query: ["response-content-disposition", "x-id"],
                copySource: false) == .getObject)
    }
}
