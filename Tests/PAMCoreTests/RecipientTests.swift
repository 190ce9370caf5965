import PAMCore
import Testing

@Suite("Recipient validation")
struct RecipientTests {
    @Test("accepts ordinary addresses", arguments: ["a@b.co", "first.last+tag@sub.example.org", "x_y-z@example-mail.com"])
    func goodEmail(_ address: String) throws {
        #expect(try Recipient.email(validating: address) == .email(address))
    }

    @Test(
        "refuses malformed addresses",
        arguments: [
            "", "plain", "@example.com", "a@", "a@b", "a@@b.com", "a b@c.com",
            ".a@b.com", "a..b@c.com", "a@b..com", "a@-b.com", "<a@b.com>", "a@b.com\r\nBcc: x@y.z",
        ])
    func badEmail(_ address: String) {
        #expect(throws: PAMError.self) { try Recipient.email(validating: address) }
    }

    @Test("accepts E.164 numbers and refuses others")
    func phones() throws {
        #expect(try Recipient.phone(validating: "+15551234567") == .phone("+15551234567"))
        for bad in ["15551234567", "+0123456789", "+1555", "+1555123456789012", "+1 555 123 4567", "+1555abc4567"] {
            #expect(throws: PAMError.self, "\(bad)") { try Recipient.phone(validating: bad) }
        }
    }

    @Test("never shows the address when printed or logged")
    func description() {
        #expect("\(Recipient.email("secret@example.com"))" == "<email recipient>")
        #expect(String(describing: Recipient.phone("+15551234567")) == "<sms recipient>")
    }
}
