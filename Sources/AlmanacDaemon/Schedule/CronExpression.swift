import AlmanacDomain
import Foundation

/// A standard five-field cron expression: `minute hour day-of-month month day-of-week`.
///
/// Each field is `*`, a number, a range `a-b`, or a comma-separated list of those, each
/// optionally with a step: `*/15`, `1-10/2`, and `5/15` (from 5 to the end of the field,
/// every 15). Months may be written `jan`…`dec` and weekdays `sun`…`sat` (any case);
/// weekday 0 and 7 are both Sunday. The names `@yearly`, `@annually`, `@monthly`,
/// `@weekly`, `@daily`, `@midnight` and `@hourly` stand for the usual expressions.
///
/// Days follow the rule of Vixie cron: when both the day-of-month and the day-of-week field
/// are restricted (neither starts with `*`), a day matches if *either* matches
/// (`0 0 13 * fri` runs on every 13th and every Friday); otherwise both must match.
///
/// What it does not do: seconds, years, `L`, `W`, `#` and `?` (Quartz extensions), and
/// `@reboot` (an export runs on a schedule, not at start). An expression that can never
/// fire (`0 0 30 2 *`) is refused when parsed.
///
/// How times are found in a time zone, daylight saving time included, is in
/// `CronExpression+Search.swift`.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The five fields, named as errors name them.
    public enum Field: String, Sendable, CaseIterable {
        case minute
        case hour
        case dayOfMonth = "day-of-month"
        case month
        case dayOfWeek = "day-of-week"

        /// The smallest and largest value written (day-of-week accepts 7 for Sunday).
        var bounds: ClosedRange<Int> {
            switch self {
            case .minute: return 0...59
            case .hour: return 0...23
            case .dayOfMonth: return 1...31
            case .month: return 1...12
            case .dayOfWeek: return 0...7
            }
        }

        /// The values `*` stands for (Sunday once, as 0).
        var all: ClosedRange<Int> { self == .dayOfWeek ? 0...6 : bounds }

        var names: [String] {
            switch self {
            case .month: return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
            case .dayOfWeek: return ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
            default: return []
            }
        }

        /// The value of names[0].
        var firstNameValue: Int { self == .month ? 1 : 0 }
    }

    /// The `@` names and what they stand for.
    public static let macros: [(name: String, expression: String)] = [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
    ]

    /// Longer text is refused before it is looked at; a real expression is a few dozen characters.
    public static let textCharactersMax = 256

    /// The expression as written, without surrounding spaces.
    public let text: String

    /// One bit per value: minutes 0...59, hours 0...23, days of month 1...31, months 1...12,
    /// days of week 0...6 (Sunday = 0).
    let minutes: UInt64
    let hours: UInt64
    let daysOfMonth: UInt64
    let months: UInt64
    let daysOfWeek: UInt64
    /// Whether the field was written without a leading `*`: both restricted means either may match.
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public var description: String { text }

    /// Parses an expression.
    ///
    /// - Parameter text: Five fields separated by spaces or tabs, or one of ``macros``.
    /// - Throws: ``CronSyntaxError`` naming the field and the text at fault.
    public init(_ text: String) throws(CronSyntaxError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= Self.textCharactersMax else {
            throw CronSyntaxError(field: nil, text: String(trimmed.prefix(40)) + "…",
                                  reason: "longer than \(Self.textCharactersMax) characters")
        }
        self.text = trimmed
        var source = trimmed
        if trimmed.hasPrefix("@") {
            source = try Self.expand(macro: trimmed)
        }
        let fields = source.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            throw CronSyntaxError(
                field: nil, text: trimmed,
                reason: trimmed.isEmpty
                    ? "empty expression; expected 5 fields (minute hour day-of-month month day-of-week)"
                    : "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count) in \"\(trimmed)\"")
        }
        minutes = try Self.parse(fields[0], .minute)
        hours = try Self.parse(fields[1], .hour)
        daysOfMonth = try Self.parse(fields[2], .dayOfMonth)
        months = try Self.parse(fields[3], .month)
        daysOfWeek = try Self.parse(fields[4], .dayOfWeek)
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
        if !(dayOfMonthRestricted && dayOfWeekRestricted) {
            // Both must match: some chosen month must have some chosen day (February: the 29th counts).
            let possible = (1...12).contains { month in
                months & (1 << month) != 0
                    && (1...CivilTime.daysIn(month: Int64(month), year: 2000)).contains { daysOfMonth & (1 << $0) != 0 }
            }
            if !possible {
                throw CronSyntaxError(
                    field: nil, text: trimmed,
                    reason: "never matches: no month in \"\(fields[3])\" has a day in \"\(fields[2])\"")
            }
        }
    }

    /// Whether the schedule names every hour of the day (then it follows the real clock across
    /// daylight saving changes; see `CronExpression+Search.swift`).
    var firesEveryHour: Bool { hours == (1 << 24) - 1 }

    /// Whether the expression fires on the day `days` since 1970-01-01 (a local calendar day).
    func matches(day: Int64) -> Bool {
        let date = CivilTime.civil(days: day)
        guard months & (1 << date.month) != 0 else { return false }
        let dayOfMonth = daysOfMonth & (1 << date.day) != 0
        let dayOfWeek = daysOfWeek & (1 << CivilTime.weekday(days: day)) != 0
        return dayOfMonthRestricted && dayOfWeekRestricted ? (dayOfMonth || dayOfWeek) : (dayOfMonth && dayOfWeek)
    }

    /// The seconds after local midnight at which the expression fires on a day that matches, ascending.
    var secondsOfDay: [Int64] {
        var out: [Int64] = []
        for hour in 0..<24 where hours & (1 << hour) != 0 {
            for minute in 0..<60 where minutes & (1 << minute) != 0 {
                out.append(Int64(hour * 3600 + minute * 60))
            }
        }
        return out
    }

    private static func expand(macro text: String) throws(CronSyntaxError) -> String {
        let lower = text.lowercased()
        if let found = macros.first(where: { $0.name == lower }) { return found.expression }
        if lower == "@reboot" {
            throw CronSyntaxError(field: nil, text: text, reason: "@reboot is not supported: an export runs on a schedule, not at start")
        }
        let names = macros.map(\.name)
        let near = DidYouMean.suggestions(for: lower, among: names, limit: 1)
        let hint = near.first.map { "; did you mean \"\($0)\"?" }
            ?? " (use " + names.dropLast().joined(separator: ", ") + " or " + names.last! + ")"
        throw CronSyntaxError(field: nil, text: text, reason: "unknown name \"\(text)\"" + hint)
    }

    /// One field: a comma-separated list of `*`, `n`, `a-b`, each with an optional `/step`.
    private static func parse(_ text: Substring, _ field: Field) throws(CronSyntaxError) -> UInt64 {
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else {
                throw CronSyntaxError(field: field, text: String(text), reason: "empty item in the list \"\(text)\"")
            }
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else {
                throw CronSyntaxError(field: field, text: String(item), reason: "\"\(item)\" has more than one step")
            }
            let base = parts[0]
            var low: Int, high: Int
            if base == "*" {
                (low, high) = (field.all.lowerBound, field.all.upperBound)
            } else if let dash = base.firstIndex(of: "-") {
                let first = base[..<dash], last = base[base.index(after: dash)...]
                guard !first.isEmpty, !last.isEmpty else {
                    throw CronSyntaxError(field: field, text: String(item), reason: "\"\(base)\" is not a number nor a range")
                }
                low = try value(first, field)
                high = try value(last, field)
                guard low <= high else {
                    throw CronSyntaxError(field: field, text: String(item), reason: "range \"\(base)\" runs backwards")
                }
            } else {
                low = try value(base, field)
                // `5/15` runs from 5 to the end of the field.
                high = parts.count == 2 ? field.all.upperBound : low
            }
            var step = 1
            if parts.count == 2 {
                let span = field.all.upperBound - field.all.lowerBound
                guard let n = Int(parts[1]), parts[1].allSatisfy(\.isASCII), (1...span).contains(n) else {
                    throw CronSyntaxError(field: field, text: String(item),
                                          reason: "step \"\(parts[1])\" is not a number from 1 to \(span)")
                }
                step = n
            }
            for v in stride(from: low, through: high, by: step) {
                bits |= 1 << (field == .dayOfWeek && v == 7 ? 0 : v)
            }
        }
        return bits
    }

    /// A number within the field's bounds, or a month or weekday name.
    private static func value(_ text: Substring, _ field: Field) throws(CronSyntaxError) -> Int {
        if text.allSatisfy({ $0.isASCII && $0.isNumber }), text.count <= 4, let n = Int(text) {
            guard field.bounds.contains(n) else {
                throw CronSyntaxError(field: field, text: String(text),
                                      reason: "\(n) is out of range \(field.bounds.lowerBound)-\(field.bounds.upperBound)")
            }
            return n
        }
        let lower = text.lowercased()
        if let index = field.names.firstIndex(of: lower) { return field.firstNameValue + index }
        var reason: String
        switch field {
        case .month: reason = "\"\(text)\" is not a number nor a month name (jan-dec)"
        case .dayOfWeek: reason = "\"\(text)\" is not a number nor a day name (sun-sat)"
        default: reason = "\"\(text)\" is not a number"
        }
        // `monday` and `january` are the names spelt out.
        let spelt = field.names.filter { lower.count > 3 && lower.hasPrefix($0) }
        let near = spelt.isEmpty ? DidYouMean.suggestions(for: lower, among: field.names, limit: 2) : spelt
        if !near.isEmpty {
            reason += "; did you mean " + near.map { "\"\($0)\"" }.joined(separator: " or ") + "?"
        }
        throw CronSyntaxError(field: field, text: String(text), reason: reason)
    }
}
