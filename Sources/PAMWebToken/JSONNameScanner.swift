import Foundation

/// Finds an object in JSON text that names a member twice. RFC 7519 (section 4) lets a JWT parser
/// either refuse such a token or keep the last name; `JSONDecoder` keeps the first and
/// `JSONSerialization` the last, so a token read both ways meant two things. PAM refuses it.
enum JSONNameScanner {
    /// Whether an object in `json` (valid JSON text) has two members of one name, compared after
    /// unescaping (`"a"` and `"\u0061"` are one name).
    static func hasDuplicateNames(_ json: Data) -> Bool {
        let bytes = [UInt8](json)
        // One entry per open object (its names so far, and whether a name comes next) or array (nil).
        var open: [(names: Set<String>, expectsName: Bool)?] = []
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"): open.append((names: [], expectsName: true))
            case UInt8(ascii: "["): open.append(nil)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = open.popLast()
            case UInt8(ascii: ","):
                if !open.isEmpty { open[open.count - 1]?.expectsName = true }
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1 }
                if var object = open.last ?? nil, object.expectsName {
                    let literal = bytes[start...min(index, bytes.count - 1)]
                    guard let name = name(literal), object.names.insert(name).inserted else { return true }
                    object.expectsName = false
                    open[open.count - 1] = object
                }
            default: break
            }
            index += 1
        }
        return false
    }

    /// The text of a JSON string literal (quotes included), unescaped.
    private static func name(_ literal: ArraySlice<UInt8>) -> String? {
        guard literal.contains(UInt8(ascii: "\\")) else { return String(decoding: literal.dropFirst().dropLast(), as: UTF8.self) }
        return try? JSONDecoder().decode(String.self, from: Data(literal))
    }
}
