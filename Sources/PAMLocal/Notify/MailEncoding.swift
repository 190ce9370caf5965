import Foundation

/// The two encodings an RFC 5322 text message needs.
enum MailEncoding {
    /// `7bit` for printable ASCII with lines within RFC 5322's 998 characters, else `quoted-printable`.
    static func transferEncoding(for body: String) -> String {
        let plain =
            body.utf8.allSatisfy { (32...126).contains($0) || $0 == 10 || $0 == 13 || $0 == 9 }
            && body.split(separator: "\n").allSatisfy { $0.utf8.count <= 998 }
        return plain ? "7bit" : "quoted-printable"
    }

    /// The body in the transfer encoding `transferEncoding(for:)` picks, with CRLF line ends.
    static func encodeBody(_ body: String) -> String {
        guard transferEncoding(for: body) == "7bit" else { return quotedPrintable(body) }
        return body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// RFC 2045 quoted-printable with CRLF line ends and soft breaks before 76 characters.
    /// Long URLs stay intact after decoding (soft line breaks are removed by readers).
    static func quotedPrintable(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { line -> String in
            var output = ""
            var current = 0
            let bytes = Array(line.utf8)
            for (offset, byte) in bytes.enumerated() {
                let isLast = offset == bytes.count - 1
                var piece: String
                if (byte == 0x20 || byte == 0x09) && isLast {
                    piece = String(format: "=%02X", byte)
                } else if (33...126).contains(byte) && byte != 0x3D || byte == 0x20 || byte == 0x09 {
                    piece = String(UnicodeScalar(byte))
                } else {
                    piece = String(format: "=%02X", byte)
                }
                if current + piece.count > 75 {
                    output += "=\r\n"
                    current = 0
                }
                output += piece
                current += piece.count
            }
            return output
        }.joined(separator: "\r\n")
    }

    /// An RFC 2047 encoded-word when the text is not plain ASCII.
    static func headerWord(_ text: String) -> String {
        if text.utf8.allSatisfy({ (32...126).contains($0) }) { return text }
        return "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?="
    }
}
