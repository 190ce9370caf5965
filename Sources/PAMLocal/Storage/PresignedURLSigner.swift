import Crypto
import Foundation
import PAMCore

/// Presigned URLs for local buckets: `{base}/{bucket}/{key}?X-Pam-Expires=…&X-Pam-Signature=…`,
/// the signature an HMAC-SHA256 over method, bucket, key, expiry and (for PUT) content type.
public struct PresignedURLSigner: Sendable {
    public static let expiresParameter = "X-Pam-Expires"
    public static let signatureParameter = "X-Pam-Signature"
    /// S3's limit: presigned URLs live at most seven days.
    public static let maxLifetime: TimeInterval = 7 * 24 * 3600

    let keyBytes: Data
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    let address: ServiceAddress
    /// The emulator's base URL, which `pam serve` answers.
    public var baseURL: URL { address.url }

    public init(key: Data, baseURL: URL) {
        self.init(key: key, address: ServiceAddress(baseURL))
    }

    /// A signer whose base URL may be settled later (`pam serve --port 0`).
    public init(key: Data, address: ServiceAddress) {
        self.keyBytes = key
        self.address = address
    }

    /// A URL granting `method` on `ref` until `now + expiresIn`.
    public func sign(_ method: PresignMethod, _ ref: ObjectRef, contentType: String?, expiresIn: TimeInterval, now: Date) throws -> URL {
        guard expiresIn > 0, expiresIn <= Self.maxLifetime else {
            throw PAMError(.invalidArgument, "expiry must be between 1 second and 7 days", ref: ref)
        }
        let expires = Int64((now.timeIntervalSince1970 + expiresIn).rounded(.down))
        let signature = mac(method, ref, expires: expires, contentType: contentType)
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)!
        components.percentEncodedPath = Self.path(for: ref, under: components.percentEncodedPath)
        components.percentEncodedQuery = "\(Self.expiresParameter)=\(expires)&\(Self.signatureParameter)=\(signature)"
        guard let url = components.url else { throw PAMError(.invalidKey, "cannot build a URL for the key", ref: ref) }
        return url
    }

    /// Checks a request made with a presigned URL: the expiry and signature query values, the
    /// method, object and (for PUT) the request's content type. Throws `.invalidSignature` (also
    /// for an expiry more than `maxLifetime` after `now`, which signing never makes) or `.expired`.
    public func verify(_ method: PresignMethod, _ ref: ObjectRef, expires: String?, signature: String?, contentType: String?, now: Date)
        throws
    {
        guard let expires, let signature, let expiry = Int64(expires) else {
            throw PAMError(
                .invalidSignature, "the URL is not presigned (missing \(Self.expiresParameter) or \(Self.signatureParameter))", ref: ref)
        }
        guard let given = Data(hex: signature), given.count == 32,
            HMAC<SHA256>.isValidAuthenticationCode(
                given, authenticating: message(method, ref, expires: expiry, contentType: contentType), using: key)
        else { throw PAMError(.invalidSignature, "the URL's signature does not match the request", ref: ref) }
        guard Double(expiry) > now.timeIntervalSince1970 else {
            throw PAMError(.expired, "the presigned URL expired", ref: ref)
        }
        // Signing never grants more than seven days, so a later expiry was not made by `sign`
        // now (e.g. a key leaked, or a clock far off): refuse it as S3 does.
        guard Double(expiry) <= now.timeIntervalSince1970 + Self.maxLifetime else {
            throw PAMError(.invalidSignature, "the presigned URL expires more than 7 days from now", ref: ref)
        }
    }

    /// Checks a full presigned URL (as handed out) for `method` and `contentType`.
    public func verify(url: URL, _ method: PresignMethod, contentType: String?, now: Date) throws -> ObjectRef {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let ref = Self.ref(fromPath: components.percentEncodedPath, base: baseURL)
        else { throw PAMError(.invalidSignature, "the URL does not name an object of this emulator") }
        let query = components.queryItems ?? []
        try verify(
            method, ref,
            expires: query.first { $0.name == Self.expiresParameter }?.value,
            signature: query.first { $0.name == Self.signatureParameter }?.value,
            contentType: contentType, now: now)
        return ref
    }

    private func message(_ method: PresignMethod, _ ref: ObjectRef, expires: Int64, contentType: String?) -> Data {
        let type = method == .put ? (contentType ?? "") : ""
        return Data("PAM-HMAC-SHA256\n\(method.rawValue)\n\(ref.bucket)\n\(ref.key)\n\(expires)\n\(type)".utf8)
    }

    private func mac(_ method: PresignMethod, _ ref: ObjectRef, expires: Int64, contentType: String?) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: message(method, ref, expires: expires, contentType: contentType), using: key)
        return Data(code).hexString
    }

    /// `/{bucket}/{key}` with each key segment percent-encoded (RFC 3986 unreserved kept).
    static func path(for ref: ObjectRef, under basePath: String) -> String {
        let prefix = basePath.hasSuffix("/") ? String(basePath.dropLast()) : basePath
        let key = ref.key.split(separator: "/", omittingEmptySubsequences: false)
            .map { String($0).addingPercentEncoding(withAllowedCharacters: .rfc3986Unreserved) ?? "" }
            .joined(separator: "/")
        return "\(prefix)/\(ref.bucket)/\(key)"
    }

    /// The object a request path names, relative to the base URL's path.
    public static func ref(fromPath percentEncodedPath: String, base: URL) -> ObjectRef? {
        var path = percentEncodedPath
        let basePath = URLComponents(url: base, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        let prefix = basePath.hasSuffix("/") ? String(basePath.dropLast()) : basePath
        guard path.hasPrefix(prefix + "/") else { return nil }
        path.removeFirst(prefix.count + 1)
        guard let slash = path.firstIndex(of: "/") else { return nil }
        let bucket = String(path[..<slash])
        guard let key = String(path[path.index(after: slash)...]).removingPercentEncoding, !key.isEmpty else { return nil }
        return ObjectRef(bucket: bucket, key: key)
    }
}

extension CharacterSet {
    static let rfc3986Unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

extension Data {
    /// Hex digits (either case) to bytes; nil for anything else. Works on UTF-8 code units: a
    /// signature is attacker-chosen text (stepping through it by Characters ran past the end on
    /// `é`, and `UInt8(_:radix:)` took `+0`/`-0` for a byte).
    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 0x30...0x39: digit - 0x30
            case 0x41...0x46: digit - 0x37
            case 0x61...0x66: digit - 0x57
            default: nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.init(bytes)
    }
}
