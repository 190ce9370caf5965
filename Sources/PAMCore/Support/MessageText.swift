import Foundation

/// Makes text safe to put in a delivered message: what a request or a label carried can neither
/// forge headers or lines nor reorder what the reader sees.
///
/// Removed: C0 controls (a line break is kept as `\n`; CR, CRLF and the Unicode line separators
/// become `\n`; a tab becomes a space), DEL, C1 controls, and the bidirectional marks and
/// overrides (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
public enum MessageText {
    /// `text` without control or bidi-override characters; lines kept. A line holding only `.`
    /// (which ends an SMTP message) gets a leading space.
    public static func body(_ text: String) -> String {
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n")
        var scalars = String.UnicodeScalarView()
        for scalar in unified.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0x2028, 0x2029: scalars.append("\n")
            case 0x09: scalars.append(" ")
            default: if !isForbidden(scalar) { scalars.append(scalar) }
            }
        }
        return String(scalars).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0 == "." ? " ." : String($0) }
            .joined(separator: "\n")
    }

    /// `text` on one line (for a subject): like `body`, with every line break a space.
    public static func line(_ text: String) -> String {
        body(text).replacingOccurrences(of: "\n", with: " ")
    }

    /// True for the characters `body` never lets through (line breaks aside).
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// A name quoted for an error message, its forbidden characters escaped (`\u{202E}`), so
    /// an error naming hostile input shows it without acting on it.
    public static func quoted(_ name: String) -> String {
        var result = "'"
        for scalar in name.unicodeScalars {
            if isForbidden(scalar) || [0x85, 0x2028, 0x2029].contains(scalar.value) {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "'"
    }
}
