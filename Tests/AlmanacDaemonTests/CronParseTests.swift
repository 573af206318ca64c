import Foundation
import Testing
@testable import AlmanacDaemon

/// Parsing cron expressions: what each field accepts, and the exact message for each mistake.
@Suite struct CronParseTests {
    /// The values a field came out as.
    static func values(_ bits: UInt64, _ range: ClosedRange<Int>) -> [Int] {
        range.filter { bits & (1 << $0) != 0 }
    }

    @Test(arguments: [
        ("*/15 * * * *", [0, 15, 30, 45]),
        ("1-10/2 * * * *", [1, 3, 5, 7, 9]),
        ("5/15 * * * *", [5, 20, 35, 50]),
        ("0,30,59 * * * *", [0, 30, 59]),
        ("0-4,50-52 * * * *", [0, 1, 2, 3, 4, 50, 51, 52]),
        ("7 * * * *", [7]),
    ])
    func minuteField(_ text: String, _ expected: [Int]) throws {
        let e = try CronExpression(text)
        #expect(Self.values(e.minutes, 0...59) == expected)
    }

    @Test func namesAndSunday() throws {
        let e = try CronExpression("0 0 * JAN,mar-May/2 Mon-FRI")
        #expect(Self.values(e.months, 1...12) == [1, 3, 5])
        #expect(Self.values(e.daysOfWeek, 0...6) == [1, 2, 3, 4, 5])
        #expect(Self.values(try CronExpression("0 0 * * 7").daysOfWeek, 0...6) == [0])
        #expect(Self.values(try CronExpression("0 0 * * 5-7").daysOfWeek, 0...6) == [0, 5, 6])
        #expect(Self.values(try CronExpression("0 0 * * sun-sat").daysOfWeek, 0...6) == [0, 1, 2, 3, 4, 5, 6])
    }

    @Test func dayRuleDependsOnLeadingStar() throws {
        let both = try CronExpression("0 0 13 * fri")
        #expect(both.dayOfMonthRestricted && both.dayOfWeekRestricted)
        let stepped = try CronExpression("0 0 */2 * fri")
        #expect(!stepped.dayOfMonthRestricted && stepped.dayOfWeekRestricted)
        #expect(Self.values(stepped.daysOfMonth, 1...31).first == 1)
    }

    @Test(arguments: CronExpression.macros)
    func macrosStandForTheirExpressions(_ name: String, _ expression: String) throws {
        let macro = try CronExpression(name)
        let plain = try CronExpression(expression)
        #expect(macro.text == name)
        #expect(macro.minutes == plain.minutes && macro.hours == plain.hours && macro.daysOfMonth == plain.daysOfMonth)
        #expect(macro.months == plain.months && macro.daysOfWeek == plain.daysOfWeek)
        #expect(try CronExpression(name.uppercased()).minutes == plain.minutes)
    }

    @Test func spacesAndTabsSeparateFields() throws {
        let e = try CronExpression("  0\t2   *  * *  ")
        #expect(e.text == "0\t2   *  * *")
        #expect(Self.values(e.hours, 0...23) == [2])
    }

    @Test(arguments: [
        ("61 * * * *", "minute field: 61 is out of range 0-59"),
        ("* 24 * * *", "hour field: 24 is out of range 0-23"),
        ("* * 0 * *", "day-of-month field: 0 is out of range 1-31"),
        ("* * * 13 *", "month field: 13 is out of range 1-12"),
        ("* * * * 8", "day-of-week field: 8 is out of range 0-7"),
        ("* * * * mun", "day-of-week field: \"mun\" is not a number nor a day name (sun-sat); did you mean \"sun\" or \"mon\"?"),
        ("* * * jnu *", "month field: \"jnu\" is not a number nor a month name (jan-dec); did you mean \"jun\"?"),
        ("* * * * monday", "day-of-week field: \"monday\" is not a number nor a day name (sun-sat); did you mean \"mon\"?"),
        ("* * * * funday", "day-of-week field: \"funday\" is not a number nor a day name (sun-sat)"),
        ("L * * * *", "minute field: \"L\" is not a number"),
        ("* * ? * *", "day-of-month field: \"?\" is not a number"),
        ("*/0 * * * *", "minute field: step \"0\" is not a number from 1 to 59"),
        ("*/60 * * * *", "minute field: step \"60\" is not a number from 1 to 59"),
        ("* */x * * *", "hour field: step \"x\" is not a number from 1 to 23"),
        ("5-1 * * * *", "minute field: range \"5-1\" runs backwards"),
        ("* * * * fri-mon", "day-of-week field: range \"fri-mon\" runs backwards"),
        ("-5 * * * *", "minute field: \"-5\" is not a number nor a range"),
        ("1/2/3 * * * *", "minute field: \"1/2/3\" has more than one step"),
        ("1,,2 * * * *", "minute field: empty item in the list \"1,,2\""),
        ("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 4 in \"* * * *\""),
        ("0 0 2 * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 6 in \"0 0 2 * * *\""),
        ("", "empty expression; expected 5 fields (minute hour day-of-month month day-of-week)"),
        ("@weekley", "unknown name \"@weekley\"; did you mean \"@weekly\"?"),
        ("@sometimes", "unknown name \"@sometimes\" (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)"),
        ("@reboot", "@reboot is not supported: an export runs on a schedule, not at start"),
        ("0 0 30 2 *", "never matches: no month in \"2\" has a day in \"30\""),
        ("0 0 31 apr,jun,sep,nov *", "never matches: no month in \"apr,jun,sep,nov\" has a day in \"31\""),
    ])
    func errors(_ text: String, _ message: String) {
        #expect(throws: CronSyntaxError.self) { try CronExpression(text) }
        do throws(CronSyntaxError) {
            _ = try CronExpression(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func errorNamesTheFieldAndTheText() {
        do throws(CronSyntaxError) {
            _ = try CronExpression("0 2 * * mun")
            Issue.record("parsed")
        } catch {
            #expect(error.field == .dayOfWeek)
            #expect(error.text == "mun")
        }
    }

    @Test(arguments: ["0 0 30 2 mon", "0 0 29 2 *", "0 0 31 1-12 *", "0 0 */30 2 *"])
    func possibleDaysAreAccepted(_ text: String) throws {
        _ = try CronExpression(text)
    }
}
