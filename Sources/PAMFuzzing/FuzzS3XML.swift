import Foundation
import PAMCore
import PAMServer

extension FuzzTarget {
    /// Input: a request document of the AWS endpoint (Delete, CompleteMultipartUpload, Tagging,
    /// CreateBucketConfiguration, LifecycleConfiguration, CORSConfiguration), parsed as each.
    package static let s3XML = FuzzTarget(name: "s3-xml") { data in fuzzS3XML(data) }
}

/// Each parser either refuses the document with S3's error or accepts something within S3's
/// limits; an accepted lifecycle, CORS or tagging document answers (Get…) as XML that parses back
/// to the same rules.
@discardableResult
package func fuzzS3XML(_ data: Data) -> Bool {
    var accepted = false
    if let delete = try? S3XML.parseDelete(data) {
        accepted = true
        require((1...1000).contains(delete.keys.count), "DeleteObjects accepts \(delete.keys.count) keys")
    }
    if let parts = try? S3XML.parseCompletion(data) {
        accepted = true
        require(!parts.isEmpty, "a completion without parts is accepted")
    }
    if let tags = try? S3XML.parseTagging(data) {
        accepted = true
        require((try? S3XML.parseTagging(Data(S3XML.tagging(tags).utf8))) == tags, "tags \(tags) do not round-trip")
    }
    if (try? S3XML.parseCreateBucket(data)) != nil { accepted = true }
    if let rules = try? S3XML.parseLifecycle(data) {
        accepted = true
        require((1...1000).contains(rules.count) && Set(rules.map(\.id)).count == rules.count, "lifecycle rules \(rules) are accepted")
        require(
            rules.allSatisfy { $0.expirationDays != nil || $0.transitionDays != nil }, "a lifecycle rule without an action is accepted")
        require((try? S3XML.parseLifecycle(Data(S3XML.lifecycle(rules).utf8))) == rules, "lifecycle rules \(rules) do not round-trip")
    }
    if let rules = try? S3XML.parseCORS(data) {
        accepted = true
        require((try? S3XML.parseCORS(Data(S3XML.cors(rules).utf8))) == rules, "CORS rules \(rules) do not round-trip")
    }
    return accepted
}
