import Foundation
import PAMCore

extension FuzzTarget {
    /// Input: a string, validated as an e-mail address and as a phone number.
    package static let recipient = FuzzTarget(name: "recipient") { data in fuzzRecipient(data) }
}

@discardableResult
package func fuzzRecipient(_ data: Data) -> Bool {
    let text = String(decoding: data, as: UTF8.self)
    let email = try? Recipient.email(validating: text)
    let phone = try? Recipient.phone(validating: text)
    for recipient in [email, phone].compactMap({ $0 }) { checkRecipient(recipient) }
    return email != nil || phone != nil
}

/// What any accepted recipient satisfies: nothing that could break out of a mail header or an
/// SMS, and a description that never shows the address.
func checkRecipient(_ recipient: Recipient) {
    switch recipient {
    case .email(let address):
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        require(
            parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && address.utf8.count <= 254,
            "e-mail address \(address.debugDescription) is accepted")
        require(
            address.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) && !"<>()[]\\,;:\"".unicodeScalars.contains($0) },
            "e-mail address \(address.debugDescription) with a space, control, bidi or special character is accepted")
        require(!recipient.description.contains(address), "the description shows the address")
    case .phone(let number):
        let digits = number.utf8.dropFirst()
        require(
            number.hasPrefix("+") && (8...15).contains(digits.count) && digits.allSatisfy { (0x30...0x39).contains($0) }
                && digits.first != 0x30,
            "phone number \(number.debugDescription) is accepted")
        require(!recipient.description.contains(number), "the description shows the number")
    }
}
