/// JSON written by hand where the order of keys matters (Foundation's encoders do not keep it).
public enum JSONText {
    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped
    /// (RFC 8259), and U+2028/U+2029 too so that the text is also valid JavaScript.
    public static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `GET /api/labels` body (and `pam labels --json`): `{"labels": {"Sky": {"count": 3}, …}}`,
    /// keys in the order given (count order, the wireframe's list).
    public static func labels(_ labels: [LabelCount]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(labels.reduce(16) { $0 + $1.label.utf8.count + 32 })
        append(#"{"labels": {"#, to: &bytes)
        for (index, label) in labels.enumerated() {
            if index > 0 { append(", ", to: &bytes) }
            appendQuoted(label.label, to: &bytes)
            append(#": {"count": "#, to: &bytes)
            var count = String(label.count)
            count.withUTF8 { bytes.append(contentsOf: $0) }
            bytes.append(UInt8(ascii: "}"))
        }
        append("}}", to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func append(_ text: StaticString, to bytes: inout [UInt8]) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Most names need no escape: their bytes as they are, scanned and copied from the string's
        // own storage (through `String.UTF8View`, byte by byte, this was most of the label list's body).
        var text = text
        let copied = text.withUTF8 { utf8 in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) else {
                return false
            }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        let hex = Array("0123456789abcdef".utf8)
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes += [UInt8(ascii: "\\"), byte]
            case 0..<0x20:
                bytes += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80 && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                // U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR.
                bytes += Array(#"\u202"#.utf8) + [utf8[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")]
                index += 2
            default:
                bytes.append(byte)
            }
            index += 1
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
