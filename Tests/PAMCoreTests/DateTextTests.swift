import Foundation
import PAMCore
import Testing

/// `DateText` against Foundation's formatters as the oracle, over many moments.
struct DateTextTests {
    static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }

    /// Whole seconds from 1970 to 2200, spread by a fixed generator, plus the edges.
    static let moments: [Date] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var dates = [0, 951_782_400, 4_107_542_399, 1_709_208_000].map { Date(timeIntervalSince1970: $0) }
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            dates.append(Date(timeIntervalSince1970: TimeInterval((state >> 33) % 7_258_118_400)))
        }
        return dates
    }()

    @Test func writesWhatFoundationWrites() {
        let http = Self.formatter("EEE, dd MMM yyyy HH:mm:ss 'GMT'")
        let email = Self.formatter("EEE, dd MMM yyyy HH:mm:ss Z")
        let compact = Self.formatter("yyyyMMdd'T'HHmmss'Z'")
        let day = Self.formatter("yyyyMMdd")
        let iso = ISO8601DateFormatter()
        for date in Self.moments {
            #expect(DateText.http(date) == http.string(from: date))
            #expect(DateText.email(date) == email.string(from: date))
            #expect(DateText.compact(date) == compact.string(from: date))
            #expect(DateText.day(date) == day.string(from: date))
            #expect(DateText.iso8601(date) == iso.string(from: date))
        }
    }

    @Test func readsBackWhatItWrites() {
        for date in Self.moments {
            #expect(DateText.parseHTTP(DateText.http(date)) == date)
            #expect(DateText.parseISO8601(DateText.iso8601(date)) == date)
            #expect(DateText.parseCompact(DateText.compact(date)) == date)
            let withMillis = date.addingTimeInterval(0.25)
            #expect(DateText.iso8601(withMillis, milliseconds: true).hasSuffix(".250Z"))
            #expect(DateText.parseISO8601(DateText.iso8601(withMillis, milliseconds: true)) == withMillis)
        }
        #expect(DateText.parseISO8601("2009-10-12T17:50:30.5Z") == Date(timeIntervalSince1970: 1_255_369_830.5))
        #expect(DateText.parseISO8601("2009-10-12T17:50:30.123456789Z") == Date(timeIntervalSince1970: 1_255_369_830.123))
    }

    @Test(arguments: [
        "", "Wed, 12 Oct 2009 17:50:00 UTC", "Wed, 12 Oct 2009 17:50 GMT", "Wed 12 Oct 2009 17:50:00 GMT",
        "Wed, 31 Feb 2009 17:50:00 GMT", "Wed, 12 Foo 2009 17:50:00 GMT", "Wed, 12 Oct 2009 24:00:00 GMT",
        "Wed, +2 Oct 2009 17:50:00 GMT", "Xyz, 12 Oct 2009 17:50:00 GMT",
    ])
    func refusesWhatIsNotAnHTTPDate(_ text: String) {
        #expect(DateText.parseHTTP(text) == nil)
    }

    @Test(arguments: [
        "", "2009-10-12", "2009-10-12T17:50:30", "2009-10-12T17:50:30+01:00", "2009-13-12T17:50:30Z",
        "2009-02-30T17:50:30Z", "2009-10-12T17:50:30.Z", "2009-10-12T17:50:30.1234567890Z", "2009-10-12 17:50:30Z",
        "２００９-10-12T17:50:30Z", "2009-10-12T1７:50:30Z",
    ])
    func refusesWhatIsNotAUTCISO8601Time(_ text: String) {
        #expect(DateText.parseISO8601(text) == nil)
    }

    @Test(arguments: [
        "", "20091012", "20091012T175030", "20091012T175030z", "2009-10-12T17:50:30Z", "20091312T175030Z",
        "20090230T175030Z", "20091012T245030Z", "20091012 175030Z", "2009101２T175030Z",
    ])
    func refusesWhatIsNotACompactTime(_ text: String) {
        #expect(DateText.parseCompact(text) == nil)
    }

    @Test func escapesTheFiveMarkupCharacters() {
        #expect(Markup.escape(#"<a href="x">Tom & Jerry's</a>"#) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;")
        #expect(Markup.escape("Löwe 🦁") == "Löwe 🦁")
    }
}
