import Foundation

/// Finding the instants at which an expression fires in a time zone.
///
/// An expression names local wall-clock times. Most map to exactly one instant; around a
/// daylight saving change some do not:
///
/// - **Clocks go forward** (New York, 2021-03-14, 02:00 → 03:00): the times in the gap do
///   not exist. An expression with particular hours (`30 2 * * *`) fires once at the end of
///   the gap (03:00 local), so a daily job is never lost. An expression that names every
///   hour (`*/15 * * * *`, `0 * * * *`) follows the real clock and simply has no times in
///   the gap.
/// - **Clocks go back** (New York, 2021-11-07, 02:00 → 01:00): the times of the repeated
///   hour occur twice. An expression with particular hours (`30 1 * * *`) fires at the first
///   occurrence only; one that names every hour fires at both, so `0 * * * *` still runs
///   once per real hour.
///
/// This is what Vixie cron does. Searches are bounded: 400 years (one Gregorian cycle) of
/// days, which any expression that parses matches within.
///
/// What it does not guarantee: a zone with more than one offset change within about 36
/// hours (none has had one in the tz database's modern era) may be resolved as if it had one.
extension CronExpression {
    /// Days looked at before a search gives up (one Gregorian cycle, plus a little).
    static let searchDaysMax: Int64 = 146_097 + 2

    /// The first instant strictly after `date` at which the expression fires.
    ///
    /// - Parameters:
    ///   - date: The search starts after this instant (fractions of a second are allowed).
    ///   - timeZone: The zone whose wall clock the expression is read in.
    /// - Returns: A whole-minute instant, or nil when none exists within ``searchDaysMax`` days.
    public func next(after date: Date, timeZone: TimeZone) -> Date? {
        let t = date.timeIntervalSince1970
        guard t.isFinite, abs(t) < 1e12 else { return nil }
        let after = Int64(t.rounded(.down))
        let firstDay = CivilTime.floorDiv(after + Self.offset(timeZone, after), CivilTime.secondsPerDay) - 1
        var day = firstDay
        while day <= firstDay + Self.searchDaysMax {
            if let found = instants(onDay: day, in: timeZone).first(where: { $0 > after }) {
                // A rewind across midnight could put a later day's time first: look one day on.
                let following = instants(onDay: day + 1, in: timeZone).first(where: { $0 > after })
                return Date(timeIntervalSince1970: TimeInterval(min(found, following ?? found)))
            }
            day += 1
        }
        return nil
    }

    /// The last instant at or before `date` at which the expression fires.
    ///
    /// - Parameters:
    ///   - date: The search starts at this instant, which counts if the expression fires then.
    ///   - timeZone: The zone whose wall clock the expression is read in.
    /// - Returns: A whole-minute instant, or nil when none exists within ``searchDaysMax`` days.
    public func previous(atOrBefore date: Date, timeZone: TimeZone) -> Date? {
        let t = date.timeIntervalSince1970
        guard t.isFinite, abs(t) < 1e12 else { return nil }
        let at = Int64(t.rounded(.down))
        let firstDay = CivilTime.floorDiv(at + Self.offset(timeZone, at), CivilTime.secondsPerDay) + 1
        var day = firstDay
        while day >= firstDay - Self.searchDaysMax {
            if let found = instants(onDay: day, in: timeZone).last(where: { $0 <= at }) {
                let preceding = instants(onDay: day - 1, in: timeZone).last(where: { $0 <= at })
                return Date(timeIntervalSince1970: TimeInterval(max(found, preceding ?? found)))
            }
            day -= 1
        }
        return nil
    }

    /// The instants (seconds since 1970) at which the expression fires on the local calendar
    /// day `day` (days since 1970-01-01) in `zone`, ascending and without repeats.
    func instants(onDay day: Int64, in zone: TimeZone) -> [Int64] {
        guard matches(day: day) else { return [] }
        let midnight = day * CivilTime.secondsPerDay  // the day's wall clock, counted as if it were UTC
        // Instants of this day's wall times lie within 14 hours (the largest offset) of them.
        let before = Self.offset(zone, midnight - 50_400)
        let middle = Self.offset(zone, midnight + 43_200)
        let after = Self.offset(zone, midnight + CivilTime.secondsPerDay + 50_400)
        if before == middle && middle == after {
            return secondsOfDay.map { midnight + $0 - before }
        }
        var out: [Int64] = []
        for second in secondsOfDay {
            out.append(contentsOf: resolve(wall: midnight + second, in: zone))
        }
        out.sort()
        var unique: [Int64] = []
        for t in out where unique.last != t { unique.append(t) }
        return unique
    }

    /// The instants a wall-clock time fires at, on a day when the zone's offset changes.
    private func resolve(wall: Int64, in zone: TimeZone) -> [Int64] {
        var offsets: [Int64] = []
        for probe in [wall - 54_000, wall, wall + 54_000] {
            let o = Self.offset(zone, probe)
            if !offsets.contains(o) { offsets.append(o) }
        }
        let valid = offsets.map { wall - $0 }.filter { wall - $0 == Self.offset(zone, $0) }.sorted()
        if valid.count >= 2 { return firesEveryHour ? valid : [valid[0]] }
        if valid.count == 1 { return valid }
        if firesEveryHour { return [] }
        // In a gap: find the instant the clock jumps past `wall`. The wall clock is before
        // `wall` at `low` and after it at `high`.
        var low = wall - offsets.max()!, high = wall - offsets.min()!
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if mid + Self.offset(zone, mid) > wall { high = mid } else { low = mid }
        }
        return [high]
    }

    static func offset(_ zone: TimeZone, _ seconds: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }
}
