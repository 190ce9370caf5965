import Foundation
import PAMCore
import Testing

@Suite("XMLTree")
struct XMLTreeTests {
    static func nested(_ depth: Int) -> Data {
        Data((String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)).utf8)
    }

    @Test("a document nested up to maximumDepth parses; deeper ones (60,000 levels) are refused without building a tree")
    func depth() {
        #expect(XMLTree.parse(Self.nested(XMLTree.maximumDepth)) != nil)
        #expect(XMLTree.parse(Self.nested(XMLTree.maximumDepth + 1)) == nil)
        #expect(XMLTree.parse(Self.nested(60_000)) == nil)
    }

    @Test("a document that is not UTF-8 is refused (FoundationXML trapped on an element name with byte 0xD8)")
    func notUTF8() {
        #expect(XMLTree.parse(Data("<Delete><Object><Key>é</Key></Object></Delete>".utf8))?.value(at: ["Object", "Key"]) == "é")
        #expect(XMLTree.parse(Data([0x3C, 0x61, 0x3E, 0x3C, 0xD8, 0x62, 0x3E, 0x3C, 0x2F, 0x61, 0x3E])) == nil) // <a><\xD8b></a>
    }

    @Test("more than maximumElements elements are refused; a 10,000-part completion document is not")
    func elements() {
        let parts = (1...10_000).map { "<Part><PartNumber>\($0)</PartNumber><ETag>\"e\"</ETag></Part>" }.joined()
        let completion = XMLTree.parse(Data("<CompleteMultipartUpload>\(parts)</CompleteMultipartUpload>".utf8))
        #expect(completion?.children("Part").count == 10_000)
        let many = "<Delete>" + String(repeating: "<a/>", count: XMLTree.maximumElements) + "</Delete>"
        #expect(XMLTree.parse(Data(many.utf8)) == nil)
    }
}
