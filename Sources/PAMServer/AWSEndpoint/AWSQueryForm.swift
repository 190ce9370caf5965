import Foundation
import PAMSigV4

/// The parameters of an AWS query-protocol request (SNS): the URL's query and the
/// `application/x-www-form-urlencoded` body, `name=value` pairs joined by `&`, `+` a space.
struct AWSQueryForm: Sendable {
    /// In the order sent, the URL's first.
    var fields: [(name: String, value: String)]

    init(query: String?, body: String) {
        fields = [query ?? "", body].flatMap { text in
            text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (
                    AWSPercentEncoding.decode(parts[0], plusIsSpace: true),
                    parts.count > 1 ? AWSPercentEncoding.decode(parts[1], plusIsSpace: true) : ""
                )
            }
        }
    }

    /// The first value of `name`.
    subscript(name: String) -> String? { fields.first { $0.name == name }?.value }
}
