import Foundation
import Testing
@testable import AlmanacDaemon

/// `2021-03-14T07:00:00Z`, `2021-03-14T07:00Z` or with a fraction `…:59.500Z`.
private func utc(_ text: String) -> Date {
    let full = text.count == 17 ? String(text.dropLast()) + ":00Z" : text
    if let d = CivilTime.parseISOStamp(full) { return d }
    let seconds = CivilTime.parseISOStamp(String(full.prefix(19)) + "Z")!
    return seconds.addingTimeInterval(Double("0" + full.dropFirst(19).dropLast())!)
}

private let utcZone = TimeZone(identifier: "UTC")!
private let newYork = TimeZone(identifier: "America/New_York")!
private let hoChiMinh = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

/// Next and previous times: month ends, leap years, the day-of-month/day-of-week rule, and
/// daylight saving changes in New York (2021-03-14 07:00Z: 02:00 EST → 03:00 EDT;
/// 2021-11-07 06:00Z: 02:00 EDT → 01:00 EST).
@Suite struct CronNextTests {
    static func next(_ expression: String, _ after: String, _ zone: TimeZone = utcZone, count: Int = 1) throws -> [Date] {
        let e = try CronExpression(expression)
        var out: [Date] = []
        var t = utc(after)
        for _ in 0..<count {
            t = try #require(e.next(after: t, timeZone: zone))
            out.append(t)
        }
        return out
    }

    @Test(arguments: [
        // expression, after, expected next (UTC)
        ("*/15 * * * *", "2021-07-12T08:00Z", "2021-07-12T08:15Z"),
        ("*/15 * * * *", "2021-07-12T08:07:30.000Z", "2021-07-12T08:15Z"),
        ("*/15 * * * *", "2021-07-12T23:50Z", "2021-07-13T00:00Z"),
        ("0 2 * * *", "2021-12-31T02:00Z", "2022-01-01T02:00Z"),
        ("0 2 * * *", "2021-12-31T01:59:59.500Z", "2021-12-31T02:00Z"),
        ("0 2 * * *", "2021-12-31T02:00:00.001Z", "2022-01-01T02:00Z"),
        ("1-10/2 * * * *", "2021-07-12T10:00Z", "2021-07-12T10:01Z"),
        ("1-10/2 * * * *", "2021-07-12T10:09Z", "2021-07-12T11:01Z"),
        ("5/15 * * * *", "2021-07-12T10:50Z", "2021-07-12T11:05Z"),
        ("0 0 31 * *", "2021-01-31T00:00Z", "2021-03-31T00:00Z"),
        ("0 0 31 * *", "2021-04-01T00:00Z", "2021-05-31T00:00Z"),
        ("0 0 30 * *", "2021-01-30T00:00Z", "2021-03-30T00:00Z"),
        ("0 0 29 2 *", "2021-01-01T00:00Z", "2024-02-29T00:00Z"),
        ("0 0 29 2 *", "2096-02-29T00:00Z", "2104-02-29T00:00Z"),
        ("0 0 28 2 *", "2024-02-28T00:00Z", "2025-02-28T00:00Z"),
        ("0 0 1 * *", "2021-12-15T00:00Z", "2022-01-01T00:00Z"),
        ("59 23 31 12 *", "2021-12-31T23:59Z", "2022-12-31T23:59Z"),
        ("0 0 13 * fri", "2021-08-01T00:00Z", "2021-08-06T00:00Z"),
        ("0 0 13 * fri", "2021-08-06T00:00Z", "2021-08-13T00:00Z"),
        ("0 0 13 * fri", "2021-08-13T00:00Z", "2021-08-20T00:00Z"),
        ("0 0 13 * fri", "2021-09-10T00:00Z", "2021-09-13T00:00Z"),
        ("0 0 */2 * fri", "2021-08-01T00:00Z", "2021-08-13T00:00Z"),
        ("0 9 * * mon-fri", "2021-07-16T09:00Z", "2021-07-19T09:00Z"),
        ("0 0 * * 7", "2021-07-12T00:00Z", "2021-07-18T00:00Z"),
        ("0 0 * * 0", "2021-07-12T00:00Z", "2021-07-18T00:00Z"),
        ("0 12 * jun-aug sat,sun", "2021-08-29T12:00Z", "2022-06-04T12:00Z"),
        ("@weekly", "2021-07-14T12:00Z", "2021-07-18T00:00Z"),
        ("@hourly", "2021-07-14T10:00Z", "2021-07-14T11:00Z"),
        ("@yearly", "2021-01-01T00:00Z", "2022-01-01T00:00Z"),
        ("@monthly", "2021-02-15T00:00Z", "2021-03-01T00:00Z"),
        ("@daily", "2021-02-28T00:00Z", "2021-03-01T00:00Z"),
        ("@midnight", "2024-02-28T00:00Z", "2024-02-29T00:00Z"),
    ])
    func nextInUTC(_ expression: String, _ after: String, _ expected: String) throws {
        #expect(try Self.next(expression, after) == [utc(expected)])
    }

    @Test func fixedZoneWithoutDaylightSaving() throws {
        // 01:30 in Ho Chi Minh City (UTC+7) is 18:30 UTC the day before.
        #expect(try Self.next("30 1 * * *", "2021-07-12T00:00Z", hoChiMinh, count: 2)
            == [utc("2021-07-12T18:30Z"), utc("2021-07-13T18:30Z")])
        #expect(try Self.next("0 2 1 1 *", "2021-06-01T00:00Z", hoChiMinh) == [utc("2021-12-31T19:00Z")])
    }

    @Test(arguments: [
        // Clocks go forward: 02:xx does not exist on 2021-03-14.
        ("30 2 * * *", "2021-03-13T00:00Z", ["2021-03-13T07:30Z", "2021-03-14T07:00Z", "2021-03-15T06:30Z"]),
        ("*/15 2 * * *", "2021-03-14T06:00Z", ["2021-03-14T07:00Z", "2021-03-15T06:00Z"]),
        ("0 * * * *", "2021-03-14T05:00Z", ["2021-03-14T06:00Z", "2021-03-14T07:00Z", "2021-03-14T08:00Z"]),
        ("*/30 * * * *", "2021-03-14T06:00Z", ["2021-03-14T06:30Z", "2021-03-14T07:00Z", "2021-03-14T07:30Z"]),
        ("30 * * * *", "2021-03-14T06:00Z", ["2021-03-14T06:30Z", "2021-03-14T07:30Z"]),
        ("0 12 * * *", "2021-03-13T12:00Z", ["2021-03-13T17:00Z", "2021-03-14T16:00Z"]),
        ("0 3 * * *", "2021-03-14T06:00Z", ["2021-03-14T07:00Z", "2021-03-15T07:00Z"]),
        ("0 2,3 * * *", "2021-03-14T06:00Z", ["2021-03-14T07:00Z", "2021-03-15T06:00Z"]),
        // Clocks go back: 01:xx happens twice on 2021-11-07.
        ("30 1 * * *", "2021-11-06T12:00Z", ["2021-11-07T05:30Z", "2021-11-08T06:30Z"]),
        ("*/30 * * * *", "2021-11-07T05:00Z", ["2021-11-07T05:30Z", "2021-11-07T06:00Z", "2021-11-07T06:30Z", "2021-11-07T07:00Z"]),
        ("0 * * * *", "2021-11-07T04:30Z", ["2021-11-07T05:00Z", "2021-11-07T06:00Z", "2021-11-07T07:00Z"]),
        ("*/20 1 * * *", "2021-11-07T05:00Z", ["2021-11-07T05:20Z", "2021-11-07T05:40Z", "2021-11-08T06:00Z"]),
        ("0 2 * * *", "2021-11-06T12:00Z", ["2021-11-07T07:00Z"]),
        ("0 0 * * *", "2021-11-06T12:00Z", ["2021-11-07T04:00Z", "2021-11-08T05:00Z"]),
    ])
    func nextAcrossDaylightSavingInNewYork(_ expression: String, _ after: String, _ expected: [String]) throws {
        #expect(try Self.next(expression, after, newYork, count: expected.count) == expected.map(utc))
    }

    /// Runs of `0 * * * *` and `*/15 * * * *` in one local day: one per real hour.
    @Test(arguments: [
        ("2021-03-13", 24), ("2021-03-14", 23), ("2021-11-07", 25), ("2021-11-08", 24),
    ])
    func hourlyRunsPerLocalDay(_ day: String, _ hours: Int) throws {
        let start = CivilTime.parseDate(day)!
        let midnight = CivilTime.days(year: start.year, month: start.month, day: start.day)
        for (expression, perHour) in [("0 * * * *", 1), ("*/15 * * * *", 4)] {
            let e = try CronExpression(expression)
            let runs = e.instants(onDay: midnight, in: newYork)
            #expect(runs.count == hours * perHour, "\(expression) on \(day)")
            #expect(zip(runs, runs.dropFirst()).allSatisfy { $1 - $0 == Int64(3600 / perHour) }, "\(expression) on \(day)")
        }
    }

    @Test(arguments: [
        ("0 2 * * *", "2021-12-31T02:00Z", utcZone, "2021-12-31T02:00Z"),
        ("0 2 * * *", "2021-12-31T02:00:30.000Z", utcZone, "2021-12-31T02:00Z"),
        ("0 2 * * *", "2021-12-31T01:59Z", utcZone, "2021-12-30T02:00Z"),
        ("0 0 29 2 *", "2023-06-01T00:00Z", utcZone, "2020-02-29T00:00Z"),
        ("0 0 31 * *", "2021-03-30T00:00Z", utcZone, "2021-01-31T00:00Z"),
        ("0 0 1 1 *", "2021-01-01T00:00Z", utcZone, "2021-01-01T00:00Z"),
        ("0 0 1 1 *", "2020-12-31T23:59Z", utcZone, "2020-01-01T00:00Z"),
        ("30 1 * * *", "2021-11-07T06:45Z", newYork, "2021-11-07T05:30Z"),
        ("30 2 * * *", "2021-03-14T07:10Z", newYork, "2021-03-14T07:00Z"),
        ("30 2 * * *", "2021-03-14T06:59Z", newYork, "2021-03-13T07:30Z"),
        ("*/30 * * * *", "2021-11-07T06:10Z", newYork, "2021-11-07T06:00Z"),
        ("0 2 * * *", "2021-07-12T18:59Z", hoChiMinh, "2021-07-11T19:00Z"),
    ])
    func previous(_ expression: String, _ at: String, _ zone: TimeZone, _ expected: String) throws {
        #expect(try CronExpression(expression).previous(atOrBefore: utc(at), timeZone: zone) == utc(expected))
    }

    /// Walking forward with `next` and backward with `previous` over the same weeks, around
    /// both daylight saving changes, gives the same instants.
    @Test(arguments: ["*/15 * * * *", "0 * * * *", "30 1 * * *", "30 2 * * *", "*/20 1,2 * * *", "0 0 13 * fri", "0 0 * * *"])
    func nextAndPreviousAgree(_ expression: String) throws {
        let e = try CronExpression(expression)
        for (from, to) in [("2021-03-10T00:00Z", "2021-03-18T00:00Z"), ("2021-11-03T00:00Z", "2021-11-11T00:00Z")] {
            var forward: [Date] = []
            var t = utc(from)
            while let n = e.next(after: t, timeZone: newYork), n <= utc(to) {
                #expect(n > t)
                forward.append(n)
                t = n
            }
            var backward: [Date] = []
            t = utc(to)
            while let p = e.previous(atOrBefore: t, timeZone: newYork), p > utc(from) {
                #expect(p <= t)
                backward.append(p)
                t = p.addingTimeInterval(-1)
            }
            #expect(!forward.isEmpty)
            #expect(forward == backward.reversed(), "\(expression) from \(from)")
        }
    }

    @Test func instantsAreWholeMinutes() throws {
        let e = try CronExpression("*/7 * * * *")
        var t = utc("2021-07-12T08:00:00.250Z")
        for _ in 0..<50 {
            t = try #require(e.next(after: t, timeZone: newYork))
            #expect(t.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0)
        }
    }
}
