import Foundation
import Testing
@testable import AlmanacDomain

@Suite struct PeriodRangeTests {
    @Test func yearsExpandToAList() throws {
        let set = try PeriodSet.parse("2015..2023")
        #expect(set.periods.count == 9)
        #expect(set.periods.first?.description == "2015" && set.periods.last?.description == "2023")
    }

    @Test func monthRangeIsAListHereButOnePeriodInParse() throws {
        let set = try PeriodSet.parse("2021-01..2021-06")
        #expect(set.periods.map(\.description) == ["2021-01", "2021-02", "2021-03", "2021-04", "2021-05", "2021-06"])
        #expect(try Period.parse("2021-01..2021-06").description == "2021-H1")
    }

    @Test func quartersCrossYears() throws {
        let set = try PeriodSet.parse("2020-Q3..2021-Q2")
        #expect(set.description == "2020-Q3, 2020-Q4, 2021-Q1, 2021-Q2")
    }

    @Test func listsKeepOrderAndDropRepeats() throws {
        let set = try PeriodSet.parse("2019, 2021-Q1..2021-Q2, 2019")
        #expect(set.description == "2019, 2021-Q1, 2021-Q2")
        #expect(set.contains(try Period.parse("2021-Q2")))
    }

    @Test func mixedFrequenciesAreRejected() {
        #expect(throws: PeriodError.self) { try PeriodSet.parse("2021..2022-Q1") }
        do {
            _ = try PeriodRange(try Period.parse("2021-Q1"), try Period.parse("2021-07"))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .rangeMixedFrequencies)
            #expect(error.message == "range '2021-Q1..2021-07' mixes quarterly and monthly periods")
        }
    }

    @Test func reversedRangeIsRejected() {
        do {
            _ = try PeriodSet.parse("2023..2015")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .rangeReversed)
            #expect(error.hint == "write the earlier period first: 2015..2023")
        }
    }

    @Test func runawayListsAreRefused() throws {
        #expect(try PeriodSet.parse("1900-01..2100-12").periods.count == PeriodRange.periodsMax)
        #expect(throws: PeriodError.self) { try PeriodSet.parse("1900-01..2100-12, 2021") }
    }

    @Test func badItemReportsItsOwnError() {
        do {
            _ = try PeriodSet.parse("2021, Q1/2024")
            Issue.record("expected an error")
        } catch {
            #expect(error.hint == "write 2024-Q1")
        }
    }
}
