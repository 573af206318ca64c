import Foundation

/// An inclusive run of periods of one frequency, as a query writes it: `2015..2023`.
///
/// Unlike ``Period/parse(_:)``, where `2021-01..2021-09` is one cumulative period (the first
/// nine months), a range is a *list*: `2021-01..2021-06` is six monthly periods and
/// `2020-Q3..2021-Q2` is four quarters across a year boundary.
public struct PeriodRange: Sendable, Hashable, CustomStringConvertible {
    /// The most periods one range may expand to: 201 years of months (1900...2100) is 2,412,
    /// so this admits any honest range and refuses runaway ones before allocating.
    public static let periodsMax = 2_412

    /// The first period of the range.
    public let lower: Period
    /// The last period of the range (inclusive).
    public let upper: Period

    /// Creates the range `lower...upper`.
    ///
    /// - Throws: ``PeriodError`` when the two are of different or cumulative frequencies or
    ///   `upper` comes before `lower`.
    public init(_ lower: Period, _ upper: Period) throws(PeriodError) {
        let text = "\(lower)..\(upper)"
        guard lower.frequency == upper.frequency, lower.frequency != .cumulative else {
            throw PeriodError(.rangeMixedFrequencies, input: text,
                              message: "range '\(text)' mixes \(lower.frequency) and \(upper.frequency) periods",
                              hint: "write both ends with the same frequency, e.g. 2021-Q1..2021-Q4")
        }
        guard lower <= upper else {
            throw PeriodError(.rangeReversed, input: text, message: "range '\(text)' ends before it starts",
                              hint: "write the earlier period first: \(upper)..\(lower)")
        }
        self.lower = lower
        self.upper = upper
    }

    /// The frequency of every period in the range.
    public var frequency: Period.Frequency { lower.frequency }

    /// Every period from ``lower`` to ``upper``, in order (at most ``periodsMax``).
    public var periods: [Period] {
        var out: [Period] = [lower]
        var current = lower
        while current < upper, out.count < PeriodRange.periodsMax, let next = current.next {
            out.append(next)
            current = next
        }
        return out
    }

    /// `lower..upper`.
    public var description: String { lower == upper ? lower.description : "\(lower)..\(upper)" }
}

/// A list of periods as a query writes it: `2015..2023`, `2019, 2021-Q1..2021-Q2`.
///
/// Items are separated by commas; each is a period or a ``PeriodRange``. The result keeps the
/// order written and drops repeats.
public struct PeriodSet: Sendable, Hashable, CustomStringConvertible {
    /// The periods, in the order written, without repeats.
    public let periods: [Period]

    /// Wraps an explicit list (repeats dropped).
    public init(_ periods: [Period]) {
        var seen = Set<Period>()
        self.periods = periods.filter { seen.insert($0).inserted }
    }

    /// The periods joined by commas.
    public var description: String { periods.map(\.description).joined(separator: ", ") }

    /// Whether `period` is one of the listed periods.
    public func contains(_ period: Period) -> Bool { periods.contains(period) }

    /// Parses a comma-separated list of periods and ranges.
    ///
    /// - Throws: ``PeriodError`` for the first bad item, or when the list would exceed
    ///   ``PeriodRange/periodsMax`` periods in total.
    public static func parse(_ text: String) throws(PeriodError) -> PeriodSet {
        guard text.count <= PeriodRange.periodsMax * 8 else {
            throw PeriodError(.tooLong, input: text,
                              message: "period list too long (\(text.count) characters, at most \(PeriodRange.periodsMax * 8))")
        }
        var all: [Period] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let piece = item.trimmingCharacters(in: .whitespaces)
            let parts = piece.components(separatedBy: "..")
            if parts.count == 2 {
                let range = try PeriodRange(try Period.parse(parts[0]), try Period.parse(parts[1]))
                all += range.periods
            } else {
                all.append(try Period.parse(piece))
            }
            guard all.count <= PeriodRange.periodsMax else {
                throw PeriodError(.rangeTooLong, input: text,
                                  message: "period list expands to more than \(PeriodRange.periodsMax) periods",
                                  hint: "use a coarser frequency, e.g. years instead of months")
            }
        }
        return PeriodSet(all)
    }
}
