import Foundation
import PAMCore
import PAMTestSupport
import Testing

@testable import PAMServer

/// ListObjectsV2 over a store whose own pages are smaller than S3's, so answers straddle them.
@Suite("S3 ListObjectsV2")
struct S3ListerTests {
    static func store(_ keys: [String]) async throws -> InMemoryObjectStore {
        let store = InMemoryObjectStore(buckets: ["b"])
        for key in keys { try await store.put(ObjectRef(bucket: "b", key: key), body: .data(Data("x".utf8)), options: PutOptions()) }
        return store
    }

    /// Every entry (keys, then prefixes per page) of the listing, page by page.
    static func listAll(_ lister: S3Lister, _ request: S3ListRequest) async throws -> (pages: [[String]], entries: [String]) {
        var request = request
        var pages: [[String]] = []
        while true {
            let page = try await lister.page(request)
            pages.append(page.objects.map(\.ref.key) + page.commonPrefixes)
            guard let token = page.nextContinuationToken else { break }
            request.continuationToken = token
        }
        return (pages, pages.flatMap { $0 })
    }

    @Test("max-keys pages across the store's pages, in order, each key once")
    func pages() async throws {
        let keys = (0..<25).map { String(format: "k%02d", $0) }
        let lister = S3Lister(store: try await Self.store(keys), storePageSize: 7)
        let listing = try await Self.listAll(lister, S3ListRequest(bucket: "b", maxKeys: 10))
        #expect(listing.pages.map(\.count) == [10, 10, 5])
        #expect(listing.entries == keys)
    }

    @Test("a delimiter rolls keys up into common prefixes, each once, even across pages and store pages")
    func delimiter() async throws {
        let keys = ["a/1", "a/2", "a/3", "a0", "b", "c/x/1", "c/y", "d"] + (0..<9).map { "e/\($0)" } + ["f"]
        let lister = S3Lister(store: try await Self.store(keys), storePageSize: 3)
        let listing = try await Self.listAll(lister, S3ListRequest(bucket: "b", delimiter: "/", maxKeys: 2))
        #expect(listing.entries.sorted() == ["a/", "a0", "b", "c/", "d", "e/", "f"])
        #expect(listing.pages.map(\.count) == [2, 2, 2, 1])
        let nested = try await Self.listAll(lister, S3ListRequest(bucket: "b", prefix: "c/", delimiter: "/"))
        #expect(nested.entries.sorted() == ["c/x/", "c/y"])
    }

    @Test("start-after skips keys up to it; max-keys 0 answers nothing; a bad token is InvalidArgument")
    func startAfterAndTokens() async throws {
        let lister = S3Lister(store: try await Self.store(["a", "b", "c", "d"]), storePageSize: 2)
        var request = S3ListRequest(bucket: "b")
        request.startAfter = "b"
        #expect(try await lister.page(request).objects.map(\.ref.key) == ["c", "d"])
        let none = try await lister.page(S3ListRequest(bucket: "b", maxKeys: 0))
        #expect(none.objects.isEmpty && none.nextContinuationToken == nil)
        request.continuationToken = "not a token"
        await #expect(throws: S3Error.self) { try await lister.page(request) }
    }

    @Test("query parameters: max-keys capped at 1,000, bad max-keys and encoding-type refused")
    func parameters() throws {
        let request = try S3ListRequest(bucket: "b", query: ["max-keys": "5000", "delimiter": "/", "encoding-type": "url"])
        #expect(request.maxKeys == 1000 && request.delimiter == "/" && request.urlEncoded)
        #expect(throws: S3Error.self) { try S3ListRequest(bucket: "b", query: ["max-keys": "-1"]) }
        #expect(throws: S3Error.self) { try S3ListRequest(bucket: "b", query: ["encoding-type": "base64"]) }
        #expect(S3ListRequest.urlEncode("a dir/my+photo é.jpg") == "a%20dir/my%2Bphoto%20%C3%A9.jpg")
    }

    @Test("tagging documents: written sorted and escaped, read back; malformed and repeated keys refused")
    func tagging() throws {
        let xml = S3XML.tagging(["b": "2 & 3", "a": "1"])
        #expect(xml.contains("<TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2 &amp; 3</Value></Tag></TagSet>"))
        #expect(try S3XML.parseTagging(Data(xml.utf8)) == ["a": "1", "b": "2 & 3"])
        #expect(throws: S3Error.self) { try S3XML.parseTagging(Data("<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>".utf8)) }
        #expect(throws: S3Error.self) { try S3XML.parseTagging(Data("not xml".utf8)) }
        let twice = "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>"
        #expect(throws: S3Error.self) { try S3XML.parseTagging(Data(twice.utf8)) }
    }
}
