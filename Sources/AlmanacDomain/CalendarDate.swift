import Foundation

/// A day in the proleptic Gregorian calendar, without a time or a time zone.
///
/// Used for region validity (`2025-07-01`), release dates and the calendar bounds of a
/// ``Period``. Codable as its ISO 8601 text `YYYY-MM-DD`. Years are limited to
/// ``Period/yearMin``...``Period/yearMax`` like periods, so every date has four digits.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The year, 1900...2100.
    public let year: Int
    /// The month, 1...12.
    public let month: Int
    /// The day of the month, 1...(days in that month).
    public let day: Int

    /// Creates a date, or nil when the day does not exist (`2021-02-29`) or the year is out of range.
    public init?(year: Int, month: Int, day: Int) {
        guard (Period.yearMin...Period.yearMax).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` exactly (four, two and two digits); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Number of days in a month, accounting for Gregorian leap years.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        Period.pad(year, 4) + "-" + Period.pad(month, 2) + "-" + Period.pad(day, 2)
    }

    /// Midnight UTC at the start of this day.
    public var startOfDayUTC: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        return calendar.date(from: components)!
    }

    /// The date of a `Date` in UTC, or nil when its year is outside the supported range.
    public init?(utc date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        guard let y = c.year, let m = c.month, let d = c.day else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The month this day falls in.
    public var yearMonth: YearMonth { YearMonth(year: year, month: month)! }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a date YYYY-MM-DD: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One calendar month, the unit every ``Period`` is made of.
public struct YearMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, ``Period/yearMin``...``Period/yearMax``.
    public let year: Int
    /// The month, 1...12.
    public let month: Int

    /// Creates a month, or nil when the month or year is out of range.
    public init?(year: Int, month: Int) {
        guard (Period.yearMin...Period.yearMax).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Months since January of year 0; consecutive months have consecutive ordinals.
    public var ordinal: Int { year * 12 + (month - 1) }

    /// The month with the given ordinal, or nil outside the supported years.
    public init?(ordinal: Int) {
        self.init(year: ordinal.floorDiv(12), month: ordinal.floorMod(12) + 1)
    }

    /// The month `n` months later (earlier when negative), or nil outside the supported years.
    public func adding(months n: Int) -> YearMonth? { YearMonth(ordinal: ordinal + n) }

    /// `YYYY-MM`.
    public var description: String { Period.pad(year, 4) + "-" + Period.pad(month, 2) }

    /// The first day of the month.
    public var firstDay: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }

    /// The last day of the month.
    public var lastDay: CalendarDate {
        CalendarDate(year: year, month: month, day: CalendarDate.daysIn(year: year, month: month))!
    }

    public static func < (a: YearMonth, b: YearMonth) -> Bool { a.ordinal < b.ordinal }
}

extension Int {
    /// Division rounding towards negative infinity.
    func floorDiv(_ d: Int) -> Int { self >= 0 ? self / d : -((-self + d - 1) / d) }
    /// Remainder with the sign of the divisor.
    func floorMod(_ d: Int) -> Int { self - floorDiv(d) * d }
}
