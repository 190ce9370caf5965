import Foundation

/// Base64 with the URL-safe alphabet and no padding (RFC 7515, section 2): the one codec of
/// tokens and JSON Web Keys.
///
/// Decoding is strict, so a token has exactly one spelling: only `A–Z a–z 0–9 - _`, no `=`,
/// no whitespace, no length that leaves a lone character, and the unused low bits of the last
/// character must be zero (a lenient decoder ignores them, and several spellings of one token
/// would verify).
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Each byte's value in the alphabet; 0xFF for bytes outside it.
    private static let values: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() { values[Int(character)] = UInt8(value) }
        return values
    }()

    public static func encode(_ data: some DataProtocol) -> String {
        let bytes = Array(data)
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var group: UInt32 = 0
            for offset in 0..<3 { group = group << 8 | (offset < count ? UInt32(bytes[index + offset]) : 0) }
            // 1, 2 or 3 bytes make 2, 3 or 4 characters.
            for position in 0...count { text.append(alphabet[Int(group >> UInt32(18 - 6 * position) & 0x3F)]) }
            index += count
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of canonical base64url `text`, or nil for anything else.
    public static func decode(_ text: some StringProtocol) -> Data? {
        let characters = Array(text.utf8)
        guard characters.count % 4 != 1 else { return nil }
        var data = Data(capacity: characters.count * 3 / 4)
        var pending: UInt32 = 0
        var bits = 0
        for character in characters {
            let value = values[Int(character)]
            guard value != 0xFF else { return nil }
            pending = pending << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                data.append(UInt8(truncatingIfNeeded: pending >> UInt32(bits)))
                pending &= (1 << UInt32(bits)) - 1
            }
        }
        // The bits left over (none, 2 or 4) are padding and must be zero.
        guard pending == 0 else { return nil }
        return data
    }
}
