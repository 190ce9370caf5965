import Crypto
import Foundation
import PAMCore

/// Checks the SigV4 signature of a received request, in the `Authorization` header or in a
/// presigned URL's query, the way S3 does, with the signer's own canonicalisation.
///
/// ```swift
/// let verifier = SigV4Verifier(credentials: ["AKIDEXAMPLE": "secret"], clock: SystemClock())
/// let auth = try verifier.verify(SigV4ReceivedRequest(method: "GET", target: uri, headers: headers))
/// // route by auth.service; read the body as auth.payload says:
/// let body = try AWSChunkedDecoder(auth, headers: headers)?.decode(raw) ?? raw
/// ```
///
/// Refusals are `SigV4Error`s carrying S3's code, status and message: no signature at all → 403
/// `AccessDenied` (the endpoint has no public buckets); unknown key → 403 `InvalidAccessKeyId`;
/// wrong signature → 403 `SignatureDoesNotMatch` with the string to sign and canonical request; a
/// header-signed time more than 15 minutes off → 403 `RequestTimeTooSkewed`; a presigned URL past
/// `X-Amz-Expires` → 403 `AccessDenied` "Request has expired"; `host` or an `x-amz-*` header left
/// out of the signature → 403 `AccessDenied` (`HeadersNotSigned`); unreadable header or query → 400
/// `AuthorizationHeaderMalformed` / `AuthorizationQueryParametersError`.
public struct SigV4Verifier: Sendable {
    /// How far a header-signed request's time may be from the clock, as S3 allows.
    public static let maximumSkew: TimeInterval = 15 * 60
    /// The longest validity of a presigned URL: seven days.
    public static let maximumExpiry = 604_800

    public var credentials: any SigV4CredentialStore
    public var clock: any WallClock
    /// The canonicalisation rules of a scope's service: S3's (no path normalisation) for `s3`, the
    /// standard ones for the others.
    public var rules: @Sendable (_ service: String) -> SigV4Signer.Rules

    public init(
        credentials: any SigV4CredentialStore, clock: any WallClock,
        rules: @escaping @Sendable (_ service: String) -> SigV4Signer.Rules = SigV4Verifier.rules(for:)
    ) {
        self.credentials = credentials
        self.clock = clock
        self.rules = rules
    }

    /// S3's rules for `s3`, the standard ones otherwise.
    public static func rules(for service: String) -> SigV4Signer.Rules { service == "s3" ? .s3 : .standard }

    /// Verifies `request`'s signature and says who signed it, for which scope, and how its body
    /// must be read. `bucketFromHost`: the bucket a virtual-hosted S3 request's host names, which
    /// an S3 Signature Version 2 presigned URL signs as the start of its resource.
    public func verify(_ request: SigV4ReceivedRequest, bucketFromHost: String? = nil) throws -> SigV4Authentication {
        let authorization = request.header("Authorization")
        let presigned = request.queryValue("X-Amz-Algorithm") != nil || request.queryValue("X-Amz-Credential") != nil
        if let authorization, presigned {
            throw SigV4Error(
                .invalidArgument,
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter "
                    + "or the Authorization header should be specified",
                details: SigV4Claim.argument("Authorization", authorization))
        }
        if let authorization {
            if authorization.hasPrefix("AWS ") { throw Self.signatureVersion2() }
            return try verify(SigV4Claim(authorization: authorization, request: request), request)
        }
        if presigned { return try verify(SigV4Claim(query: request), request) }
        if request.queryValue("Signature") != nil || request.queryValue("AWSAccessKeyId") != nil {
            return try verifyVersion2Query(request, bucketFromHost: bucketFromHost)
        }
        throw SigV4Error(.accessDenied, "Access Denied")
    }

    /// The service a SigV4 request's credential scope names (`Authorization` header or presigned
    /// query), before anything is verified: the endpoint routes by it, and must know it to decide how
    /// the body takes part in the signature. Nil when there is no readable SigV4 scope.
    public static func claimedService(_ request: SigV4ReceivedRequest) -> String? {
        if let authorization = request.header("Authorization") {
            return (try? SigV4Claim(authorization: authorization, request: request))?.service
        }
        return (try? SigV4Claim(query: request))?.service
    }

    // MARK: Stages

    /// The credentials of `accessKeyID`; 403 `InvalidAccessKeyId` when the endpoint has no such key.
    func knownCredentials(_ accessKeyID: String) throws -> AWSCredentials {
        guard let known = credentials.credentials(forAccessKeyID: accessKeyID) else {
            throw SigV4Error(
                .invalidAccessKeyId, "The AWS Access Key Id you provided does not exist in our records.",
                details: [SigV4Error.Detail("AWSAccessKeyId", accessKeyID)])
        }
        return known
    }

    /// 403 `AccessDenied` "Request has expired" for a presigned URL that ended at `end`, with S3's
    /// elements: `details` (the signing version's own), then `Expires` and `ServerTime`.
    static func expired(at end: Date, now: Date, details: [SigV4Error.Detail] = []) -> SigV4Error {
        SigV4Error(
            .accessDenied, "Request has expired",
            details: details + [.init("Expires", DateText.iso8601(end)), .init("ServerTime", DateText.iso8601(now))])
    }

    private func verify(_ claim: SigV4Claim, _ request: SigV4ReceivedRequest) throws -> SigV4Authentication {
        let credentials = try knownCredentials(claim.accessKeyID)
        try checkTime(claim, request)
        try checkSignedHeaders(claim, request)
        if let expected = credentials.sessionToken {
            guard let token = claim.securityToken else {
                throw SigV4Error(
                    .missingSecurityHeader, "Your request was missing a required header",
                    details: [.init("MissingHeaderName", "x-amz-security-token")])
            }
            guard token == expected else { throw SigV4Error(.invalidToken, "The provided token is malformed or otherwise invalid.") }
        }
        let (payload, payloadHash) = try payloadMode(claim, request)

        let rules = rules(claim.service)
        let signer = SigV4Signer(credentials: credentials, region: claim.region, service: claim.service, rules: rules)
        let canonical = signer.canonicalRequest(
            canonicalInput(claim, request, rules: rules, payloadHash: payloadHash), timestamp: claim.timestamp)
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, timestamp: claim.timestamp)
        let expected = signer.signature(stringToSign: stringToSign, timestamp: claim.timestamp)
        guard Self.constantTimeEqual(expected, claim.signature.lowercased()) else {
            throw SigV4Error.signatureDoesNotMatch(
                accessKeyID: claim.accessKeyID, stringToSign: stringToSign, provided: claim.signature, canonicalRequest: canonical)
        }
        if case .sha256(let declared) = payload, let computed = request.bodySHA256, declared != computed.lowercased() {
            throw AWSBodyCheck.contentSHA256Mismatch(declared: declared, computed: computed.lowercased())
        }
        return SigV4Authentication(
            accessKeyID: claim.accessKeyID, region: claim.region, service: claim.service, date: claim.date,
            location: claim.expires.map { .query(expires: claim.date + TimeInterval($0)) } ?? .header, payload: payload,
            signedHeaders: claim.signedHeaders,
            chain: SigV4ChunkChain(
                signingKey: signer.signingKey(timestamp: claim.timestamp), timestamp: claim.timestamp,
                scope: signer.scope(claim.timestamp), seedSignature: expected))
    }

    /// Header signing: within 15 minutes of the clock. Presigning: not expired, not from the future.
    private func checkTime(_ claim: SigV4Claim, _ request: SigV4ReceivedRequest) throws {
        let now = clock.now()
        guard let expires = claim.expires else {
            guard abs(now.timeIntervalSince(claim.date)) <= Self.maximumSkew else {
                throw SigV4Error(
                    .requestTimeTooSkewed, "The difference between the request time and the current time is too large.",
                    details: [
                        .init("RequestTime", request.header("x-amz-date") ?? request.header("Date") ?? claim.timestamp.dateTime),
                        .init("ServerTime", DateText.iso8601(now)), .init("MaxAllowedSkewMilliseconds", "900000"),
                    ])
            }
            return
        }
        let end = claim.date + TimeInterval(expires)
        guard now <= end else { throw Self.expired(at: end, now: now, details: [.init("X-Amz-Expires", String(expires))]) }
        guard claim.date.timeIntervalSince(now) <= Self.maximumSkew else {
            throw SigV4Error(
                .accessDenied, "Request is not valid yet",
                details: [.init("X-Amz-Date", claim.timestamp.dateTime), .init("ServerTime", DateText.iso8601(now))])
        }
    }

    /// `host` must be signed, and for S3 every `x-amz-*` header the request carries, else 403
    /// `AccessDenied` naming them, as S3 answers — an unsigned header could otherwise change what a
    /// signature grants (turn a presigned PUT into a copy of another object, or address another
    /// bucket). Other services let a session token be added after signing (the suite's
    /// `post-sts-header-after`).
    private func checkSignedHeaders(_ claim: SigV4Claim, _ request: SigV4ReceivedRequest) throws {
        let signed = Set(claim.signedHeaders)
        var unsigned: [String] = []
        for field in request.headers {
            let name = field.name.lowercased()
            let mustBeSigned = name == "host" || (claim.service == "s3" && name.hasPrefix("x-amz-"))
            if mustBeSigned, !signed.contains(name), !unsigned.contains(name) { unsigned.append(name) }
        }
        guard unsigned.isEmpty else {
            throw SigV4Error(
                .accessDenied, "There were headers present in the request which were not signed",
                details: [.init("HeadersNotSigned", unsigned.joined(separator: ", "))])
        }
    }

    /// The declared payload mode, and the hash that ends the canonical request.
    private func payloadMode(_ claim: SigV4Claim, _ request: SigV4ReceivedRequest) throws -> (SigV4PayloadMode, String) {
        if let declared = request.header("x-amz-content-sha256") {
            guard let mode = SigV4PayloadMode(headerValue: declared) else {
                if declared.hasPrefix("STREAMING-AWS4-ECDSA") {
                    throw SigV4Error(.notImplemented, "Signature Version 4A payloads (\(declared)) are not implemented")
                }
                throw SigV4Error(
                    .invalidArgument,
                    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
                        + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
                    details: SigV4Claim.argument("x-amz-content-sha256", declared))
            }
            return (mode, declared)
        }
        if claim.expires != nil, claim.service == "s3" { return (.unsigned, SigV4PayloadMode.unsignedPayload) }
        if claim.expires == nil, claim.service == "s3" {
            throw SigV4Error(.invalidRequest, "Missing required header for this request: x-amz-content-sha256")
        }
        if let body = request.bodySHA256?.lowercased() { return (.sha256(body), body) }
        if claim.expires != nil { return (.unsigned, SigV4PayloadMode.unsignedPayload) }
        throw SigV4Error(.invalidRequest, "Missing required header for this request: x-amz-content-sha256")
    }

    /// The request as the signer canonicalises it: decoded path and query (without the signature),
    /// the signed headers in the request's order, and the payload hash.
    private func canonicalInput(_ claim: SigV4Claim, _ request: SigV4ReceivedRequest, rules: SigV4Signer.Rules, payloadHash: String)
        -> SigV4Request
    {
        let signed = Set(claim.signedHeaders)
        var query = request.query.map { SigV4Request.Field(AWSPercentEncoding.decode($0.name), AWSPercentEncoding.decode($0.value)) }
        if claim.expires != nil {
            query.removeAll { $0.name == "X-Amz-Signature" || ($0.name == "X-Amz-Security-Token" && rules.omitSessionToken) }
        }
        // `.sha256` carries the declared value verbatim, whether a hash or UNSIGNED-PAYLOAD/STREAMING-….
        return SigV4Request(
            method: request.method, path: AWSPercentEncoding.decode(request.path), query: query,
            headers: request.headers.filter { signed.contains($0.name.lowercased()) }, payload: .sha256(payloadHash))
    }

    static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func signatureVersion2() -> SigV4Error {
        SigV4Error(.invalidRequest, "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
    }
}
