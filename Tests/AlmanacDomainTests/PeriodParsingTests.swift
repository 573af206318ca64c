import Foundation
import Testing
@testable import AlmanacDomain

/// Every bad spelling from TESTING.md #11 and friends, with its exact message and hint.
@Suite struct PeriodParsingTests {
    func error(_ s: String) -> PeriodError? {
        do {
            _ = try Period.parse(s)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("Prel.2016", PeriodError.Kind.statusMarker, "status marker in period 'Prel.2016'",
         "write 2016 in the period column and preliminary in the status column"),
        ("Pre. 2015", .statusMarker, "status marker in period 'Pre. 2015'",
         "write 2015 in the period column and preliminary in the status column"),
        ("Est. 2016", .statusMarker, "status marker in period 'Est. 2016'",
         "write 2016 in the period column and estimated in the status column"),
        ("2016p", .statusMarker, "status marker in period '2016p'",
         "write 2016 in the period column and preliminary in the status column"),
        ("Sơ bộ 2021-Q1", .statusMarker, "status marker in period 'Sơ bộ 2021-Q1'",
         "write 2021-Q1 in the period column and preliminary in the status column"),
        ("Q1/2024", .reversedOrder, "quarter written as 'Q1/2024'", "write 2024-Q1"),
        ("Q1 2024", .reversedOrder, "quarter written as 'Q1 2024'", "write 2024-Q1"),
        ("H2/2024", .reversedOrder, "half written as 'H2/2024'", "write 2024-H2"),
        ("07/2021", .reversedOrder, "month written as '07/2021'", "write 2021-07"),
        ("2021/7", .reversedOrder, "month written as '2021/7'", "write 2021-07"),
        ("01/02/2016", .ambiguousDate, "ambiguous date '01/02/2016': day and month order is unknown",
         "a period is not a day; write the month as 2016-02 (if day/month) or 2016-01 (if month/day), or the year 2016"),
        ("15/02/2016", .dayNotPeriod, "date '15/02/2016' is not a period", "write the month it refers to: 2016-02"),
        ("2021-07-15", .dayNotPeriod, "date '2021-07-15' is not a period", "write the month it refers to: 2021-07"),
        ("42370", .excelSerial, "'42370' looks like an Excel date serial number, not a period",
         "format the column as text; serial 42370 is the day 2016-01-01, so write 2016-01 or 2016"),
        ("202107", .unrecognised, "month written without a separator: '202107'", "write 2021-07"),
        ("2021-13", .monthOutOfRange, "month 13 out of range in '2021-13'", "months are 01 to 12"),
        ("2021-00", .monthOutOfRange, "month 0 out of range in '2021-00'", "months are 01 to 12"),
        ("2021-M13", .monthOutOfRange, "month 13 out of range in '2021-M13'", "months are 01 to 12"),
        ("2021-7", .unrecognised, "month '2021-7' needs two digits", "write 2021-07"),
        ("2021-Q5", .quarterOutOfRange, "quarter 5 out of range in '2021-Q5'", "quarters are Q1 to Q4"),
        ("2021-Q0", .quarterOutOfRange, "quarter 0 out of range in '2021-Q0'", "quarters are Q1 to Q4"),
        ("2021-H3", .halfOutOfRange, "half 3 out of range in '2021-H3'", "halves are H1 and H2 (SDMX: S1 and S2)"),
        ("2021-S3", .halfOutOfRange, "half 3 out of range in '2021-S3'", "halves are H1 and H2 (SDMX: S1 and S2)"),
        ("2021-A2", .annualOutOfRange, "annual period 2 out of range in '2021-A2'",
         "a year has one annual period: write 2021 or 2021-A1"),
        ("2021-09..2021-01", .rangeReversed, "months out of order in '2021-09..2021-01': it ends before it starts",
         "write the earlier period first: 2021-01..2021-09"),
        ("2020-11..2021-02", .rangeCrossesYear, "run of months '2020-11..2021-02' crosses a year boundary",
         "a period lies within one calendar year; split it, or query a range of periods"),
        ("1850", .yearOutOfRange, "year 1850 in '1850' is outside 1900...2100",
         "check the column; Almanac keeps years 1900 to 2100"),
        ("2101-Q1", .yearOutOfRange, "year 2101 in '2101-Q1' is outside 1900...2100",
         "check the column; Almanac keeps years 1900 to 2100"),
        ("", .empty, "empty period", PeriodError.acceptedForms),
        ("2021-W01", .unrecognised, "unrecognised period '2021-W01'", PeriodError.acceptedForms),
        ("abc", .unrecognised, "unrecognised period 'abc'", PeriodError.acceptedForms),
        ("2021..2022..2023", .unrecognised, "unrecognised period '2021..2022..2023'", PeriodError.acceptedForms),
    ])
    func rejectsWithExactMessage(input: String, kind: PeriodError.Kind, message: String, hint: String) {
        let e = error(input)
        #expect(e?.kind == kind)
        #expect(e?.message == message)
        #expect(e?.hint == hint)
    }

    @Test func tooLongTextIsRejectedBeforeParsing() {
        let e = error(String(repeating: "2021", count: 100))
        #expect(e?.kind == .tooLong)
        #expect(e?.message == "period text too long (400 characters, at most 64)")
        #expect(e?.input.count == 64)
    }

    @Test func descriptionJoinsMessageAndHint() {
        #expect(error("Q1/2024")?.description == "quarter written as 'Q1/2024' (hint: write 2024-Q1)")
    }
}
