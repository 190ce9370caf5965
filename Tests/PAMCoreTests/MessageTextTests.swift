import Foundation
import PAMCore
import Testing

@Suite("MessageText")
struct MessageTextTests {
    @Test("line breaks are unified, controls and bidi characters dropped, a lone '.' line defused")
    func body() {
        #expect(MessageText.body("a\r\nb\rc\nd") == "a\nb\nc\nd")
        #expect(MessageText.body("x\u{0}\u{1B}[31my\u{7F}\u{9B}z") == "x[31myz")
        #expect(
            MessageText.body("\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{61C}ok") == "ok")
        #expect(MessageText.body("one\n.\ntwo\n..\n. x") == "one\n .\ntwo\n..\n. x")
        #expect(MessageText.body("tab\there\u{2028}next") == "tab here\nnext")
        #expect(MessageText.body("Montaña, café, 山") == "Montaña, café, 山")
    }

    @Test("a subject stays on one line")
    func line() {
        #expect(MessageText.line("Ready\r\nBcc: x@example.com") == "Ready Bcc: x@example.com")
    }

    @Test("a quoted name shows forbidden characters as escapes")
    func quoted() {
        #expect(MessageText.quoted("a\r\n\u{202E}b") == "'a\\u{D}\\u{A}\\u{202E}b'")
        #expect(MessageText.quoted("Sky") == "'Sky'")
    }
}
