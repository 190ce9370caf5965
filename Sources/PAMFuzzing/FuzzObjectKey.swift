import Foundation
import PAMCore
import PAMLocal

extension FuzzTarget {
    /// Input: a string, validated as an object key and as a bucket name.
    package static let objectKey = FuzzTarget(name: "object-key") { data in fuzzObjectKey(data) }
}

@discardableResult
package func fuzzObjectKey(_ data: Data) -> Bool {
    let text = String(decoding: data, as: UTF8.self)
    var accepted = false
    if (try? ObjectKeyValidator.validate(key: text, bucket: "pam-storage")) != nil {
        accepted = true
        require(!text.isEmpty && text.utf8.count <= 1024, "a key of \(text.utf8.count) bytes is accepted")
        require(
            !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F },
            "a key with NUL or a control character is accepted: \(text.debugDescription)")
        require(
            !text.utf8.contains(UInt8(ascii: "\\")) && text.utf8.first != UInt8(ascii: "/"),
            "an absolute key or one with a backslash is accepted: \(text.debugDescription)")
        // Segments as the file system splits them: at '/' bytes (a '/' followed by a combining
        // mark is another Character, but the same byte).
        let segments = Array(text.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        require(
            segments.allSatisfy { !$0.isEmpty && !($0.allSatisfy { $0 == UInt8(ascii: ".") } && $0.count <= 2) && $0.count <= 255 },
            "a key with an empty, '.', '..' or over-long segment is accepted: \(text.debugDescription)")
        // The file a bucket stores it in stays inside the bucket's folder.
        let root = URL(fileURLWithPath: "/srv/pam/buckets/pam-storage")
        let file = root.appendingPathComponent(text).standardizedFileURL.path
        // Compared as bytes: a key may start with a combining mark, which joins the '/' before it.
        require(
            file.utf8.starts(with: (root.path + "/").utf8) && file.utf8.count > root.path.utf8.count + 1,
            "\(text.debugDescription) is stored at \(file), outside its bucket")
    }
    if (try? ObjectKeyValidator.validate(bucket: text)) != nil {
        accepted = true
        require(
            (3...63).contains(text.utf8.count)
                && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x2E },
            "bucket name \(text.debugDescription) is accepted")
        require(
            !text.contains("..") && !text.hasPrefix(".") && !text.hasPrefix("-") && !text.hasSuffix(".") && !text.hasSuffix("-"),
            "bucket name \(text.debugDescription) is accepted")
    }
    return accepted
}
