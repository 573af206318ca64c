@testable import AlmanacQuery
import AlmanacDomain
import AlmanacSQLite
import Testing

/// The SQL that `growth` and `change` use to find the text of the period they compare with
/// must give the read model's own period texts: `Period.description`, for every run of
/// months within a year.
@Suite struct PeriodTextTests {
    @Test func sqlPeriodTextIsTheCanonicalText() throws {
        let db = try Database(path: ":memory:")
        let sql = "SELECT " + Compilation.periodText(first: "?1", last: "?2")
        var checked = 0
        for year in [Period.yearMin, 1999, 2021, Period.yearMax] {
            for first in 1...12 {
                for last in first...12 {
                    let a = try #require(YearMonth(year: year, month: first)), b = try #require(YearMonth(year: year, month: last))
                    let period = try #require(Period(first: a, last: b))
                    let text = try db.firstValue(sql, arguments: [.integer(Int64(a.ordinal)), .integer(Int64(b.ordinal))])
                    #expect(text == .text(period.description), "\(period.description)")
                    checked += 1
                }
            }
        }
        #expect(checked == 4 * 78)
    }
}
