import Foundation
import PAMCore

/// One page of a ListObjectsV2 answer: the objects and the common prefixes, in key order, and the
/// token of the next page when there is one.
struct S3ListPage: Sendable {
    var objects: [ObjectInfo] = []
    var commonPrefixes: [String] = []
    var nextContinuationToken: String?
}
