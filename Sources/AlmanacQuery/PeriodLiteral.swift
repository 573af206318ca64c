/// A reference period as written in a query: a year, half, quarter or month.
///
/// Spellings accepted by the lexer: `2021`, `2021-A1` (year); `2021-H1`, `2021-S1` (half);
/// `2021-Q3` (quarter); `2021-07`, `2021-M07` (month). Letters may be lower case. The
/// canonical spelling (``description``) is the first of each list, upper case.
public enum PeriodLiteral: Sendable, Hashable, CustomStringConvertible {
    /// A calendar year.
    case year(Int)
    /// A half year, 1 or 2.
    case half(year: Int, half: Int)
    /// A quarter, 1 to 4.
    case quarter(year: Int, quarter: Int)
    /// A month, 1 to 12.
    case month(year: Int, month: Int)

    /// The canonical spelling: `2021`, `2021-H1`, `2021-Q3`, `2021-07`.
    public var description: String {
        switch self {
        case .year(let year): return "\(year)"
        case .half(let year, let half): return "\(year)-H\(half)"
        case .quarter(let year, let quarter): return "\(year)-Q\(quarter)"
        case .month(let year, let month): return "\(year)-\(month < 10 ? "0" : "")\(month)"
        }
    }

    /// The name of the frequency, for messages: `year`, `half`, `quarter`, `month`.
    public var frequencyName: String {
        switch self {
        case .year: return "year"
        case .half: return "half"
        case .quarter: return "quarter"
        case .month: return "month"
        }
    }

    /// The first month of the period, counted from January of year 0; orders periods of one frequency.
    public var firstMonthIndex: Int {
        switch self {
        case .year(let year): return year * 12
        case .half(let year, let half): return year * 12 + (half - 1) * 6
        case .quarter(let year, let quarter): return year * 12 + (quarter - 1) * 3
        case .month(let year, let month): return year * 12 + month - 1
        }
    }
}

/// A calendar date (`2021-07-12`), used for knowledge time: the end of that day.
public struct DateLiteral: Sendable, Hashable, CustomStringConvertible {
    /// The year, four digits.
    public var year: Int
    /// The month, 1 to 12.
    public var month: Int
    /// The day of the month, valid for that month and year.
    public var day: Int

    /// A date from its parts; the lexer has already checked that it exists.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2021-07-12`.
    public var description: String {
        let pad = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(pad(month))-\(pad(day))"
    }

    /// Days in a month of the proleptic Gregorian calendar.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// Which periods `during` shows: one period or an inclusive range of periods of one frequency.
public enum PeriodSelection: Sendable, Hashable, CustomStringConvertible {
    /// One period.
    case single(PeriodLiteral)
    /// From the first to the last period inclusive (`2021-01..2021-06`); both of one frequency, in order.
    case range(PeriodLiteral, PeriodLiteral)

    /// `2021-H1` or `2015..2023`.
    public var description: String {
        switch self {
        case .single(let period): return period.description
        case .range(let first, let last): return "\(first)..\(last)"
        }
    }
}

/// A point on the knowledge-time axis, for `asof`.
public enum KnowledgeTime: Sendable, Hashable, CustomStringConvertible {
    /// What is known now: the latest value of every observation (the default).
    case latest
    /// The first value ever reported for each observation (its first release).
    case first
    /// What was known at the end of that day.
    case date(DateLiteral)
    /// What was known once the log held every event up to this sequence number (`@12345`).
    case position(UInt64)

    /// `latest`, `first`, `2021-07-12` or `@12345`.
    public var description: String {
        switch self {
        case .latest: return "latest"
        case .first: return "first"
        case .date(let date): return date.description
        case .position(let position): return "@\(position)"
        }
    }
}
