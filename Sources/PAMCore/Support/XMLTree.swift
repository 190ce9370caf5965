import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed XML element: S3 and SNS answer in XML (and S3's clients send it), and these answers are small, so a tree is
/// simpler than a streaming delegate per response type. Namespaces are dropped from names.
public struct XMLTree: Sendable, Hashable {
    public var name: String
    public var children: [XMLTree] = []
    public var text: String = ""

    public init(name: String, children: [XMLTree] = [], text: String = "") {
        self.name = name
        self.children = children
        self.text = text
    }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Every child named `name`.
    public func children(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    public func value(_ name: String) -> String? { child(name)?.text }

    /// The text of the element at a path of names, e.g. `["Error", "Code"]`.
    public func value(at path: [String]) -> String? {
        var element = self
        for name in path {
            guard let next = element.child(name) else { return nil }
            element = next
        }
        return element.text
    }

    /// The deepest nesting `parse` accepts: S3's and SNS's documents need six levels at most.
    public static let maximumDepth = 32
    /// The most elements `parse` accepts: a CompleteMultipartUpload of 10,000 parts with their
    /// checksums has about 60,000.
    public static let maximumElements = 100_000

    /// The root element of `data`, or nil when it is not well-formed UTF-8 XML or is nested deeper than
    /// `maximumDepth` or has more than `maximumElements` elements (parsing stops there, so a hostile
    /// document costs neither a deep tree — whose release would exhaust the stack — nor its size).
    public static func parse(_ data: Data) -> XMLTree? {
        // AWS's documents are UTF-8; FoundationXML traps on an element name that is not (a fuzz finding,
        // Fixtures/fuzz/s3-xml/crashes), so anything else is refused before it reaches the parser.
        guard String(data: data, encoding: .utf8) != nil else { return nil }
        let parser = XMLParser(data: data)
        let builder = Builder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        guard parser.parse() else { return nil }
        return builder.root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLTree] = []
        var root: XMLTree?
        var elements = 0

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            elements += 1
            guard stack.count < XMLTree.maximumDepth, elements <= XMLTree.maximumElements else {
                root = nil
                parser.abortParsing()
                return
            }
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(XMLTree(name: local))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard var element = stack.popLast() else { return }
            if !element.children.isEmpty { element.text = element.text.trimmingCharacters(in: .whitespacesAndNewlines) }
            if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
        }
    }
}
