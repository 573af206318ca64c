import Foundation
import Testing
@testable import AlmanacDomain

@Suite struct CalendarDateTests {
    @Test func parsesOnlyExistingIsoDays() {
        #expect(CalendarDate("2025-07-01")?.description == "2025-07-01")
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2021-02-29") == nil)
        #expect(CalendarDate("1900-02-29") == nil)
        #expect(CalendarDate("2000-02-29") != nil)
        #expect(CalendarDate("2025-7-1") == nil)
        #expect(CalendarDate("2025-07-01T00:00") == nil)
        #expect(CalendarDate("1899-12-31") == nil)
    }

    @Test func ordersAndConvertsThroughUTC() throws {
        #expect(CalendarDate("2025-06-30")! < CalendarDate("2025-07-01")!)
        let day = try #require(CalendarDate("2024-02-29"))
        #expect(CalendarDate(utc: day.startOfDayUTC) == day)
        #expect(day.startOfDayUTC.timeIntervalSince1970 == 1_709_164_800)
    }

    @Test func codableAsIsoText() throws {
        let data = try JSONEncoder().encode([CalendarDate("2025-07-01")!])
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-07-01"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDate].self, from: Data(#"["2025-13-01"]"#.utf8)) }
    }

    @Test func yearMonthArithmetic() throws {
        let dec = try #require(YearMonth(year: 2020, month: 12))
        #expect(dec.adding(months: 1)?.description == "2021-01")
        #expect(dec.adding(months: -12)?.description == "2019-12")
        #expect(YearMonth(year: 1900, month: 1)?.adding(months: -1) == nil)
        #expect(dec.lastDay.description == "2020-12-31")
        #expect(YearMonth(year: 2021, month: 13) == nil)
    }

    @Test func excelSerialsMapToDays() {
        #expect(Calendar.excelDate(serial: 42370)?.description == "2016-01-01")
        #expect(Calendar.excelDate(serial: 61)?.description == "1900-03-01")
        #expect(Calendar.excelDate(serial: 60) == nil)
    }
}
