import Foundation
import PAMCore

/// The text forms of a ``LabelModel``: a JSON document with a stable key order and a fixed number
/// format (`%.7e`), and the generated Swift source that embeds it (`LabelModel+Trained.swift`), so
/// the same model always gives the same bytes.
extension LabelModel {
    private struct Document: Codable {
        struct Head: Codable {
            var label: String
            var bias: Double
            var threshold: Double
            var weights: [Double]
        }
        var featureNames: [String]
        var means: [Double]
        var scales: [Double]
        var heads: [Head]
    }

    /// Parses the JSON form. `source` names it in error messages.
    ///
    /// - Throws: `PAMError` `.invalidArgument` when it is not such a document, when the counts of
    ///   means, scales or weights differ from the number of features, or a scale is not positive.
    public init(json data: Data, source: String) throws {
        let document: Document
        do { document = try JSONDecoder().decode(Document.self, from: data) } catch {
            throw PAMError(.invalidArgument, "not a label model document", path: source, underlying: error)
        }
        let count = document.featureNames.count
        guard document.means.count == count, document.scales.count == count else {
            throw PAMError(.invalidArgument, "the model needs one mean and one scale per feature (\(count) features)", path: source)
        }
        guard document.scales.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw PAMError(.invalidArgument, "every feature scale must be a positive number", path: source)
        }
        for head in document.heads where head.weights.count != count {
            throw PAMError(
                .invalidArgument, "head \(head.label) has \(head.weights.count) weights for \(count) features", path: source)
        }
        for head in document.heads where !(0...1).contains(head.threshold) {
            throw PAMError(.invalidArgument, "head \(head.label) has threshold \(head.threshold), not in 0…1", path: source)
        }
        self.init(
            featureNames: document.featureNames, means: document.means, scales: document.scales,
            heads: document.heads.map { Head(label: $0.label, bias: $0.bias, weights: $0.weights, threshold: $0.threshold) })
    }

    /// The JSON form: keys in a fixed order, one number format, at most six numbers per line.
    public func json() -> String {
        func number(_ value: Double) -> String { String(format: "%.7e", value) }
        func list(_ values: [String], indent: String) -> String {
            guard !values.isEmpty else { return "[]" }
            var lines: [String] = []
            var index = 0
            while index < values.count {
                let chunk = values[index..<min(values.count, index + 6)]
                lines.append(indent + "  " + chunk.joined(separator: ", "))
                index += 6
            }
            return "[\n" + lines.joined(separator: ",\n") + "\n" + indent + "]"
        }
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var text = "{\n"
        text += "  \"featureNames\": " + list(featureNames.map(quoted), indent: "  ") + ",\n"
        text += "  \"means\": " + list(means.map(number), indent: "  ") + ",\n"
        text += "  \"scales\": " + list(scales.map(number), indent: "  ") + ",\n"
        text += "  \"heads\": [\n"
        text += heads.map { head in
            "    {\n      \"label\": \(quoted(head.label)),\n      \"bias\": \(number(head.bias)),\n"
                + "      \"threshold\": \(number(head.threshold)),\n"
                + "      \"weights\": \(list(head.weights.map(number), indent: "      "))\n    }"
        }.joined(separator: ",\n")
        text += "\n  ]\n}\n"
        return text
    }

    /// Writes ``swiftSource(provenance:)`` to `url` atomically (a reader never sees half a file).
    ///
    /// - Throws: `PAMError` `.invalidArgument`, writing nothing, when the JSON form does not read
    ///   back as a model (a weight that is not finite, say): the labeler would fail at its first use.
    public func writeSwiftSource(to url: URL, provenance: String) throws {
        _ = try LabelModel(json: Data(json().utf8), source: "the model to write to \(url.path)")
        try AtomicFile.write(
            Data(swiftSource(provenance: provenance).utf8), to: url, temporaryFolder: url.deletingLastPathComponent())
    }

    /// The Swift source file that makes this model ``LabelModel/trained``: its JSON form in a
    /// string literal, parsed once on first use.
    public func swiftSource(provenance: String) -> String {
        let body = json().split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { $0.isEmpty ? "" : "        " + $0 }.joined(separator: "\n")
        return """
            // swift-format-ignore-file
            // Generated by `pam train` (\(provenance)). Do not edit: train again.

            import Foundation

            extension LabelModel {
                /// The model the labeler uses by default, fitted on the labelled corpus (see `pam train`).
                public static let trained: LabelModel = {
                    do {
                        return try LabelModel(json: Data(trainedJSON.utf8), source: "LabelModel+Trained.swift")
                    } catch {
                        fatalError("the committed label model does not load: \\(error)")
                    }
                }()

                /// The JSON form of ``trained``.
                static let trainedJSON = #\"\"\"
            \(body)
                    \"\"\"#
            }

            """
    }
}
