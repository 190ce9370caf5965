import Foundation
import PAMCore

/// What a request says about its own signature, read from the `Authorization` header or from a
/// presigned URL's `X-Amz-*` query, before anything is checked against a key or the clock. Every
/// refusal here is S3's for an unreadable header or query.
struct SigV4Claim: Sendable {
    var accessKeyID: String
    var region: String
    var service: String
    var timestamp: AWSTimestamp
    var date: Date
    /// Lower-case names, as the client listed them.
    var signedHeaders: [String]
    var signature: String
    /// Seconds of validity of a presigned URL; nil for header signing.
    var expires: Int?
    var securityToken: String?

    // MARK: The Authorization header

    /// Reads `AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=…`.
    init(authorization: String, request: SigV4ReceivedRequest) throws {
        let algorithm = authorization.prefix { $0 != " " }
        guard algorithm == SigV4Signer.algorithm else {
            if algorithm.hasPrefix("AWS4-ECDSA") {
                throw SigV4Error(.notImplemented, "Signature Version 4A (AWS4-ECDSA-P256-SHA256) is not implemented")
            }
            throw SigV4Error(.invalidArgument, "Unsupported Authorization Type", details: Self.argument("Authorization", authorization))
        }
        var components: [String: String] = [:]
        for component in authorization.dropFirst(algorithm.count).split(separator: ",") {
            let trimmed = component.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            components[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
        }
        guard let credential = components["Credential"], let signedHeaders = components["SignedHeaders"],
            let signature = components["Signature"]
        else {
            throw Self.malformedHeader("the authorization header requires three components: Credential, SignedHeaders, and Signature.")
        }
        let scope = try Self.scope(credential) { Self.malformedHeader($0) }

        let timestamp: AWSTimestamp
        if let amzDate = request.header("x-amz-date") {
            guard let parsed = AWSTimestamp(dateTime: amzDate) else { throw Self.noDate() }
            timestamp = parsed
        } else if let httpDate = request.header("Date").flatMap(DateText.parseHTTP) {
            timestamp = AWSTimestamp(httpDate)
        } else {
            throw Self.noDate()
        }
        guard scope.date == timestamp.date else {
            throw Self.malformedHeader("Invalid credential date. Date is not the same as X-Amz-Date.")
        }
        self.init(
            accessKeyID: scope.accessKeyID, region: scope.region, service: scope.service, timestamp: timestamp,
            date: DateText.parseCompact(timestamp.dateTime) ?? Date(timeIntervalSince1970: 0),
            signedHeaders: signedHeaders.split(separator: ";").map { $0.lowercased() }, signature: signature, expires: nil,
            securityToken: request.header("x-amz-security-token"))
    }

    // MARK: The presigned query

    /// Reads `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
    /// `X-Amz-SignedHeaders`, `X-Amz-Signature` and the optional `X-Amz-Security-Token`.
    init(query request: SigV4ReceivedRequest) throws {
        guard let algorithm = request.queryValue("X-Amz-Algorithm"), let credential = request.queryValue("X-Amz-Credential"),
            let signature = request.queryValue("X-Amz-Signature"), let amzDate = request.queryValue("X-Amz-Date"),
            let signedHeaders = request.queryValue("X-Amz-SignedHeaders"), let expiresText = request.queryValue("X-Amz-Expires")
        else {
            throw Self.queryError(
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
                    + "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
        }
        guard algorithm == SigV4Signer.algorithm else {
            if algorithm.hasPrefix("AWS4-ECDSA") {
                throw SigV4Error(.notImplemented, "Signature Version 4A (AWS4-ECDSA-P256-SHA256) is not implemented")
            }
            throw Self.queryError(#"X-Amz-Algorithm only supports "AWS4-HMAC-SHA256""#)
        }
        let scope = try Self.scope(credential) { Self.queryError("Error parsing the X-Amz-Credential parameter; " + $0) }
        guard let timestamp = AWSTimestamp(dateTime: amzDate), let date = DateText.parseCompact(amzDate) else {
            throw Self.queryError(#"X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'""#)
        }
        guard scope.date == timestamp.date else {
            throw Self.queryError(
                #"Invalid credential date "\#(scope.date)". This date is not the same as X-Amz-Date: "\#(timestamp.date)"."#)
        }
        guard let expires = Int(expiresText) else { throw Self.queryError("X-Amz-Expires should be a number") }
        guard expires >= 0 else { throw Self.queryError("X-Amz-Expires must be non-negative") }
        guard expires <= SigV4Verifier.maximumExpiry else {
            throw Self.queryError("X-Amz-Expires must be less than a week (in seconds) that is; 604800 seconds")
        }
        self.init(
            accessKeyID: scope.accessKeyID, region: scope.region, service: scope.service, timestamp: timestamp, date: date,
            signedHeaders: signedHeaders.split(separator: ";").map { $0.lowercased() }, signature: signature, expires: expires,
            securityToken: request.queryValue("X-Amz-Security-Token"))
    }

    init(
        accessKeyID: String, region: String, service: String, timestamp: AWSTimestamp, date: Date, signedHeaders: [String],
        signature: String, expires: Int?, securityToken: String?
    ) {
        self.accessKeyID = accessKeyID
        self.region = region
        self.service = service
        self.timestamp = timestamp
        self.date = date
        self.signedHeaders = signedHeaders
        self.signature = signature
        self.expires = expires
        self.securityToken = securityToken
    }

    // MARK: Pieces

    /// `AKID/20130524/us-east-1/s3/aws4_request`, split; `refuse` turns the reason into the error.
    private static func scope(_ credential: String, refuse: (String) -> SigV4Error) throws
        -> (accessKeyID: String, date: String, region: String, service: String)
    {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, !parts[0].isEmpty, parts[1].utf8.count == 8, parts[1].utf8.allSatisfy({ (48...57).contains($0) }),
            !parts[2].isEmpty, !parts[3].isEmpty
        else {
            throw refuse(#"the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request"."#)
        }
        guard parts[4] == "aws4_request" else {
            throw refuse(#"incorrect terminal "\#(parts[4])". This endpoint uses "aws4_request"."#)
        }
        return (parts[0], parts[1], parts[2], parts[3])
    }

    private static func malformedHeader(_ reason: String) -> SigV4Error {
        SigV4Error(.authorizationHeaderMalformed, "The authorization header is malformed; " + reason)
    }

    private static func queryError(_ message: String) -> SigV4Error {
        SigV4Error(.authorizationQueryParametersError, message)
    }

    private static func noDate() -> SigV4Error {
        SigV4Error(.accessDenied, "AWS authentication requires a valid Date or x-amz-date header")
    }

    static func argument(_ name: String, _ value: String) -> [SigV4Error.Detail] {
        [SigV4Error.Detail("ArgumentName", name), SigV4Error.Detail("ArgumentValue", value)]
    }
}
