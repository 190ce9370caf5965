import Crypto
import Foundation

/// The one user of the local sign-in, from configuration. The password is compared in constant
/// time and never logged; e-mail and phone are PII.
public struct LocalUser: Sendable {
    public var username: String
    public var email: String
    public var phone: String?
    public var password: String

    public init(username: String, email: String, phone: String?, password: String) {
        self.username = username
        self.email = email
        self.phone = phone
        self.password = password
    }

    /// A stable `sub` derived from the username, shaped like Cognito's UUIDs.
    var subject: String {
        let digest = Array(SHA256.hash(data: Data("pam-local-user:\(username)".utf8)).prefix(16))
        return UUID(
            uuid: (
                digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6] & 0x0F | 0x40, digest[7],
                digest[8] & 0x3F | 0x80, digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]
            )
        )
        .uuidString.lowercased()
    }

    /// Whether `username` and `password` are this user's, compared in constant time.
    func matches(username: String, password: String) -> Bool {
        let given = Array(SHA256.hash(data: Data("\(username)\u{0}\(password)".utf8)))
        let expected = Array(SHA256.hash(data: Data("\(self.username)\u{0}\(self.password)".utf8)))
        return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
