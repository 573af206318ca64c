import Foundation

/// Proleptic Gregorian calendar arithmetic on whole days and seconds since 1970-01-01 UTC,
/// without `Calendar`: the scheduler needs exact, allocation-free answers for "which local
/// day is this" and "what instant is 02:30 on that day", and Foundation's calendar rounds
/// non-existent local times in ways that are hard to pin down.
///
/// Leap seconds do not exist here, as in POSIX time.
enum CivilTime {
    static let secondsPerDay: Int64 = 86_400

    /// Days since 1970-01-01 of a date (month 1...12, day 1...31); Howard Hinnant's algorithm.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (the inverse of ``days(year:month:day:)``).
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (month <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, month, day)
    }

    /// 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(days: Int64) -> Int {
        Int(((days % 7) + 7 + 4) % 7)
    }

    static func isLeap(_ year: Int64) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Floor division, so that instants before 1970 land on the right day.
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// The stamp of an instant in snapshot directory names: `20211231T020000Z` (UTC, whole seconds).
    static func compactStamp(_ date: Date) -> String {
        let s = Int64(date.timeIntervalSince1970.rounded(.down))
        let d = civil(days: floorDiv(s, secondsPerDay))
        let t = s - floorDiv(s, secondsPerDay) * secondsPerDay
        return pad(d.year, 4) + pad(d.month, 2) + pad(d.day, 2) + "T"
            + pad(t / 3600, 2) + pad(t / 60 % 60, 2) + pad(t % 60, 2) + "Z"
    }

    /// The instant of a compact stamp, or nil when `text` is not exactly one.
    static func parseCompactStamp(_ text: Substring) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z"),
              let year = digits(b[0..<4]), let month = digits(b[4..<6]), let day = digits(b[6..<8]),
              let hour = digits(b[9..<11]), let minute = digits(b[11..<13]), let second = digits(b[13..<15]),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let s = days(year: year, month: month, day: day) * secondsPerDay + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(s))
    }

    /// ISO 8601 in UTC with milliseconds, as the state file writes instants: `2021-12-31T02:00:00.000Z`.
    static func isoStamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let s = floorDiv(ms, 1000)
        let d = civil(days: floorDiv(s, secondsPerDay))
        let t = s - floorDiv(s, secondsPerDay) * secondsPerDay
        return pad(d.year, 4) + "-" + pad(d.month, 2) + "-" + pad(d.day, 2) + "T"
            + pad(t / 3600, 2) + ":" + pad(t / 60 % 60, 2) + ":" + pad(t % 60, 2) + "."
            + pad(ms - s * 1000, 3) + "Z"
    }

    /// Parses what ``isoStamp(_:)`` writes (the milliseconds may be left out).
    static func parseISOStamp(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 20 || b.count == 24, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              b[b.count - 1] == UInt8(ascii: "Z"),
              let year = digits(b[0..<4]), let month = digits(b[5..<7]), let day = digits(b[8..<10]),
              let hour = digits(b[11..<13]), let minute = digits(b[14..<16]), let second = digits(b[17..<19]),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var ms: Int64 = 0
        if b.count == 24 {
            guard b[19] == UInt8(ascii: "."), let fraction = digits(b[20..<23]) else { return nil }
            ms = fraction
        }
        let s = days(year: year, month: month, day: day) * secondsPerDay + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(s * 1000 + ms) / 1000)
    }

    /// A calendar date written `YYYY-MM-DD`, or nil.
    static func parseDate(_ text: String) -> (year: Int64, month: Int64, day: Int64)? {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let year = digits(b[0..<4]), let month = digits(b[5..<7]), let day = digits(b[8..<10]),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        return (year, month, day)
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for b in bytes {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(b - UInt8(ascii: "0"))
        }
        return value
    }
}
