/// JSON written by hand where the order of keys matters (Foundation's encoders do not keep it).
public enum JSONText {
    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped
    /// (RFC 8259), and U+2028/U+2029 too so that the text is also valid JavaScript.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{2028}", "\u{2029}": result += "\\u\(String(scalar.value, radix: 16))"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// The `GET /api/labels` body (and `pam labels --json`): `{"labels": {"Sky": {"count": 3}, …}}`,
    /// keys in the order given (count order, the wireframe's list).
    public static func labels(_ labels: [LabelCount]) -> String {
        var result = "{\"labels\": {"
        for (index, label) in labels.enumerated() {
            if index > 0 { result += ", " }
            result += quoted(label.label) + ": {\"count\": \(label.count)}"
        }
        return result + "}}"
    }
}
