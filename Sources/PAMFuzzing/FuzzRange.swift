import Foundation
import PAMServer

/// The HTTP `Range` parser under test (`ByteRange`): the range it serves, or nil when it serves
/// the whole object or answers 416.
package func parseByteRange(_ header: String, size: Int64) -> Range<Int64>? {
    if case .partial(let range) = ByteRange.parse(header, size: size) { return range }
    return nil
}

extension FuzzTarget {
    /// Input: `<object size>\n<Range header value>`; without a decimal first line the whole input
    /// is the header and the size is one of a few edge values.
    package static let range = FuzzTarget(name: "range") { data in fuzzRange(data) }
}

@discardableResult
package func fuzzRange(_ data: Data) -> Bool {
    let text = String(decoding: data, as: UTF8.self)
    let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    var size: Int64 = [0, 1, 1000, Int64.max][data.count % 4]
    var header = text
    if lines.count == 2, let given = Int64(lines[0]), given >= 0 {
        size = given
        header = String(lines[1])
    }
    guard let range = parseByteRange(header, size: size) else { return false }
    require(
        range.lowerBound >= 0 && range.lowerBound < range.upperBound && range.upperBound <= size,
        "range \(range) for '\(header)' is not a non-empty part of 0..<\(size)")
    if let expected = expectedRange(header, size: size) {
        require(range == expected, "range \(range) for '\(header)' of \(size) bytes, RFC 9110 says \(expected)")
    }
    return true
}

/// RFC 9110's answer for a strictly formed single range (`bytes=a-b`, `a-`, `-n`, digits only,
/// values that fit in Int64), when satisfiable; nil for anything else.
private func expectedRange(_ header: String, size: Int64) -> Range<Int64>? {
    guard header.hasPrefix("bytes=") else { return nil }
    let spec = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
    guard spec.count == 2, spec.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
    switch (Int64(spec[0]), Int64(spec[1])) {
    case (let first?, let last?) where first <= last && first < size: return first..<(last >= size - 1 ? size : last + 1)
    case (let first?, nil) where spec[1].isEmpty && first < size: return first..<size
    case (nil, let suffix?) where spec[0].isEmpty && suffix > 0 && size > 0: return (suffix >= size ? 0 : size - suffix)..<size
    default: return nil
    }
}
