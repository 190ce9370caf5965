import Crypto
import Foundation
import PAMCore

/// S3's Signature Version 2 presigned URLs (`?AWSAccessKeyId=…&Expires=…&Signature=…`), which boto3
/// and the aws CLI still make by default for us-east-1 on a custom endpoint
/// (`generate_presigned_url`, `aws s3 presign`): the string to sign is the method, `Content-MD5`,
/// `Content-Type`, the expiry, the `x-amz-*` headers and the resource (`/bucket/key` plus the
/// subresources S3 signs), HMAC-SHA1 under the secret. The `Authorization: AWS …` header form
/// stays refused.
extension SigV4Verifier {
    /// The query parameters a Version 2 string to sign includes, as S3 (and botocore's signer) lists them.
    static let version2Subresources: Set<String> = [
        "accelerate", "acl", "cors", "defaultObjectAcl", "location", "logging", "partNumber", "policy", "requestPayment",
        "torrent", "versioning", "versionId", "versions", "website", "uploads", "uploadId", "response-content-type",
        "response-content-language", "response-expires", "response-cache-control", "response-content-disposition",
        "response-content-encoding", "delete", "lifecycle", "tagging", "restore", "storageClass", "notification", "replication",
        "analytics", "metrics", "inventory", "select", "select-type", "object-lock",
    ]

    /// Verifies a Version 2 presigned request for S3. `bucketFromHost` is the bucket a
    /// virtual-hosted request's host names, which the signed resource starts with.
    func verifyVersion2Query(_ request: SigV4ReceivedRequest, bucketFromHost: String?) throws -> SigV4Authentication {
        guard let accessKeyID = request.queryValue("AWSAccessKeyId"), let signature = request.queryValue("Signature"),
            let expiresText = request.queryValue("Expires")
        else {
            throw SigV4Error(
                .accessDenied, "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters")
        }
        let credentials = try knownCredentials(accessKeyID)
        guard let expiresSeconds = Int(expiresText) else {
            throw SigV4Error(.accessDenied, "Invalid date (should be seconds since epoch): \(expiresText)")
        }
        let expires = Date(timeIntervalSince1970: TimeInterval(expiresSeconds))
        let now = clock.now()
        guard now <= expires else { throw Self.expired(at: expires, now: now) }
        // S3 sets no limit on a Version 2 URL's life; PAM keeps Version 4's week, so no link outlives it.
        guard expires.timeIntervalSince(now) <= TimeInterval(Self.maximumExpiry) else {
            throw SigV4Error(.accessDenied, "Expires must be at most a week (604800 seconds) from now")
        }
        if let expected = credentials.sessionToken, request.queryValue("x-amz-security-token") != expected {
            throw SigV4Error(.invalidToken, "The provided token is malformed or otherwise invalid.")
        }
        let stringToSign = Self.version2StringToSign(request, expires: expiresText, bucketFromHost: bucketFromHost)
        let key = SymmetricKey(data: Data(credentials.secretAccessKey.utf8))
        let expected = Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(stringToSign.utf8), using: key)).base64EncodedString()
        guard Self.constantTimeEqual(expected, signature) else {
            throw SigV4Error(
                .signatureDoesNotMatch,
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                details: [.init("AWSAccessKeyId", accessKeyID), .init("StringToSign", stringToSign), .init("SignatureProvided", signature)])
        }
        let signedHeaders = request.headers.map { $0.name.lowercased() }.filter {
            $0.hasPrefix("x-amz-") || $0 == "content-md5" || $0 == "content-type"
        }
        return SigV4Authentication(
            accessKeyID: accessKeyID, region: "us-east-1", service: "s3", date: now, location: .query(expires: expires),
            payload: .unsigned, signedHeaders: signedHeaders,
            chain: SigV4ChunkChain(signingKey: key, timestamp: AWSTimestamp(now), scope: "", seedSignature: signature))
    }

    /// `METHOD\nContent-MD5\nContent-Type\nExpires\n` + the `x-amz-*` headers (lower-case names,
    /// sorted, values joined by commas) + the resource: the raw path (after `/bucket` for a
    /// virtual-hosted request) and the signed subresources, sorted, values decoded.
    static func version2StringToSign(_ request: SigV4ReceivedRequest, expires: String, bucketFromHost: String?) -> String {
        var amzHeaders: [String: [String]] = [:]
        for field in request.headers where field.name.lowercased().hasPrefix("x-amz-") {
            amzHeaders[field.name.lowercased(), default: []].append(field.value.trimmingCharacters(in: .whitespaces))
        }
        let headerLines = amzHeaders.keys.sorted().map { "\($0):\(amzHeaders[$0]!.joined(separator: ","))\n" }.joined()
        var resource = (bucketFromHost.map { "/" + $0 } ?? "") + request.path
        let subresources = request.query
            .map { (name: AWSPercentEncoding.decode($0.name), value: AWSPercentEncoding.decode($0.value), bare: !$0.value.isEmpty) }
            .filter { version2Subresources.contains($0.name) }
            .sorted { $0.name < $1.name }
            .map { $0.bare ? "\($0.name)=\($0.value)" : $0.name }
        if !subresources.isEmpty { resource += "?" + subresources.joined(separator: "&") }
        return [request.method, request.header("Content-MD5") ?? "", request.header("Content-Type") ?? "", expires].joined(separator: "\n")
            + "\n" + headerLines + resource
    }
}
