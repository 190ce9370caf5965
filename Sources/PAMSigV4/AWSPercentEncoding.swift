import Foundation

/// SigV4's URI encoding: every byte except the unreserved characters `A–Z a–z 0–9 - _ . ~` becomes
/// `%XX` with upper-case hex. Foundation's encoders differ (they keep `+`, `=`, `:` …), hence our own.
public enum AWSPercentEncoding {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Encodes `text`; `keepSlash` leaves `/` as is, for paths.
    public static func encode(_ text: some StringProtocol, keepSlash: Bool = false) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `application/x-www-form-urlencoded`, as botocore sends query-protocol bodies: the
    /// unreserved characters kept, a space as `+`, every other byte `%XX`. (moto re-encodes a form
    /// body this way before checking its hash, so `%20` for a space fails its signature check.)
    public static func formEncode(_ text: some StringProtocol) -> String {
        encode(text).replacingOccurrences(of: "%20", with: "+")
    }

    /// Decodes `%XX` escapes (and, when `plusIsSpace`, `+` as a space, as forms do). Malformed
    /// escapes are kept literally, like browsers do.
    public static func decode(_ text: some StringProtocol, plusIsSpace: Bool = false) -> String {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count,
                let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
