import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

@Suite("FileDropNotifier")
struct FileDropNotifierTests {
    let email = "ana.lopez+photos@example.org"
    let phone = "+34600123456"

    @Test("Notifier conformance", arguments: NotifierConformance.checks)
    func conformance(_ check: NotifierConformance.Check) async throws {
        try await withTemporaryState { state in
            try await check.run(
                NotifierConformance.Subject(notifier: try state.notifier(), email: email, phone: phone) { receipt, _ in
                    try DeliveredMessage(outboxFile: try #require(receipt.location))
                })
        }
    }

    @Test("outbox messages are 0600 in a 0700 outbox in a 0700 state folder, also when an older state made them readable")
    func privateOutbox() async throws {
        try await withTemporaryState { state in
            try state.state.create()
            // As older versions left them.
            #expect(chmod(state.state.outbox.path, 0o755) == 0 && chmod(state.state.root.path, 0o755) == 0)
            let notifier = try state.notifier()
            for recipient in [Recipient.email(email), .phone(phone)] {
                let receipt = try await notifier.deliver(PAMCore.Notification(subject: "s", body: "http://x/y"), to: recipient)
                let attributes = try FileManager.default.attributesOfItem(atPath: try #require(receipt.location))
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            }
            for folder in [state.state.outbox, state.state.root] {
                let attributes = try FileManager.default.attributesOfItem(atPath: folder.path)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700, "\(folder.path)")
            }
        }
    }

    @Test("writes an RFC 5322 message holding the link, the address only inside it")
    func emailMessage() async throws {
        try await withTemporaryState { state in
            let logs = CapturedLogs()
            let link =
                "http://127.0.0.1:8080/pam-working/0f1e.zip?X-Pam-Expires=1800086400&X-Pam-Signature=" + String(repeating: "ab", count: 32)
            let receipt = try await state.notifier(logger: logs.logger("notifier")).deliver(
                PAMCore.Notification(subject: "Your PAM photos are ready", body: "Download it:\n\(link)"), to: .email(email))
            let path = try #require(receipt.location)
            #expect(path.hasPrefix(state.state.outbox.path) && path.hasSuffix(".eml"))
            #expect(!path.contains(email))
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("\r\nTo: <\(email)>\r\n"))
            #expect(text.contains("Subject: Your PAM photos are ready\r\n"))
            // An ASCII body goes as is, so the link can be copied straight from the file.
            #expect(text.contains("Content-Transfer-Encoding: 7bit\r\n"))
            #expect(text.hasSuffix("Download it:\r\n\(link)\r\n"))
            #expect(!logs.text.contains(email) && !logs.text.isEmpty)
            #expect(state.files().filter { $0.hasPrefix("outbox/") }.count == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: state.state.temporary.path).isEmpty)
        }
    }

    @Test("a non-ASCII body is quoted-printable with short lines that decode to the text")
    func quotedPrintable() async throws {
        try await withTemporaryState { state in
            let body = "Fotos de montaña listas: " + String(repeating: "https://example.com/ñ?a=b ", count: 5)
            let receipt = try await state.notifier().deliver(
                PAMCore.Notification(subject: "Fotos de montaña", body: body), to: .email(email))
            let text = try String(contentsOfFile: try #require(receipt.location), encoding: .utf8)
            #expect(text.contains("Content-Transfer-Encoding: quoted-printable\r\n"))
            #expect(text.contains("Subject: =?utf-8?B?"))
            let encoded = String(text[text.range(of: "\r\n\r\n")!.upperBound...])
            #expect(encoded.split(separator: "\r\n").allSatisfy { $0.count <= 76 })
            #expect(DeliveredMessage.decodeQuotedPrintable(encoded) == body + "\r\n")
        }
    }

    @Test("writes SMS as JSON")
    func smsMessage() async throws {
        try await withTemporaryState { state in
            let receipt = try await state.notifier().deliver(
                PAMCore.Notification(subject: "s", body: "link: http://x/y?a=b"), to: .phone(phone))
            let path = try #require(receipt.location)
            #expect(path.hasSuffix(".json") && !path.contains(phone))
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: String]
            #expect(json?["to"] == phone)
            #expect(json?["message"] == "link: http://x/y?a=b")
        }
    }
}
