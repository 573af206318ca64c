import Foundation
import Testing
@testable import AlmanacDomain

@Suite struct PeriodTests {
    func p(_ s: String) throws -> Period { try Period.parse(s) }

    @Test(arguments: [
        ("2021", "2021", Period.Frequency.annual),
        ("2021-A1", "2021", .annual),
        ("2021-H1", "2021-H1", .half),
        ("2021-S2", "2021-H2", .half),
        ("2021-h2", "2021-H2", .half),
        ("2021-Q3", "2021-Q3", .quarterly),
        ("2021-q4", "2021-Q4", .quarterly),
        ("2021-07", "2021-07", .monthly),
        ("2021-M07", "2021-07", .monthly),
        ("2021-M7", "2021-07", .monthly),
        (" 2021-12 ", "2021-12", .monthly),
        ("2021-01..2021-09", "2021-01..2021-09", .cumulative),
        ("2021-M01..2021-M09", "2021-01..2021-09", .cumulative),
        ("2021-Q1..2021-Q3", "2021-01..2021-09", .cumulative),
        ("2021-01..2021-03", "2021-Q1", .quarterly),
        ("2021-01..2021-12", "2021", .annual),
        ("2021-07..2021-12", "2021-H2", .half),
        ("2021-05..2021-05", "2021-05", .monthly),
        ("2021-02..2021-04", "2021-02..2021-04", .cumulative),
        ("1900", "1900", .annual),
        ("2100-12", "2100-12", .monthly),
    ])
    func acceptsEverySpelling(input: String, canonical: String, frequency: Period.Frequency) throws {
        let period = try p(input)
        #expect(period.description == canonical)
        #expect(period.frequency == frequency)
        #expect(try p(canonical) == period)
    }

    @Test func firstAndLastMonthsAndDates() throws {
        let nine = try p("2021-01..2021-09")
        #expect(nine.firstMonth.description == "2021-01")
        #expect(nine.lastMonth.description == "2021-09")
        #expect(nine.monthsCount == 9)
        #expect(nine.isYearToDate)
        #expect(nine.year == 2021)
        #expect(nine.startDate.description == "2021-01-01")
        #expect(nine.endDate.description == "2021-09-30")
        #expect(try p("2024-02").endDate.description == "2024-02-29")
        #expect(try p("2023-02").endDate.description == "2023-02-28")
        #expect(try p("2021-H2").startDate.description == "2021-07-01")
    }

    @Test func containsAndOverlaps() throws {
        #expect(try p("2021").contains(try p("2021-Q3")))
        #expect(try p("2021-H1").contains(try p("2021-06")))
        #expect(!(try p("2021-H1").contains(try p("2021-07"))))
        #expect(try p("2021-01..2021-09").contains(try p("2021-Q3")))
        #expect(!(try p("2021-Q3").contains(try p("2021-H2"))))
        #expect(try p("2021-Q3").overlaps(try p("2021-08..2021-10")))
        #expect(!(try p("2021-Q3").overlaps(try p("2021-Q4"))))
    }

    @Test func subperiods() throws {
        #expect(try p("2021").quarters?.map(\.description) == ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"])
        #expect(try p("2021").halves?.map(\.description) == ["2021-H1", "2021-H2"])
        #expect(try p("2021-Q3").months.map(\.description) == ["2021-07", "2021-08", "2021-09"])
        #expect(try p("2021-01..2021-09").quarters?.count == 3)
        #expect(try p("2021-01..2021-08").quarters == nil)
        #expect(try p("2021-Q2").halves == nil)
        #expect(try p("2021-Q2").subperiods(.cumulative) == nil)
        #expect(try p("2021").months.count == 12)
    }

    @Test func previousNextAndSameYearEarlier() throws {
        #expect(try p("2021").previous?.description == "2020")
        #expect(try p("2021-H1").previous?.description == "2020-H2")
        #expect(try p("2021-Q1").previous?.description == "2020-Q4")
        #expect(try p("2021-01").previous?.description == "2020-12")
        #expect(try p("2021-12").next?.description == "2022-01")
        #expect(try p("2021-01..2021-09").previous == nil)
        #expect(try p("2021-01..2021-09").sameYearEarlier?.description == "2020-01..2020-09")
        #expect(try p("2021-Q3").sameYearEarlier?.description == "2020-Q3")
        #expect(try p("1900").previous == nil)
        #expect(try p("1900-05").sameYearEarlier == nil)
        #expect(try p("2100-Q4").next == nil)
    }

    @Test func orderingIsByStartThenEnd() throws {
        let sorted = try ["2021", "2021-H1", "2021-01", "2020-12", "2021-Q1"].map(p).sorted()
        #expect(sorted.map(\.description) == ["2020-12", "2021-01", "2021-Q1", "2021-H1", "2021"])
    }

    @Test func codableAsCanonicalString() throws {
        let periods = try ["2021", "2021-H1", "2021-Q3", "2021-07", "2021-01..2021-09"].map(p)
        let data = try JSONEncoder().encode(periods)
        #expect(String(decoding: data, as: UTF8.self) == #"["2021","2021-H1","2021-Q3","2021-07","2021-01..2021-09"]"#)
        #expect(try JSONDecoder().decode([Period].self, from: data) == periods)
        #expect(try JSONDecoder().decode([Period].self, from: Data(#"["2021-S1"]"#.utf8)).first?.description == "2021-H1")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Period].self, from: Data(#"["2021-13"]"#.utf8)) }
    }

    @Test func sdmxSpelling() throws {
        #expect(try p("2021-H2").sdmxDescription == "2021-S2")
        #expect(try p("2021-07").sdmxDescription == "2021-M07")
        #expect(try p("2021").sdmxDescription == "2021")
        #expect(try p("2021-01..2021-09").sdmxDescription == nil)
    }

    @Test func constructorsRejectImpossiblePeriods() {
        #expect(Period.quarter(2021, 5) == nil)
        #expect(Period.half(2021, 0) == nil)
        #expect(Period.month(1899, 12) == nil)
        #expect(Period.months(2021, 9, 1) == nil)
        #expect(Period(first: YearMonth(year: 2020, month: 11)!, last: YearMonth(year: 2021, month: 2)!) == nil)
    }
}
