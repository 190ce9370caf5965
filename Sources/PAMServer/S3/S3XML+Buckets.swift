import Foundation
import PAMCore

/// The bucket documents: ListBuckets, GetBucketLocation, and the lifecycle and CORS
/// configurations, written as S3 writes them and read as S3 reads them (what PAM does not
/// apply is refused with 501, never kept as if it were).
extension S3XML {
    /// ListBuckets' `ListAllMyBucketsResult`, with the `Prefix` asked for, if any.
    static func listBuckets(_ buckets: [BucketInfo], prefix: String? = nil) -> String {
        var xml = declaration + "<ListAllMyBucketsResult xmlns=\"\(namespace)\"><Owner>\(owner)</Owner><Buckets>"
        for bucket in buckets {
            xml += "<Bucket>" + element("Name", bucket.name) + element("CreationDate", DateText.iso8601(bucket.created, milliseconds: true))
            xml += "</Bucket>"
        }
        return xml + "</Buckets>" + (prefix.map { element("Prefix", $0) } ?? "") + "</ListAllMyBucketsResult>"
    }

    /// GetBucketLocation: empty for us-east-1, as S3 answers there.
    static func location(_ region: String) -> String {
        let value = region == "us-east-1" ? "" : Markup.escape(region)
        return declaration + "<LocationConstraint xmlns=\"\(namespace)\">\(value)</LocationConstraint>"
    }

    /// CreateBucket's body: the `LocationConstraint` it names (nil when none); 400 `MalformedXML`
    /// for another document, 501 for the directory-bucket elements.
    package static func parseCreateBucket(_ data: Data) throws -> String? {
        guard !data.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) else { return nil }
        guard let root = XMLTree.parse(data), root.name == "CreateBucketConfiguration" else { throw S3Error.malformedXML() }
        for child in root.children where child.name != "LocationConstraint" {
            throw S3Error.notImplemented("CreateBucket with \(child.name)")
        }
        let constraint = root.value("LocationConstraint")?.trimmingCharacters(in: .whitespacesAndNewlines)
        return constraint?.isEmpty == false ? constraint : nil
    }

    // MARK: Lifecycle

    static let maximumLifecycleRules = 1000

    package static func lifecycle(_ rules: [LifecycleRule]) -> String {
        var xml = declaration + "<LifecycleConfiguration xmlns=\"\(namespace)\">"
        for rule in rules {
            xml += "<Rule>" + element("ID", rule.id) + "<Filter>" + element("Prefix", rule.prefix) + "</Filter>"
            xml += element("Status", rule.enabled ? "Enabled" : "Disabled")
            if let days = rule.transitionDays, let storageClass = rule.transitionStorageClass {
                xml += "<Transition>" + element("Days", String(days)) + element("StorageClass", storageClass.rawValue) + "</Transition>"
            }
            if let days = rule.expirationDays { xml += "<Expiration>" + element("Days", String(days)) + "</Expiration>" }
            if let days = rule.abortIncompleteUploadDays {
                xml +=
                    "<AbortIncompleteMultipartUpload>" + element("DaysAfterInitiation", String(days)) + "</AbortIncompleteMultipartUpload>"
            }
            xml += "</Rule>"
        }
        return xml + "</LifecycleConfiguration>"
    }

    /// The rules of a PutBucketLifecycleConfiguration body, checked as S3 checks them.
    package static func parseLifecycle(_ data: Data) throws -> [LifecycleRule] {
        guard let root = XMLTree.parse(data), root.name == "LifecycleConfiguration", !root.children.isEmpty,
            root.children.allSatisfy({ $0.name == "Rule" })
        else { throw S3Error.malformedXML() }
        guard root.children.count <= maximumLifecycleRules else {
            throw S3Error.invalidRequest("The number of lifecycle rules should not exceed allowed limit of 1000 rules")
        }
        let rules = try root.children.map(lifecycleRule)
        guard Set(rules.map(\.id)).count == rules.count else {
            throw S3Error(code: "InvalidArgument", status: 400, message: "Rule ID must be unique. Found same ID for more than one rule")
        }
        return rules
    }

    private static func lifecycleRule(_ node: XMLTree) throws -> LifecycleRule {
        let known: Set = ["ID", "Filter", "Prefix", "Status", "Expiration", "Transition", "AbortIncompleteMultipartUpload"]
        for child in node.children where !known.contains(child.name) {
            let actions: Set = ["NoncurrentVersionExpiration", "NoncurrentVersionTransition", "Transitions"]
            guard actions.contains(child.name) else { throw S3Error.malformedXML() }
            throw S3Error.notImplemented("the lifecycle action \(child.name)")
        }
        for name in ["ID", "Filter", "Prefix", "Status", "Expiration", "AbortIncompleteMultipartUpload"] where node.children(name).count > 1
        {
            throw S3Error.malformedXML()
        }
        let id = node.value("ID") ?? UUID().uuidString
        guard id.count <= 255 else {
            throw S3Error(code: "InvalidArgument", status: 400, message: "ID length should not exceed allowed limit of 255")
        }
        var rule = LifecycleRule(id: id, prefix: try lifecyclePrefix(node))
        switch node.value("Status") {
        case "Enabled": rule.enabled = true
        case "Disabled": rule.enabled = false
        default: throw S3Error.malformedXML()
        }
        if let expiration = node.child("Expiration") {
            for child in expiration.children where child.name != "Days" {
                guard ["Date", "ExpiredObjectDeleteMarker"].contains(child.name) else { throw S3Error.malformedXML() }
                throw S3Error.notImplemented("lifecycle Expiration by \(child.name)")
            }
            guard let days = try expiration.value("Days").map(integer) else { throw S3Error.malformedXML() }
            guard days > 0 else {
                throw S3Error(code: "InvalidArgument", status: 400, message: "'Days' for Expiration action must be a positive integer")
            }
            rule.expirationDays = days
        }
        let transitions = node.children("Transition")
        guard transitions.count <= 1 else { throw S3Error.notImplemented("more than one lifecycle Transition in a rule") }
        if let transition = transitions.first {
            for child in transition.children where !["Days", "StorageClass"].contains(child.name) {
                guard child.name == "Date" else { throw S3Error.malformedXML() }
                throw S3Error.notImplemented("lifecycle Transition by Date")
            }
            guard let days = try transition.value("Days").map(integer), let name = transition.value("StorageClass") else {
                throw S3Error.malformedXML()
            }
            guard days >= 0 else {
                throw S3Error(code: "InvalidArgument", status: 400, message: "'Days' in Transition action must be nonnegative")
            }
            guard let storageClass = StorageClass(rawValue: name), storageClass == .intelligentTiering else {
                let classes: Set = ["STANDARD_IA", "ONEZONE_IA", "GLACIER", "GLACIER_IR", "DEEP_ARCHIVE"]
                guard classes.contains(name) else { throw S3Error.malformedXML() }
                throw S3Error.notImplemented("lifecycle transitions to \(name) (only INTELLIGENT_TIERING)")
            }
            rule.transitionDays = days
            rule.transitionStorageClass = storageClass
        }
        if let abort = node.child("AbortIncompleteMultipartUpload") {
            guard abort.children.count == 1, let days = try abort.value("DaysAfterInitiation").map(integer) else {
                throw S3Error.malformedXML()
            }
            guard days > 0 else {
                throw S3Error(
                    code: "InvalidArgument", status: 400,
                    message: "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer")
            }
            rule.abortIncompleteUploadDays = days
        }
        guard rule.expirationDays != nil || rule.transitionDays != nil || rule.abortIncompleteUploadDays != nil else {
            throw S3Error.invalidRequest("At least one action needs to be specified in a rule")
        }
        if let expiration = rule.expirationDays, let transition = rule.transitionDays, expiration <= transition {
            throw S3Error(
                code: "InvalidArgument", status: 400,
                message: "'Days' in the Expiration action for filter '\(rule.prefix)' must be greater than 'Days' in the Transition action")
        }
        return rule
    }

    /// The rule's prefix: from `Filter` (only a `Prefix` in it) or the older rule-level `Prefix`, not both.
    private static func lifecyclePrefix(_ node: XMLTree) throws -> String {
        let filter = node.child("Filter")
        let legacy = node.child("Prefix")
        guard (filter == nil) != (legacy == nil) else { throw S3Error.malformedXML() }
        if let legacy { return legacy.text }
        guard let filter else { return "" }
        for child in filter.children where child.name != "Prefix" {
            guard ["Tag", "And", "ObjectSizeGreaterThan", "ObjectSizeLessThan"].contains(child.name) else { throw S3Error.malformedXML() }
            throw S3Error.notImplemented("lifecycle filters by \(child.name)")
        }
        guard filter.children.count <= 1 else { throw S3Error.malformedXML() }
        return filter.value("Prefix") ?? ""
    }

    private static func integer(_ text: String) throws -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw S3Error.malformedXML() }
        return value
    }

    // MARK: CORS

    static let maximumCORSRules = 100
    static let corsMethods: Set = ["GET", "PUT", "POST", "DELETE", "HEAD"]

    package static func cors(_ rules: [CORSRule]) -> String {
        var xml = declaration + "<CORSConfiguration xmlns=\"\(namespace)\">"
        for rule in rules {
            xml += "<CORSRule>" + (rule.id.map { element("ID", $0) } ?? "")
            xml += rule.allowedHeaders.map { element("AllowedHeader", $0) }.joined()
            xml += rule.allowedMethods.map { element("AllowedMethod", $0) }.joined()
            xml += rule.allowedOrigins.map { element("AllowedOrigin", $0) }.joined()
            xml += rule.exposeHeaders.map { element("ExposeHeader", $0) }.joined()
            xml += (rule.maxAgeSeconds.map { element("MaxAgeSeconds", String($0)) } ?? "") + "</CORSRule>"
        }
        return xml + "</CORSConfiguration>"
    }

    /// The rules of a PutBucketCors body, checked as S3 checks them.
    package static func parseCORS(_ data: Data) throws -> [CORSRule] {
        guard let root = XMLTree.parse(data), root.name == "CORSConfiguration", !root.children.isEmpty,
            root.children.allSatisfy({ $0.name == "CORSRule" })
        else { throw S3Error.malformedXML() }
        guard root.children.count <= maximumCORSRules else {
            throw S3Error.invalidRequest("The number of CORS rules should not exceed allowed limit of 100 rules.")
        }
        return try root.children.map { node in
            let known: Set = ["ID", "AllowedHeader", "AllowedMethod", "AllowedOrigin", "ExposeHeader", "MaxAgeSeconds"]
            guard node.children.allSatisfy({ known.contains($0.name) }), node.children("ID").count <= 1,
                node.children("MaxAgeSeconds").count <= 1
            else { throw S3Error.malformedXML() }
            let rule = CORSRule(
                id: node.value("ID"), allowedMethods: node.children("AllowedMethod").map(\.text),
                allowedOrigins: node.children("AllowedOrigin").map(\.text), allowedHeaders: node.children("AllowedHeader").map(\.text),
                exposeHeaders: node.children("ExposeHeader").map(\.text), maxAgeSeconds: try node.value("MaxAgeSeconds").map(integer))
            guard !rule.allowedMethods.isEmpty, !rule.allowedOrigins.isEmpty else { throw S3Error.malformedXML() }
            if let method = rule.allowedMethods.first(where: { !corsMethods.contains($0) }) {
                throw S3Error.invalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is \(method)")
            }
            if let origin = rule.allowedOrigins.first(where: { $0.filter { $0 == "*" }.count > 1 }) {
                throw S3Error.invalidRequest("AllowedOrigin \"\(origin)\" can not have more than one wildcard.")
            }
            if let header = rule.allowedHeaders.first(where: { $0.filter { $0 == "*" }.count > 1 }) {
                throw S3Error.invalidRequest("AllowedHeader \"\(header)\" can not have more than one wildcard.")
            }
            return rule
        }
    }
}
