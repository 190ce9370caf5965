/// What a request's `Range` header asks of a representation of `size` bytes (RFC 9110 §14):
/// the whole representation (200), one part of it (206), or nothing (416).
///
/// Only a single `bytes` range is honoured. Everything RFC 9110 lets a server ignore is ignored
/// rather than refused — another range unit, several ranges, a repeated `Range` header, a
/// malformed or invalid range (`bytes=5-2`, `bytes=x`) — so those answer with the whole body.
/// Positions are parsed with checked arithmetic: a number too large for `Int64` saturates, so
/// `bytes=0-9223372036854775807` (or longer) means "to the end", clamped as RFC 9110 says.
package enum ByteRange: Equatable, Sendable {
    /// No range to honour: answer 200 with the whole representation.
    case whole
    /// Answer 206 with these bytes: never empty, always within `0..<size`.
    case partial(Range<Int64>)
    /// The range starts past the end (or is an empty suffix): answer 416 with `Content-Range: bytes */size`.
    case unsatisfiable

    /// Resolves the values of every `Range` field of a request (none: `.whole`) against `size`.
    /// A negative `size` is treated as 0. Never traps, whatever the input.
    package static func parse(_ fieldValues: [String], size: Int64) -> ByteRange {
        guard fieldValues.count == 1 else { return .whole } // none, or a repeated header: ignored
        let size = max(0, size)
        let value = Substring(fieldValues[0]).utf8.trimmingOWS
        guard let equals = value.firstIndex(of: UInt8(ascii: "=")) else { return .whole }
        let unit = value[value.startIndex..<equals]
        guard unit.count == 5, unit.map(Self.lowercased).elementsEqual("bytes".utf8) else { return .whole }
        let specs = value[value.index(after: equals)...].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            .map(\.trimmingOWS).filter { !$0.isEmpty }
        guard specs.count == 1, let spec = specs.first, let dash = spec.firstIndex(of: UInt8(ascii: "-")) else { return .whole }
        let firstText = spec[spec.startIndex..<dash]
        let lastText = spec[spec.index(after: dash)...]

        if firstText.isEmpty {
            // suffix-range: the last n bytes.
            guard let suffix = Self.position(lastText) else { return .whole }
            guard suffix > 0 else { return .unsatisfiable }
            guard size > 0 else { return .whole } // satisfiable but empty: the (empty) whole body
            return .partial((size - min(suffix, size))..<size)
        }
        // int-range: first-pos "-" [ last-pos ].
        guard let first = Self.position(firstText) else { return .whole }
        var last: Int64?
        if !lastText.isEmpty {
            guard let value = Self.position(lastText) else { return .whole }
            guard value >= first else { return .whole } // invalid range-spec: ignored
            last = value
        }
        guard first < size else { return .unsatisfiable }
        // size - 1 < Int64.max, so adding one cannot overflow.
        let end = min(last ?? (size - 1), size - 1)
        return .partial(first..<(end + 1))
    }

    /// `parse` for one header value (nil: no `Range` header).
    package static func parse(_ fieldValue: String?, size: Int64) -> ByteRange {
        parse(fieldValue.map { [$0] } ?? [], size: size)
    }

    /// The `Content-Range` of the answer: `bytes a-b/size` for a part, `bytes */size` for 416,
    /// nil for the whole representation.
    package func contentRange(size: Int64) -> String? {
        switch self {
        case .whole: nil
        case .partial(let range): "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(max(0, size))"
        case .unsatisfiable: "bytes */\(max(0, size))"
        }
    }

    /// 1*DIGIT as a non-negative position, saturating at `Int64.max`; nil unless all ASCII digits.
    static func position(_ digits: Substring.UTF8View) -> Int64? {
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (times, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowedAgain) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            value = overflowed || overflowedAgain ? Int64.max : sum
        }
        return value
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}

extension Substring.UTF8View {
    /// Without leading and trailing optional white space (spaces and tabs).
    fileprivate var trimmingOWS: Self {
        let isOWS = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let start = firstIndex(where: { !isOWS($0) }), let end = lastIndex(where: { !isOWS($0) }) else { return self[endIndex...] }
        return self[start...end]
    }
}
