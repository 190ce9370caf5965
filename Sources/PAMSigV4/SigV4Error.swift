import Foundation

/// Every refusal of the verifier, the aws-chunked decoder and the body checks: S3's error code and
/// HTTP status, S3's message, and the extra elements S3 puts in its error XML.
///
/// The endpoint renders it as S3 does: `<Error><Code>\(code)</Code><Message>\(message)</Message>`,
/// then one element per detail, in order. Codes compare with `==` (`error.code == .signatureDoesNotMatch`).
public struct SigV4Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// An S3 error code with the HTTP status S3 answers it with.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code as S3 writes it, `SignatureDoesNotMatch`.
        public let name: String
        /// The HTTP status S3 answers with.
        public let status: Int

        private init(_ name: String, _ status: Int) {
            self.name = name
            self.status = status
        }

        /// 403: anonymous request, presigned URL expired or not yet valid, no usable date.
        public static let accessDenied = Code("AccessDenied", 403)
        /// 403: the access key is not one the endpoint knows.
        public static let invalidAccessKeyId = Code("InvalidAccessKeyId", 403)
        /// 403: the signature (of the request, a chunk or the trailer) is not the one computed.
        public static let signatureDoesNotMatch = Code("SignatureDoesNotMatch", 403)
        /// 403: the request's time is more than 15 minutes from the endpoint's.
        public static let requestTimeTooSkewed = Code("RequestTimeTooSkewed", 403)
        /// 400: the `Authorization` header cannot be read.
        public static let authorizationHeaderMalformed = Code("AuthorizationHeaderMalformed", 400)
        /// 400: the `X-Amz-*` query parameters of a presigned request cannot be used.
        public static let authorizationQueryParametersError = Code("AuthorizationQueryParametersError", 400)
        /// 400: a header the credentials require is missing (the session token of temporary credentials).
        public static let missingSecurityHeader = Code("MissingSecurityHeader", 400)
        /// 400: the session token is not the credentials' one.
        public static let invalidToken = Code("InvalidToken", 400)
        /// 400: a header S3 requires is missing or a value is not supported.
        public static let invalidRequest = Code("InvalidRequest", 400)
        /// 400: an argument is not acceptable (two auth mechanisms, an unknown algorithm …).
        public static let invalidArgument = Code("InvalidArgument", 400)
        /// 400: the body does not match its `Content-MD5` or `x-amz-checksum-*`.
        public static let badDigest = Code("BadDigest", 400)
        /// 400: the `Content-MD5` header is not the base64 of 16 bytes.
        public static let invalidDigest = Code("InvalidDigest", 400)
        /// 400: the body does not match its `x-amz-content-sha256`.
        public static let xAmzContentSHA256Mismatch = Code("XAmzContentSHA256Mismatch", 400)
        /// 400: the body ended early, its aws-chunked framing is malformed, or its decoded length is
        /// not `x-amz-decoded-content-length`.
        public static let incompleteBody = Code("IncompleteBody", 400)
        /// 400: a chunk other than the last is smaller than 8 KiB.
        public static let invalidChunkSizeError = Code("InvalidChunkSizeError", 400)
        /// 400: the trailer is missing, or is not the one `x-amz-trailer` announced.
        public static let malformedTrailerError = Code("MalformedTrailerError", 400)
        /// 501: a signing variant PAM does not implement (SigV4a's ECDSA).
        public static let notImplemented = Code("NotImplemented", 501)

        public var description: String { name }
    }

    /// One extra element of S3's error XML, `<StringToSign>…</StringToSign>`.
    public struct Detail: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public let code: Code
    /// S3's message for the failure.
    public let message: String
    /// The extra elements of S3's error XML, in S3's order.
    public var details: [Detail]

    public init(_ code: Code, _ message: String, details: [Detail] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// The value of the detail `name`, when there is one.
    public func detail(_ name: String) -> String? { details.first { $0.name == name }?.value }

    /// The canonical request the endpoint computed, on a `SignatureDoesNotMatch` of the request.
    public var canonicalRequest: String? { detail("CanonicalRequest") }
    /// The string to sign the endpoint computed, on a `SignatureDoesNotMatch`.
    public var stringToSign: String? { detail("StringToSign") }

    public var description: String {
        "\(code) (\(code.status)): \(message)"
            + details.filter { !$0.name.hasSuffix("Bytes") }.map { " [\($0.name): \($0.value)]" }.joined()
    }

    // MARK: S3's errors, once each

    static func signatureDoesNotMatch(accessKeyID: String, stringToSign: String, provided: String, canonicalRequest: String?)
        -> SigV4Error
    {
        var details = [
            Detail("AWSAccessKeyId", accessKeyID), Detail("StringToSign", stringToSign), Detail("SignatureProvided", provided),
            Detail("StringToSignBytes", spacedHex(stringToSign)),
        ]
        if let canonicalRequest {
            details += [Detail("CanonicalRequest", canonicalRequest), Detail("CanonicalRequestBytes", spacedHex(canonicalRequest))]
        }
        return SigV4Error(
            .signatureDoesNotMatch,
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            details: details)
    }

    static func incompleteBody() -> SigV4Error {
        SigV4Error(.incompleteBody, "The request body terminated unexpectedly")
    }

    static func lengthMismatch(expected: Int64, provided: Int64) -> SigV4Error {
        SigV4Error(
            .incompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header",
            details: [Detail("NumberBytesExpected", String(expected)), Detail("NumberBytesProvided", String(provided))])
    }

    static func malformedTrailer() -> SigV4Error {
        SigV4Error(
            .malformedTrailerError,
            "The request contained trailing data that was not well-formed or did not conform to our published schema.")
    }

    /// `41 57 53 34`: how S3 shows the bytes of a string to sign.
    private static func spacedHex(_ text: String) -> String {
        text.utf8.map { byte in String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }
            .joined(separator: " ")
    }
}
