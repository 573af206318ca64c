import Foundation

extension Period {
    /// Period texts longer than this are rejected before any other check; the longest valid
    /// spelling (`2021-M01..2021-M12`) has 18 characters.
    public static let textCharactersMax = 64

    /// Status words agencies glue onto periods (`Prel.2016`, GSO's `Pre. 2015` and `Est. 2016`,
    /// `2016p`), with the status each means. Longer markers come first so `prel.` wins over `p`.
    static let statusMarkers: [(marker: String, status: String)] = [
        ("preliminary", "preliminary"), ("provisional", "preliminary"), ("prel.", "preliminary"),
        ("prel", "preliminary"), ("pre.", "preliminary"), ("pre", "preliminary"), ("prov.", "preliminary"), ("prov", "preliminary"),
        ("sơ bộ", "preliminary"), ("estimated", "estimated"), ("estimate", "estimated"),
        ("est.", "estimated"), ("est", "estimated"), ("ước tính", "estimated"), ("ước", "estimated"),
        ("revised", "revised"), ("rev.", "revised"), ("rev", "revised"),
        ("p", "preliminary"), ("e", "estimated"),
    ]

    /// Parses one period.
    ///
    /// Accepts `2021`, `2021-H1`, `2021-Q3`, `2021-07`, the SDMX spellings `2021-A1`, `2021-S1`,
    /// `2021-M07` (letters in any case), and a run of months `A..B` where `A` and `B` are any
    /// periods of the same year (`2021-01..2021-09`, `2021-Q1..2021-Q3`). Surrounding spaces
    /// are ignored. A run that covers exactly a year, half or quarter *is* that period.
    ///
    /// - Throws: ``PeriodError`` with a hint for what agencies really send: `Prel.2016`,
    ///   `Q1/2024`, `01/02/2016`, Excel serial numbers, `2021-13`, `2021-Q5`, `2021-H3`, a run
    ///   written backwards or across years, years outside 1900...2100.
    public static func parse(_ text: String) throws(PeriodError) -> Period {
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !s.isEmpty else {
            throw PeriodError(.empty, input: text, message: "empty period", hint: PeriodError.acceptedForms)
        }
        guard s.count <= textCharactersMax else {
            throw PeriodError(.tooLong, input: text,
                              message: "period text too long (\(s.count) characters, at most \(textCharactersMax))")
        }
        if s.contains("..") { return try parseRun(s) }
        return try parseSingle(s)
    }

    /// Parses `A..B` into the run from the first month of `A` to the last month of `B`.
    private static func parseRun(_ s: String) throws(PeriodError) -> Period {
        let parts = s.components(separatedBy: "..")
        guard parts.count == 2 else {
            throw PeriodError(.unrecognised, input: s, message: "unrecognised period '\(s)'",
                              hint: PeriodError.acceptedForms)
        }
        let a = try parseSingle(parts[0].trimmingCharacters(in: .whitespaces))
        let b = try parseSingle(parts[1].trimmingCharacters(in: .whitespaces))
        guard a.firstMonth <= b.firstMonth, a.lastMonth <= b.lastMonth else {
            throw PeriodError(.rangeReversed, input: s, message: "months out of order in '\(s)': it ends before it starts",
                              hint: "write the earlier period first: \(b)..\(a)")
        }
        guard let run = Period(first: a.firstMonth, last: b.lastMonth) else {
            throw PeriodError(.rangeCrossesYear, input: s, message: "run of months '\(s)' crosses a year boundary",
                              hint: "a period lies within one calendar year; split it, or query a range of periods")
        }
        return run
    }

    /// Parses anything but a run.
    private static func parseSingle(_ s: String) throws(PeriodError) -> Period {
        let upper = s.uppercased()
        let bytes = Array(upper.utf8)
        let digitsOnly = !bytes.isEmpty && bytes.allSatisfy { (0x30...0x39).contains($0) }
        if digitsOnly { return try parseDigits(s) }
        if let period = try parseDashed(s, upper) { return period }
        try rejectSlashed(s, upper)
        try rejectStatusMarker(s)
        throw PeriodError(.unrecognised, input: s, message: "unrecognised period '\(s)'", hint: PeriodError.acceptedForms)
    }

    /// A text of digits only: a year, or one of the things spreadsheets turn periods into.
    private static func parseDigits(_ s: String) throws(PeriodError) -> Period {
        switch s.count {
        case 4:
            return try checkedYear(Int(s)!, in: s)
        case 5:
            // Excel stores dates as days since 1899-12-30 (counting the fictitious 1900-02-29).
            let serial = Int(s)!
            var hint = "format the column as text and write the period itself, e.g. 2016-01"
            if let day = Calendar.excelDate(serial: serial) {
                hint = "format the column as text; serial \(serial) is the day \(day), so write \(day.yearMonth) or \(day.year)"
            }
            throw PeriodError(.excelSerial, input: s, message: "'\(s)' looks like an Excel date serial number, not a period",
                              hint: hint)
        case 6:
            let year = Int(s.prefix(4))!, month = Int(s.suffix(2))!
            if (1...12).contains(month), (yearMin...yearMax).contains(year) {
                throw PeriodError(.unrecognised, input: s, message: "month written without a separator: '\(s)'",
                                  hint: "write \(String(format: "%04d-%02d", year, month))")
            }
        default: break
        }
        throw PeriodError(.unrecognised, input: s, message: "unrecognised period '\(s)'", hint: PeriodError.acceptedForms)
    }

    private static func checkedYear(_ year: Int, in s: String) throws(PeriodError) -> Period {
        guard let period = Period.year(year) else {
            throw PeriodError(.yearOutOfRange, input: s, message: "year \(year) in '\(s)' is outside \(yearMin)...\(yearMax)",
                              hint: "check the column; Almanac keeps years \(yearMin) to \(yearMax)")
        }
        return period
    }

    /// `YYYY-…` forms; nil when the text does not start with a four-digit year and a dash.
    private static func parseDashed(_ s: String, _ upper: String) throws(PeriodError) -> Period? {
        let parts = upper.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts[0].count == 4, let year = Int(parts[0]), parts[0].allSatisfy(\.isASCII) else { return nil }
        if parts.count == 3, parts[1].count == 2, parts[2].count == 2, let m = Int(parts[1]), Int(parts[2]) != nil {
            throw PeriodError(.dayNotPeriod, input: s, message: "date '\(s)' is not a period",
                              hint: "write the month it refers to: \(parts[0])-\(String(format: "%02d", m))")
        }
        guard parts.count == 2 else { return nil }
        _ = try checkedYear(year, in: s)
        let suffix = parts[1]
        guard let letter = suffix.first else { return nil }
        let numberText = letter.isNumber ? suffix : String(suffix.dropFirst())
        guard !numberText.isEmpty, numberText.count <= 2, numberText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let n = Int(numberText) else { return nil }
        switch letter {
        case _ where letter.isNumber, "M":
            if letter.isNumber && suffix.count != 2 {
                throw PeriodError(.unrecognised, input: s, message: "month '\(s)' needs two digits",
                                  hint: "write \(String(format: "%04d-%02d", year, n))")
            }
            guard let p = Period.month(year, n) else {
                throw PeriodError(.monthOutOfRange, input: s, message: "month \(n) out of range in '\(s)'",
                                  hint: "months are 01 to 12")
            }
            return p
        case "Q":
            guard let p = Period.quarter(year, n) else {
                throw PeriodError(.quarterOutOfRange, input: s, message: "quarter \(n) out of range in '\(s)'",
                                  hint: "quarters are Q1 to Q4")
            }
            return p
        case "H", "S":
            guard let p = Period.half(year, n) else {
                throw PeriodError(.halfOutOfRange, input: s, message: "half \(n) out of range in '\(s)'",
                                  hint: "halves are H1 and H2 (SDMX: S1 and S2)")
            }
            return p
        case "A":
            guard n == 1 else {
                throw PeriodError(.annualOutOfRange, input: s, message: "annual period \(n) out of range in '\(s)'",
                                  hint: "a year has one annual period: write \(year) or \(year)-A1")
            }
            return Period.year(year)!
        default:
            return nil
        }
    }

    /// Rejects `Q1/2024`, `07/2021`, `01/02/2016` and their spaced variants with a precise hint.
    private static func rejectSlashed(_ s: String, _ upper: String) throws(PeriodError) {
        let parts = upper.split(whereSeparator: { $0 == "/" || $0 == " " }).map(String.init)
        let isNumber = { (t: String) in !t.isEmpty && t.count <= 4 && t.allSatisfy { $0.isASCII && $0.isNumber } }
        if parts.count == 3, parts.allSatisfy(isNumber), parts[2].count == 4 {
            let a = Int(parts[0])!, b = Int(parts[1])!, y = parts[2]
            if (1...12).contains(a), (1...12).contains(b), a != b {
                throw PeriodError(.ambiguousDate, input: s,
                                  message: "ambiguous date '\(s)': day and month order is unknown",
                                  hint: "a period is not a day; write the month as \(y)-\(parts[1].leftPadded) (if day/month) or \(y)-\(parts[0].leftPadded) (if month/day), or the year \(y)")
            }
            let month = (1...12).contains(b) ? b : a
            throw PeriodError(.dayNotPeriod, input: s, message: "date '\(s)' is not a period",
                              hint: "write the month it refers to: \(y)-\(String(format: "%02d", month))")
        }
        guard parts.count == 2 else { return }
        let (first, second) = (parts[0], parts[1])
        let (tag, year) = isNumber(second) && second.count == 4 ? (first, second) : (second, first)
        guard year.count == 4, isNumber(year), let kind = tag.first else { return }
        let rest = tag.dropFirst()
        if "QHS".contains(kind), rest.count == 1, let n = Int(rest) {
            let letter = kind == "Q" ? "Q" : "H"
            let noun = kind == "Q" ? "quarter" : "half"
            throw PeriodError(.reversedOrder, input: s, message: "\(noun) written as '\(s)'", hint: "write \(year)-\(letter)\(n)")
        }
        if isNumber(tag), tag.count <= 2, let m = Int(tag), (1...12).contains(m) {
            throw PeriodError(.reversedOrder, input: s, message: "month written as '\(s)'",
                              hint: "write \(year)-\(String(format: "%02d", m))")
        }
    }

    /// Rejects a period with a status word glued on, when what remains is a valid period.
    private static func rejectStatusMarker(_ s: String) throws(PeriodError) {
        let lower = s.lowercased()
        let trimSet = CharacterSet(charactersIn: " .:()[]*")
        for (marker, status) in statusMarkers {
            var rest: String?
            if lower.hasPrefix(marker) { rest = String(lower.dropFirst(marker.count)) }
            else if lower.hasSuffix(marker) { rest = String(lower.dropLast(marker.count)) }
            guard let remainder = rest?.trimmingCharacters(in: trimSet), !remainder.isEmpty,
                  let period = try? parse(remainder) else { continue }
            throw PeriodError(.statusMarker, input: s, message: "status marker in period '\(s)'",
                              hint: "write \(period) in the period column and \(status) in the status column")
        }
    }
}

extension String {
    /// Two-digit form of a one- or two-digit number text.
    fileprivate var leftPadded: String { count == 1 ? "0" + self : self }
}

extension Calendar {
    /// The day an Excel (1900 date system) serial number stands for, or nil outside Almanac's years.
    static func excelDate(serial: Int) -> CalendarDate? {
        // Serial 60 is Excel's nonexistent 1900-02-29; serials after it are one day ahead.
        guard serial > 60 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let base = CalendarDate(year: 1900, month: 1, day: 1)!.startOfDayUTC
        guard let date = calendar.date(byAdding: .day, value: serial - 2, to: base) else { return nil }
        return CalendarDate(utc: date)
    }
}
