import Foundation

/// A reference period: a contiguous run of months within one calendar year.
///
/// Every period an agency publishes is one of these: a year (`2021`), a half (`2021-H1`), a
/// quarter (`2021-Q3`), a month (`2021-07`), or a cumulative run such as the "first nine
/// months" (`2021-01..2021-09`). Two periods covering the same months are the same period:
/// `2021-01..2021-03` *is* `2021-Q1`, and its ``description`` says so.
///
/// A period never crosses a year boundary: Vietnam's fiscal and statistical years are calendar
/// years, and keeping periods inside one year makes ``year`` and ``sameYearEarlier``
/// unambiguous. Runs of several periods are a query concern: see ``PeriodRange``.
///
/// Codable as its canonical text; decoding accepts every spelling ``parse(_:)`` accepts.
public struct Period: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The earliest year a period may have; older figures are not economic statistics of
    /// modern Vietnam and a year like 1850 in a file is a typing error.
    public static let yearMin = 1900
    /// The latest year a period may have; later years in a file are typing errors.
    public static let yearMax = 2100

    /// The first month of the period.
    public let firstMonth: YearMonth
    /// The last month of the period (inclusive).
    public let lastMonth: YearMonth

    /// How often a period of this shape recurs.
    ///
    /// Ordered from coarsest to finest; ``cumulative`` (any other run of months, usually
    /// year-to-date) has no fixed place and sorts first.
    public enum Frequency: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case cumulative, annual, half, quarterly, monthly

        /// Months in one period of this frequency; nil for cumulative runs, which vary.
        public var monthsCount: Int? {
            switch self {
            case .annual: 12
            case .half: 6
            case .quarterly: 3
            case .monthly: 1
            case .cumulative: nil
            }
        }

        /// The SDMX frequency code (`A`, `S`, `Q`, `M`); nil for cumulative runs.
        public var sdmxCode: String? {
            switch self {
            case .annual: "A"
            case .half: "S"
            case .quarterly: "Q"
            case .monthly: "M"
            case .cumulative: nil
            }
        }

        public static func < (a: Frequency, b: Frequency) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// Creates the period running from `first` to `last` inclusive.
    ///
    /// Returns nil when `last` is before `first` or the two are in different years.
    public init?(first: YearMonth, last: YearMonth) {
        guard first <= last, first.year == last.year else { return nil }
        firstMonth = first
        lastMonth = last
    }

    /// The calendar year `year`, or nil outside ``yearMin``...``yearMax``.
    public static func year(_ year: Int) -> Period? { months(year, 1, 12) }

    /// Half `half` (1 or 2) of `year`.
    public static func half(_ year: Int, _ half: Int) -> Period? {
        (1...2).contains(half) ? months(year, half * 6 - 5, half * 6) : nil
    }

    /// Quarter `quarter` (1...4) of `year`.
    public static func quarter(_ year: Int, _ quarter: Int) -> Period? {
        (1...4).contains(quarter) ? months(year, quarter * 3 - 2, quarter * 3) : nil
    }

    /// Month `month` (1...12) of `year`.
    public static func month(_ year: Int, _ month: Int) -> Period? { months(year, month, month) }

    /// Months `first`...`last` of `year` (the cumulative "first nine months" is `months(y, 1, 9)`).
    public static func months(_ year: Int, _ first: Int, _ last: Int) -> Period? {
        guard let a = YearMonth(year: year, month: first), let b = YearMonth(year: year, month: last) else { return nil }
        return Period(first: a, last: b)
    }

    /// The calendar year the period lies in.
    public var year: Int { firstMonth.year }

    /// Number of months covered, 1...12.
    public var monthsCount: Int { lastMonth.ordinal - firstMonth.ordinal + 1 }

    /// The frequency implied by the period's shape.
    public var frequency: Frequency {
        let first = firstMonth.month
        switch monthsCount {
        case 12: return .annual
        case 6 where first == 1 || first == 7: return .half
        case 3 where (first - 1) % 3 == 0: return .quarterly
        case 1: return .monthly
        default: return .cumulative
        }
    }

    /// Whether the period runs from January to some month of the same year (year-to-date).
    public var isYearToDate: Bool { firstMonth.month == 1 }

    /// The canonical text: `2021`, `2021-H1`, `2021-Q3`, `2021-07` or `2021-01..2021-09`.
    public var description: String {
        let y = Period.pad(year, 4)
        switch frequency {
        case .annual: return y
        case .half: return "\(y)-H\(firstMonth.month == 1 ? 1 : 2)"
        case .quarterly: return "\(y)-Q\((firstMonth.month + 2) / 3)"
        case .monthly: return firstMonth.description
        case .cumulative: return "\(firstMonth)..\(lastMonth)"
        }
    }

    /// `value` in decimal with leading zeros to `width` digits (no Foundation formatting:
    /// this runs for every observation).
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// The SDMX `TIME_PERIOD` spelling (`2021`, `2021-S1`, `2021-Q3`, `2021-M07`), or nil
    /// for cumulative runs, which SDMX cannot express.
    public var sdmxDescription: String? {
        switch frequency {
        case .annual: return String(format: "%04d", year)
        case .half: return String(format: "%04d-S%d", year, firstMonth.month == 1 ? 1 : 2)
        case .quarterly: return String(format: "%04d-Q%d", year, (firstMonth.month + 2) / 3)
        case .monthly: return String(format: "%04d-M%02d", year, firstMonth.month)
        case .cumulative: return nil
        }
    }

    /// Whether every month of `other` lies within this period.
    public func contains(_ other: Period) -> Bool {
        firstMonth <= other.firstMonth && other.lastMonth <= lastMonth
    }

    /// Whether `month` lies within this period.
    public func contains(_ month: YearMonth) -> Bool { firstMonth <= month && month <= lastMonth }

    /// Whether the two periods share at least one month.
    public func overlaps(_ other: Period) -> Bool {
        firstMonth <= other.lastMonth && other.firstMonth <= lastMonth
    }

    /// The periods of `frequency` that tile this period exactly, in order.
    ///
    /// Nil when they do not tile it: `2021-01..2021-08` has no quarters, and no period has
    /// sub-periods coarser than itself or of the ``Frequency/cumulative`` kind.
    public func subperiods(_ frequency: Frequency) -> [Period]? {
        guard let size = frequency.monthsCount, (firstMonth.month - 1) % size == 0,
              monthsCount % size == 0 else { return nil }
        return stride(from: firstMonth.month, through: lastMonth.month, by: size).map {
            Period.months(year, $0, $0 + size - 1)!
        }
    }

    /// Every month of the period, in order.
    public var months: [Period] { subperiods(.monthly)! }
    /// The quarters of the period, or nil when it is not made of whole quarters.
    public var quarters: [Period]? { subperiods(.quarterly) }
    /// The halves of the period, or nil when it is not made of whole halves.
    public var halves: [Period]? { subperiods(.half) }

    /// The period of the same frequency immediately before, or nil before ``yearMin``.
    ///
    /// Nil for cumulative runs too: the period "before" January–September is not a thing an
    /// agency publishes; compare year-to-date figures with ``sameYearEarlier`` instead.
    public var previous: Period? { step(-1) }

    /// The period of the same frequency immediately after, or nil after ``yearMax`` or for
    /// cumulative runs.
    public var next: Period? { step(1) }

    /// The same months one year earlier (for year-on-year change), or nil before ``yearMin``.
    public var sameYearEarlier: Period? { shifted(years: -1) }

    /// The same months `n` years later (earlier when negative), or nil outside the year range.
    public func shifted(years n: Int) -> Period? {
        guard let a = firstMonth.adding(months: 12 * n), let b = lastMonth.adding(months: 12 * n) else { return nil }
        return Period(first: a, last: b)
    }

    private func step(_ direction: Int) -> Period? {
        guard let size = frequency.monthsCount,
              let a = firstMonth.adding(months: direction * size),
              let b = lastMonth.adding(months: direction * size) else { return nil }
        return Period(first: a, last: b)
    }

    /// The first day of the period.
    public var startDate: CalendarDate { firstMonth.firstDay }
    /// The last day of the period (inclusive).
    public var endDate: CalendarDate { lastMonth.lastDay }

    /// Orders by first month, then by last month: `2021-01` < `2021-Q1` < `2021-H1` < `2021`.
    public static func < (a: Period, b: Period) -> Bool {
        (a.firstMonth.ordinal, a.lastMonth.ordinal) < (b.firstMonth.ordinal, b.lastMonth.ordinal)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Period.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
