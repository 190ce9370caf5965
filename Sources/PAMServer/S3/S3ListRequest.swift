import Foundation
import PAMSigV4

/// The parameters of a ListObjectsV2 request, read and checked as S3 reads them.
struct S3ListRequest: Sendable, Hashable {
    /// S3's largest page, also what it answers when asked for more.
    static let maximumKeys = 1000

    var bucket: String
    var prefix = ""
    var delimiter: String?
    var maxKeys = maximumKeys
    var continuationToken: String?
    var startAfter: String?
    /// `encoding-type=url`: keys and prefixes in the answer are percent-encoded.
    var urlEncoded = false
    /// `fetch-owner=true`: each object is listed with its owner (ListObjectsV2 leaves it out otherwise).
    var fetchOwner = false

    init(bucket: String, prefix: String = "", delimiter: String? = nil, maxKeys: Int = maximumKeys) {
        self.bucket = bucket
        self.prefix = prefix
        self.delimiter = delimiter
        self.maxKeys = maxKeys
    }

    /// The request's query parameters (decoded); 400 `InvalidArgument` for a bad `max-keys` or `encoding-type`.
    init(bucket: String, query: [String: String]) throws {
        self.bucket = bucket
        prefix = query["prefix"] ?? ""
        delimiter = query["delimiter"].flatMap { $0.isEmpty ? nil : $0 }
        continuationToken = query["continuation-token"]
        startAfter = query["start-after"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = query["max-keys"] {
            guard let value = Int(text), value >= 0 else {
                throw S3Error.invalidArgument(
                    "Provided max-keys not an integer or within integer range", name: "max-keys", value: text)
            }
            maxKeys = min(value, Self.maximumKeys)
        }
        urlEncoded = try Self.urlEncoded(query)
        fetchOwner = query["fetch-owner"] == "true"
    }

    /// Whether a listing's query asks `encoding-type=url`; 400 `InvalidArgument` for another encoding.
    static func urlEncoded(_ query: [String: String]) throws -> Bool {
        guard let encoding = query["encoding-type"] else { return false }
        guard encoding == "url" else {
            throw S3Error.invalidArgument("Invalid Encoding Method specified in Request", name: "encoding-type", value: encoding)
        }
        return true
    }

    /// A key or prefix as `encoding-type=url` answers it: everything but unreserved characters and
    /// `/` percent-encoded (a space as `%20`, a plus as `%2B`), which clients decode either way.
    static func urlEncode(_ text: String) -> String { AWSPercentEncoding.encode(text, keepSlash: true) }
}
