import Foundation

/// Every date format PAM writes or reads, in UTC, in one place: HTTP headers, S3 listings, e-mail,
/// SigV4 and file names. Written with `gmtime_r` and read with `timegm`: no locale, no formatter
/// built per call, safe from any thread.
public enum DateText {
    /// `Wed, 12 Oct 2009 17:50:00 GMT` (RFC 9110 IMF-fixdate: Last-Modified, Date, S3 headers).
    public static func http(_ date: Date) -> String {
        let t = UTCParts(date)
        return "\(weekdays[t.weekday]), \(pad(t.day, 2)) \(months[t.month - 1]) \(pad(t.year, 4)) \(t.clock) GMT"
    }

    /// `Wed, 12 Oct 2009 17:50:00 +0000` (RFC 5322 e-mail Date header).
    public static func email(_ date: Date) -> String {
        let t = UTCParts(date)
        return "\(weekdays[t.weekday]), \(pad(t.day, 2)) \(months[t.month - 1]) \(pad(t.year, 4)) \(t.clock) +0000"
    }

    /// `2009-10-12T17:50:30Z`, or `2009-10-12T17:50:30.000Z` with milliseconds (S3 listings).
    public static func iso8601(_ date: Date, milliseconds: Bool = false) -> String {
        let t = UTCParts(date)
        let fraction = milliseconds ? "." + pad(t.milliseconds, 3) : ""
        return "\(pad(t.year, 4))-\(pad(t.month, 2))-\(pad(t.day, 2))T\(t.clock)\(fraction)Z"
    }

    /// `20091012T175030Z` (SigV4's X-Amz-Date, file names).
    public static func compact(_ date: Date) -> String {
        let t = UTCParts(date)
        return day(date) + "T" + pad(t.hour, 2) + pad(t.minute, 2) + pad(t.second, 2) + "Z"
    }

    /// `20091012` (SigV4's credential scope).
    public static func day(_ date: Date) -> String {
        let t = UTCParts(date)
        return pad(t.year, 4) + pad(t.month, 2) + pad(t.day, 2)
    }

    /// Reads `http`'s form; nil for anything else.
    public static func parseHTTP(_ text: String) -> Date? {
        // "Wed, 12 Oct 2009 17:50:00 GMT"
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","), weekdays.contains(String(parts[0].dropLast())),
            parts[5] == "GMT", let day = number(parts[1], digits: 2), let month = months.firstIndex(of: String(parts[2])),
            let year = number(parts[3], digits: 4)
        else { return nil }
        let clock = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, let hour = number(clock[0], digits: 2), let minute = number(clock[1], digits: 2),
            let second = number(clock[2], digits: 2)
        else { return nil }
        return date(year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second, milliseconds: 0)
    }

    /// Reads `iso8601`'s forms (with or without a fraction of a second, up to nanoseconds); nil for anything else.
    public static func parseISO8601(_ text: String) -> Date? {
        // "2009-10-12T17:50:30Z" or "2009-10-12T17:50:30.123Z"
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"), bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { return nil }
        func field(_ start: Int, _ count: Int) -> Int? {
            number(Substring(decoding: bytes[start..<start + count], as: UTF8.self), digits: count)
        }
        guard let year = field(0, 4), let month = field(5, 2), let day = field(8, 2), let hour = field(11, 2),
            let minute = field(14, 2), let second = field(17, 2)
        else { return nil }
        var milliseconds = 0
        if bytes.count > 20 {
            let fraction = bytes[19..<bytes.count - 1]
            guard fraction.first == UInt8(ascii: "."), (2...10).contains(fraction.count),
                let digits = number(Substring(decoding: fraction.dropFirst(), as: UTF8.self), digits: fraction.count - 1)
            else { return nil }
            milliseconds =
                fraction.count - 1 >= 3
                ? digits / power(10, fraction.count - 1 - 3) : digits * power(10, 3 - (fraction.count - 1))
        }
        return date(year: year, month: month, day: day, hour: hour, minute: minute, second: second, milliseconds: milliseconds)
    }

    /// Reads `compact`'s form (`20091012T175030Z`, SigV4's X-Amz-Date); nil for anything else.
    public static func parseCompact(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func field(_ start: Int, _ count: Int) -> Int? {
            number(Substring(decoding: bytes[start..<start + count], as: UTF8.self), digits: count)
        }
        guard let year = field(0, 4), let month = field(4, 2), let day = field(6, 2), let hour = field(9, 2),
            let minute = field(11, 2), let second = field(13, 2)
        else { return nil }
        return date(year: year, month: month, day: day, hour: hour, minute: minute, second: second, milliseconds: 0)
    }

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func number(_ text: Substring, digits: Int) -> Int? {
        guard text.utf8.count == digits, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text)
    }

    private static func power(_ base: Int, _ exponent: Int) -> Int { (0..<exponent).reduce(1) { value, _ in value * base } }

    /// The moment, or nil when a field is out of range (a 31st of February is refused, not carried).
    private static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, milliseconds: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            (0...60).contains(second)
        else { return nil }
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month - 1)
        fields.tm_mday = Int32(day)
        fields.tm_hour = Int32(hour)
        fields.tm_min = Int32(minute)
        fields.tm_sec = Int32(min(second, 59))
        let seconds = timegm(&fields)
        // timegm normalises; a date it had to carry did not exist.
        guard fields.tm_mday == Int32(day), fields.tm_mon == Int32(month - 1) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(milliseconds) / 1000)
    }
}

/// A moment's calendar fields in UTC.
private struct UTCParts {
    let year, month, day, hour, minute, second, milliseconds, weekday: Int

    init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        var seconds = time_t(whole)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        year = Int(fields.tm_year) + 1900
        month = Int(fields.tm_mon) + 1
        day = Int(fields.tm_mday)
        hour = Int(fields.tm_hour)
        minute = Int(fields.tm_min)
        second = Int(fields.tm_sec)
        weekday = Int(fields.tm_wday)
        milliseconds = min(999, Int(((interval - whole) * 1000).rounded(.down)))
    }

    var clock: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(hour)):\(two(minute)):\(two(second))"
    }
}
