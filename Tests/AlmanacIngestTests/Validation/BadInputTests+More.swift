import AlmanacDomain
import Foundation
import Testing
@testable import AlmanacIngest

/// TESTING.md, "Bad agency input", items 10–19.
@Suite struct MoreBadInputTests {
    /// A mapping for small SDMX-CSV files of budget revenue.
    static let budgetMapping = SourceMapping.sdmx(SDMXMapping(
        dataflow: "DF_BUDGET", rules: [.init(match: ["INDICATOR": "REV"], indicator: "budget.revenue")],
        unmatched: .error, dropDimensions: ["FREQ"]))

    @Test func item10IdenticalResubmissionAndRevision() throws {
        let text = "indicator,region,period,value,status\nbudget.revenue,19,2021,1234.50,\nbudget.revenue,19,2021,1234.5,final\nbudget.revenue,19,2020,99,r\n"
        let result = try validateFile(text)
        #expect(result.isAccepted && result.issues.isEmpty)
        #expect(result.identicalDuplicates == 1)
        #expect(result.observations.map(\.value) == ["1234.50", "99"])
        #expect(result.observations.map(\.status) == [.final, .revised])
        let restated = try validateFile(text + "budget.revenue,19,2021,1234.5,p\n", name: "s.csv")
        #expect(lines(restated) == [
            "s.csv:5:4 (value): same indicator, region, period and dimensions as line 2 with a different status: final there, preliminary here; keep one of the two rows; send a revision in a later file",
        ])
    }

    @Test func item11PeriodSpellings() throws {
        let periods = ["Prel.2016", "Q1/2024", "2024-Q1", "01/02/2016", "42736", "2021-13"]
        let text = nativeHeader + periods.map { "budget.revenue,19,\($0),1\n" }.joined()
        let result = try validateFile(text, name: "p.csv")
        #expect(lines(result) == [
            "p.csv:2:3 (period): status marker in period 'Prel.2016'; write 2016 in the period column and preliminary in the status column",
            "p.csv:3:3 (period): quarter written as 'Q1/2024'; write 2024-Q1",
            "p.csv:5:3 (period): ambiguous date '01/02/2016': day and month order is unknown; a period is not a day; write the month as 2016-02 (if day/month) or 2016-01 (if month/day), or the year 2016",
            "p.csv:6:3 (period): '42736' looks like an Excel date serial number, not a period; format the column as text; serial 42736 is the day 2017-01-01, so write 2017-01 or 2017",
            "p.csv:7:3 (period): month 13 out of range in '2021-13'; months are 01 to 12",
        ])
        #expect(result.issues.allSatisfy { $0.code == "bad_period" })
        #expect(result.observations.map(\.period.description) == ["2024-Q1"])
    }

    @Test func item12UnitsAndScales() throws {
        let text = "indicator,region,period,value,unit\nbudget.revenue,19,2021,1,Bill. Dongs\nbudget.revenue,19,2021-Q1,1,Mill. USD\nbudget.revenue,19,2021-Q2,1,Mill. Dongs\ncpi.index,19,2021,101.2,percent\n"
        let result = try validateFile(text, name: "u.csv")
        #expect(lines(result) == [
            "u.csv:3:5 (unit): unit \"Mill. USD\" (million USD) does not match budget.revenue, which is in billion VND; write the values in billion VND (bn_vnd), or check the indicator",
            "u.csv:4:5 (unit): unit \"Mill. Dongs\" (million VND) does not match budget.revenue, which is in billion VND; divide the values by 1000 and write bn_vnd",
            "u.csv:5:5 (unit): unit \"percent\" does not match cpi.index, which is in index points; write the values in index points (index), or check the indicator",
        ])
        #expect(result.issues.allSatisfy { $0.code == "unit_mismatch" })
        #expect(result.observations.map(\.unit) == ["bn_vnd"])
        // SDMX: UNIT_MULT 9 on VND is billions; 6 is millions; "x" is no exponent.
        let sdmx = """
        DATAFLOW,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT
        GSO:DF_BUDGET(1.0),A,19,REV,2021,1500.5,VND,9
        GSO:DF_BUDGET(1.0),A,19,REV,2022,1500500,VND,6
        GSO:DF_BUDGET(1.0),A,19,REV,2023,1500.5,VND,x

        """
        let scaled = try validateFile(Array(sdmx.utf8), name: "m.csv", mapping: MoreBadInputTests.budgetMapping)
        #expect(lines(scaled) == [
            "m.csv:3:7 (UNIT_MEASURE): unit \"VND\" with UNIT_MULT 6 makes the values million VND, but budget.revenue is in billion VND; divide the values by 1000 and write bn_vnd",
            "m.csv:4:8 (UNIT_MULT): UNIT_MULT \"x\" is not a power of ten between -30 and 30; UNIT_MULT is the exponent: 0 for units, 3 for thousands, 6 for millions, 9 for billions",
        ])
        #expect(scaled.observations.map(\.value) == ["1500.5"])
    }

    @Test func item13NonFiniteHugeAndImpossibleValues() throws {
        let rows = ["budget.revenue,19,2021,NaN", "budget.revenue,19,2022,Inf", "budget.revenue,19,2023,1e308",
                    "budget.revenue,19,2024,123456789012345678901234567890", "budget.expenditure,19,2021,-5",
                    "gdp.grdp_growth,19,2021,650", "budget.revenue,19,2020,-12.5"]
        let result = try validateFile(nativeHeader + rows.joined(separator: "\n") + "\n", name: "v.csv")
        #expect(lines(result) == [
            "v.csv:2:4 (value): 'NaN' is not a number; leave the row out when there is no value",
            "v.csv:3:4 (value): infinite value 'Inf'; write a finite number, or leave the row out",
            "v.csv:4:4 (value): exponent notation '1e308' is not accepted; write the number in full digits; values are kept exactly as written",
            "v.csv:5:4 (value): value '123456789012345678901234567890' has 30 significant digits, at most 20; check the cell; no statistic is that precise",
            "v.csv:6:4 (value): negative value -5 is impossible for budget.expenditure; check the sign; state budget expenditure cannot be negative",
            "v.csv:7:4 (value): value 650 is above the plausible maximum 100 for gdp.grdp_growth; check the unit and the decimal point: gdp.grdp_growth is in percent",
        ])
        #expect(result.issues.map(\.code) == ["bad_value", "bad_value", "bad_value", "bad_value", "implausible_value", "implausible_value"])
        #expect(result.observations.map(\.value) == ["-12.5"])
    }

    @Test func item14RaggedQuotesNewlinesLineEndingsAndNUL() throws {
        let mixed = try validateFile("indicator,region,period,value\r\nbudget.revenue,19,2021,1\nbudget.revenue,\"Thai\nNgyen\",2022,2\r\nbudget.revenue,\"Thái\nNguyên\",2023,3\r\n", name: "n.csv")
        #expect(lines(mixed) == ["n.csv:3:2 (region): unknown region \"Thai\\nNgyen\"; did you mean \"Thái Nguyên\" (19)?"])
        // A line break inside a name is spacing; the row after it keeps its own line number.
        #expect(mixed.observations.map(\.line) == [2, 5])
        #expect(mixed.observations.map(\.region) == ["19", "19"])
        #expect(try lines(validateFile(nativeHeader + "budget.revenue,19,2021,1,2\n", name: "r.csv")) == [
            "r.csv:2:1: record has 5 fields, header (line 1) has 4; check for a missing or extra delimiter, or a quote that is not closed",
        ])
        #expect(try lines(validateFile(nativeHeader + "budget.revenue,\"19,2021,1\n", name: "q.csv")) == [
            "q.csv:2:16: unbalanced quote: the quoted field that begins here is never closed; a quote inside a quoted field must be doubled (\"\")",
        ])
        let nul = try validateFile(nativeHeader + "budget.revenue,19,2021,1\u{0}\n", name: "z.csv")
        #expect(lines(nul) == ["z.csv:2:25: NUL byte (0x00) in the file; is it UTF-16 or a binary file? save it as UTF-8 text"])
        #expect(nul.issues.map(\.code) == ["encoding"])
    }

    @Test func item15WideRowsLongLinesAndRowLimit() throws {
        let wide = try validateFile(Array((nativeHeader + "budget.revenue,19,2021," + String(repeating: "1,", count: 50) + "1\n").utf8),
                                    name: "w.csv", limits: CSVLimits(fieldsMax: 20))
        #expect(wide.issues.map(\.code) == ["limit"] && wide.issues[0].line == 2)
        let long = try validateFile(Array((nativeHeader + "budget.revenue,19,2021," + String(repeating: "9", count: 5000) + "\n").utf8),
                                    name: "l.csv", limits: CSVLimits(recordBytesMax: 1024))
        #expect(long.issues.map(\.code) == ["limit"] && long.issues[0].line == 2)
        let rows = nativeHeader + (2001...2010).map { "budget.revenue,19,\($0),1\n" }.joined()
        let capped = try validateFile(rows, name: "c.csv", options: ValidationOptions(maxIssues: 10, maxRows: 4))
        #expect(lines(capped) == ["c.csv:6: file has more than 4 rows; split it into several files"])
        #expect(capped.rowsRead == 4 && !capped.isAccepted)
        let many = try validateFile(nativeHeader + (1...5).map { "x.y,19,\(2000 + $0),1\n" }.joined(), options: ValidationOptions(maxIssues: 2))
        #expect(many.issues.count == 2 && many.issueCount == 5)
    }

    @Test func item16FormulaLookingCellsAreInertUnknownValues() throws {
        let text = nativeHeader + "budget.revenue,\"=HYPERLINK(\"\"http://x\"\")\",2021,1\nbudget.revenue,@SUM(A1),2021,1\nbudget.revenue,+84,2021,1\n=1+1,19,2021,1\nbudget.revenue,19,2021,-1\n"
        let result = try validateFile(text, name: "f.csv")
        #expect(lines(result) == [
            "f.csv:2:2 (region): unknown region \"=HYPERLINK(\\\"http://x\\\")\"; write a region code (19, 19N, NMM, VN) or a province name",
            "f.csv:3:2 (region): unknown region \"@SUM(A1)\"; write a region code (19, 19N, NMM, VN) or a province name",
            "f.csv:4:2 (region): unknown region \"+84\"; did you mean \"Trà Vinh\" (84)?",
            "f.csv:5:1 (indicator): unknown indicator \"=1+1\"; see `almanac catalogue` for the indicators",
        ])
        #expect(result.issues[0].value == "=HYPERLINK(\"http://x\")")
        // A leading minus is a number: budget revenue may be negative (refunds).
        #expect(result.observations.map(\.value) == ["-1"])
        let bidi = try validateFile(nativeHeader + "budget.revenue,\"19\u{202E}1\",2021,1\n", name: "b.csv")
        #expect(lines(bidi).first?.contains("\"19\\u{202E}1\"") == true)
    }

    @Test func item17SenderNamingAnotherAgency() throws {
        let sample = fixtures.appendingPathComponent("sdmx_json_v2_ecb_exr_time_series.json").path
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: sample)))
        let ecb = try Agency(id: "ecb", name: "European Central Bank")
        let result = try validateFile(bytes, name: "exr.json", agency: ecb)
        #expect(result.issues.first?.description == "exr.json (sender): the message's sender \"IMF\" is not the submitting agency ecb; an agency may submit only messages it sent itself; check meta.sender in the message")
        #expect(result.issues.first?.code == "sender_mismatch" && !result.isAccepted)
        // Then, for each of the 4 daily observations: unknown indicator, day period, no region.
        #expect(result.issues.dropFirst().map(\.code) == Array(repeating: ["unknown_indicator", "bad_period", "missing_field"], count: 4).flatMap { $0 })
        let imf = try Agency(id: "imf", name: "International Monetary Fund")
        #expect(try validateFile(bytes, name: "exr.json", agency: imf).issues.allSatisfy { $0.code != "sender_mismatch" })
        let rows = try validateFile(bytes, name: "exr.json")
        #expect(rows.issues[0].description == "exr.json dataSets[0].series[\"0\"].observations[\"0\"] (indicator): unknown indicator \"EXR\"; add a rule for it to the mapping file, or see `almanac catalogue` for the indicators")
    }

    @Test func item18DeeplyNestedAndDuplicateKeyJSON() throws {
        let nested = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        let deep = try validateFile(Array(nested.utf8), name: "n.json", format: .sdmxJSON)
        #expect(deep.issues.map(\.code) == ["structure"] && deep.issues[0].line == 1)
        let duplicate = try validateFile(Array("{\"data\":{},\"data\":{}}".utf8), name: "d.json", format: .sdmxJSON)
        #expect(duplicate.issues.map(\.code) == ["structure"])
        #expect(duplicate.issues[0].message.contains("data"))
    }

    @Test func item19EmptyHeaderOnlyAndTruncatedFiles() throws {
        #expect(try lines(validateFile("", name: "e.csv")) == ["e.csv: file is empty; expected a header row and at least one data row"])
        #expect(try lines(validateFile(nativeHeader, name: "h.csv")) == ["h.csv:1: file has a header row but no data rows; was the export cut short?"])
        #expect(try lines(validateFile(nativeHeader + "budget.revenue,19,2021,1\nbudget.rev", name: "t.csv")) == [
            "t.csv:3:1: record has 1 fields, header (line 1) has 4; check for a missing or extra delimiter, or a quote that is not closed",
        ])
    }
}
