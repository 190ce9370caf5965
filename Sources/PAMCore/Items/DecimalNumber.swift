/// A DynamoDB number: an exact decimal of at most 38 significant digits, magnitude between 1E-130
/// and 9.99…E+125 (or zero), kept normalised so that equal numbers are equal values (`1.0`, `1`,
/// `1e0`) and written in DynamoDB's canonical plain form (`100`, `0.001`, `-2.5`).
///
/// Value = `0.d₁d₂…dₙ × 10^exponent`, digits without leading or trailing zeros (none for zero).
public struct DecimalNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let maxDigits = 38
    public private(set) var isNegative: Bool
    public private(set) var digits: [UInt8]
    public private(set) var exponent: Int

    public static let zero = DecimalNumber(isNegative: false, digits: [], exponent: 0)

    private init(isNegative: Bool, digits: [UInt8], exponent: Int) {
        self.isNegative = isNegative
        self.digits = digits
        self.exponent = exponent
    }

    public init(_ value: Int) {
        // Valid by construction: an Int has at most 19 digits.
        self = (try? DecimalNumber(parsing: String(value))) ?? .zero
    }

    /// Parses DynamoDB's number text (`-12.5`, `1e3`, `.5`, `+7`), refusing what DynamoDB refuses
    /// with its messages (not a number, more than 38 digits, out of range).
    public init(parsing text: String) throws(ItemError) {
        var bytes = Array(text.utf8)[...]
        let notNumber = ItemError.validation(
            text.isEmpty
                ? "The parameter cannot be converted to a numeric value" : "The parameter cannot be converted to a numeric value: \(text)")
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var mantissa: [UInt8] = []
        var beforePoint = 0
        var seenPoint = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw notNumber }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                mantissa.append(byte - UInt8(ascii: "0"))
                if !seenPoint { beforePoint += 1 }
            } else {
                throw notNumber
            }
        }
        guard !mantissa.isEmpty else { throw notNumber }
        var scale = 0
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
                exponentNegative = first == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { throw notNumber }
            // Past any supported range either way; the digits decide overflow or underflow below.
            let magnitude = bytes.count > 6 ? 1_000_000 : bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            scale = exponentNegative ? -magnitude : magnitude
        }
        var exponent = beforePoint + scale
        var start = 0
        while start < mantissa.count, mantissa[start] == 0 {
            start += 1
            exponent -= 1
        }
        var end = mantissa.count
        while end > start, mantissa[end - 1] == 0 { end -= 1 }
        if start == end {
            self = .zero
            return
        }
        self.init(isNegative: negative, digits: Array(mantissa[start..<end]), exponent: exponent)
        try checkRange()
    }

    /// DynamoDB's limits: 38 significant digits, magnitude 1E-130 …< 1E+126.
    func checkRange() throws(ItemError) {
        guard !digits.isEmpty else { return }
        if digits.count > Self.maxDigits { throw .validation("Attempting to store more than 38 significant digits in a Number") }
        if exponent - 1 > 125 {
            throw .validation("Number overflow. Attempting to store a number with magnitude larger than supported range")
        }
        if exponent - 1 < -130 {
            throw .validation("Number underflow. Attempting to store a number with magnitude smaller than supported range")
        }
    }

    public var isZero: Bool { digits.isEmpty }

    /// The canonical plain text: no exponent, no leading or trailing zeros, `0` for zero.
    public var description: String {
        guard !digits.isEmpty else { return "0" }
        var text = isNegative ? "-" : ""
        let characters = digits.map { Character(String($0)) }
        if exponent <= 0 {
            text += "0." + String(repeating: "0", count: -exponent) + String(characters)
        } else if exponent >= digits.count {
            text += String(characters) + String(repeating: "0", count: exponent - digits.count)
        } else {
            text += String(characters[..<exponent]) + "." + String(characters[exponent...])
        }
        return text
    }

    /// The value as an Int, when it is a whole number that fits.
    public var intValue: Int? {
        guard exponent >= digits.count || digits.isEmpty else { return nil }
        return Int(description)
    }

    public static func < (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool {
        let left = lhs.signum
        let right = rhs.signum
        if left != right { return left < right }
        if left == 0 { return false }
        let magnitudeLess = lhs.exponent != rhs.exponent ? lhs.exponent < rhs.exponent : lhs.digits.lexicographicallyPrecedes(rhs.digits)
        let magnitudeEqual = lhs.exponent == rhs.exponent && lhs.digits == rhs.digits
        if magnitudeEqual { return false }
        return left > 0 ? magnitudeLess : !magnitudeLess
    }

    private var signum: Int { digits.isEmpty ? 0 : isNegative ? -1 : 1 }

    public static prefix func - (value: DecimalNumber) -> DecimalNumber {
        var negated = value
        if !value.digits.isEmpty { negated.isNegative.toggle() }
        return negated
    }

    /// The exact sum; DynamoDB's range error when it needs more than 38 digits or leaves the range.
    public func adding(_ other: DecimalNumber) throws(ItemError) -> DecimalNumber {
        if digits.isEmpty { return other }
        if other.digits.isEmpty { return self }
        let low = min(exponent - digits.count, other.exponent - other.digits.count)
        let high = max(exponent, other.exponent)
        let left = placeDigits(low: low, count: high - low + 1)
        let right = other.placeDigits(low: low, count: high - low + 1)
        var result: [Int]
        var negative: Bool
        if isNegative == other.isNegative {
            result = Self.add(left, right)
            negative = isNegative
        } else if Self.magnitudeLess(left, right) {
            result = Self.subtract(right, left)
            negative = other.isNegative
        } else {
            result = Self.subtract(left, right)
            negative = isNegative
        }
        guard let top = result.lastIndex(where: { $0 != 0 }) else { return .zero }
        let bottom = result.firstIndex { $0 != 0 } ?? top
        let sum = DecimalNumber(
            isNegative: negative, digits: result[bottom...top].reversed().map(UInt8.init), exponent: top + low + 1)
        try sum.checkRange()
        return sum
    }

    public func subtracting(_ other: DecimalNumber) throws(ItemError) -> DecimalNumber { try adding(-other) }

    /// Digits by place, least significant first: index i holds the digit of 10^(low + i).
    private func placeDigits(low: Int, count: Int) -> [Int] {
        var places = [Int](repeating: 0, count: count)
        for (index, digit) in digits.enumerated() { places[exponent - 1 - index - low] = Int(digit) }
        return places
    }

    private static func add(_ left: [Int], _ right: [Int]) -> [Int] {
        var result = [Int](repeating: 0, count: left.count)
        var carry = 0
        for index in left.indices {
            let sum = left[index] + right[index] + carry
            result[index] = sum % 10
            carry = sum / 10
        }
        return result
    }

    private static func subtract(_ larger: [Int], _ smaller: [Int]) -> [Int] {
        var result = [Int](repeating: 0, count: larger.count)
        var borrow = 0
        for index in larger.indices {
            var difference = larger[index] - smaller[index] - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 10 }
            result[index] = difference
        }
        return result
    }

    private static func magnitudeLess(_ left: [Int], _ right: [Int]) -> Bool {
        for index in left.indices.reversed() where left[index] != right[index] { return left[index] < right[index] }
        return false
    }

    /// Bytes whose unsigned lexicographic order is the numbers' order, for sorting keys in storage:
    /// a sign byte, then the exponent and the digits (inverted, and closed by 0xFF, when negative).
    public var orderedBytes: [UInt8] {
        guard !digits.isEmpty else { return [0x01] }
        let biased = exponent + 1000
        var magnitude: [UInt8] = [UInt8(biased >> 8), UInt8(biased & 0xFF)]
        magnitude += digits.map { $0 + 1 }
        return isNegative ? [0x00] + magnitude.map { 0xFF - $0 } + [0xFF] : [0x02] + magnitude
    }
}
