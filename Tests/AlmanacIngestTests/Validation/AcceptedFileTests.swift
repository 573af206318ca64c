import AlmanacDomain
import AlmanacLog
import Foundation
import Testing
@testable import AlmanacIngest

/// Real layouts that must be accepted, and the rules for status, dimensions, scope.
@Suite struct AcceptedFileTests {
    @Test func nativeCSVWithColumnsInAnyOrderAndDimensions() throws {
        let text = """
        status,value,release_date,period,measure,region,unit,indicator,item
        preliminary,6.5,2021-07-15,2021-H1,,19,percent,gdp.grdp_growth,
        final,1234.5,,2021-06,Plan,Thái Nguyên,Bill. Dongs,budget.revenue,land_houses
        e,100.3,,2021-07,,NMM,,cpi.index,

        """
        let result = try validateFile(text, name: "any.csv")
        #expect(result.isAccepted && result.issues.isEmpty && result.rowsRead == 3)
        #expect(result.observations == [
            ValidatedObservation(indicator: "gdp.grdp_growth", family: "gdp", region: "19", period: try Period.parse("2021-H1"),
                                 dimensions: ["sector": "total", "price": "constant_2010"], value: "6.5", unit: "percent",
                                 status: .preliminary, releaseDate: CalendarDate("2021-07-15"), line: 2),
            ValidatedObservation(indicator: "budget.revenue", family: "budget", region: "19", period: try Period.parse("2021-06"),
                                 dimensions: ["measure": "plan", "item": "land_houses"], value: "1234.5", unit: "bn_vnd",
                                 status: .final, line: 3),
            ValidatedObservation(indicator: "cpi.index", family: "cpi", region: "NMM", period: try Period.parse("2021-07"),
                                 dimensions: ["group": "general", "base": "base_2019"], value: "100.3", unit: "index",
                                 status: .estimated, line: 4),
        ])
        #expect(result.observations[1].key == "budget.revenue|19|2021-06|item=land_houses;measure=plan")
    }

    @Test func retractRowsMayOmitTheValue() throws {
        let result = try validateFile("indicator,region,period,value,action\nbudget.revenue,19,2021,,retract\nbudget.revenue,19,2020,5,Report\n")
        #expect(result.isAccepted)
        #expect(result.observations.map(\.action) == [.retract, .report])
        #expect(result.observations.map(\.value) == [nil, "5"])
        #expect(try lines(validateFile(nativeHeader + "budget.revenue,19,2021,\n", name: "e.csv")) == [
            "e.csv:2:4 (value): empty value; leave the row out when there is no value",
        ])
    }

    @Test func dimensionErrorsSuggestNames() throws {
        let text = "indicator,region,period,value,itme,measure\nbudget.revenue,19,2021,1,total,\nbudget.revenue,19,2022,1,,actul\ngdp.grdp,19,2021,5,,\n"
        let result = try validateFile(text, name: "d.csv")
        #expect(lines(result) == [
            "d.csv:2:5 (itme): budget.revenue has no dimension \"itme\"; did you mean item?",
            "d.csv:3:6 (measure): \"actul\" is not a value of measure for budget.revenue; did you mean actual?",
        ])
        #expect(result.issues.map(\.code) == ["unknown_dimension", "bad_dimension_value"])
        #expect(result.observations.map(\.dimensions) == [["sector": "total", "price": "current"]])
    }

    @Test func statusReleaseDateAndActionSpellings() throws {
        let text = "indicator,region,period,value,status,release_date,action\n"
            + ["P", "prel", "E", "est", "r", "F", "final"].enumerated().map { "budget.revenue,19,\(2010 + $0.offset),1,\($0.element),,\n" }.joined()
            + "budget.revenue,19,2021,1,x,01/02/2016,delete\n"
        let result = try validateFile(text, name: "s.csv")
        #expect(result.observations.map(\.status) == [.preliminary, .preliminary, .estimated, .estimated, .revised, .final, .final])
        #expect(lines(result) == [
            "s.csv:9:5 (status): unknown status \"x\"; write preliminary (p), estimated (e), revised (r) or final (f), or leave the cell empty for final",
            "s.csv:9:6 (release_date): release date \"01/02/2016\" is not a date written YYYY-MM-DD; day and month order is ambiguous; write e.g. 2016-02-01 for 1 February 2016",
            "s.csv:9:7 (action): unknown action \"delete\"; write report or retract, or leave the cell empty for report",
        ])
    }

    @Test func unknownIndicatorSuggestsCodes() throws {
        #expect(try lines(validateFile(nativeHeader + "budget.revenu,19,2021,1\n", name: "i.csv")) == [
            "i.csv:2:1 (indicator): unknown indicator \"budget.revenu\"; did you mean budget.revenue?",
        ])
    }

    @Test func outOfScopeRowsNameAgencyFamilyAndRegion() throws {
        let tn = try Agency(id: "tn-stats", name: "Cục Thống kê tỉnh Thái Nguyên", families: ["budget"], regions: ["19", "19N"])
        let text = nativeHeader + "budget.revenue,19,2021,1\nbudget.revenue,01,2021,1\ngdp.grdp,19,2021,1\n"
        let result = try validateFile(text, name: "o.csv", agency: tn, options: ValidationOptions(acceptValidRows: true))
        #expect(lines(result) == [
            "o.csv:3:2 (region): agency tn-stats may not submit budget figures for Hà Nội (01); its scope is budget for 19, 19N",
            "o.csv:4:1 (indicator): agency tn-stats may not submit gdp figures for Thái Nguyên (19); its scope is budget for 19, 19N",
        ])
        #expect(result.issues.allSatisfy { $0.code == "out_of_scope" })
        // Out of scope rejects the whole file, even in partial mode.
        #expect(!result.isAccepted)
    }

    @Test func partialModeAcceptsTheValidRows() throws {
        let text = nativeHeader + "budget.revenue,19,2021,1\nbudget.revenue,Thai Ngyen,2021,2\n"
        let whole = try validateFile(text)
        #expect(!whole.isAccepted)
        let partial = try validateFile(text, options: ValidationOptions(acceptValidRows: true))
        #expect(partial.isAccepted && partial.issueCount == 1 && partial.observations.map(\.value) == ["1"])
    }

    @Test func oecdSDMXCSVFixtureThroughItsMapping() throws {
        let path = fixtures.appendingPathComponent("oecd_sdmx_csv_v1_DF_GOV_CORE_RESULTS.csv").path
        let mapping = try loadMapping("oecd-gov-core-results.json")
        // The catalogue file the real-data check adds to a store (tools/check-real-data).
        let (indicators, regions) = try catalogue(adding: "oecd-gov-core-results-catalogue.json")
        let oecd = try Agency(id: "oecd", name: "OECD", families: ["oecd"])
        let validator = SubmissionValidator(indicators: indicators, regions: regions, agency: oecd)
        let result = validator.validate(path: path, mapping: mapping)
        #expect(result.issues.isEmpty && result.isAccepted)
        #expect(result.rowsRead == 134 && result.observations.count == 134 && result.rowsSkipped == 902 - 134)
        // Source: OECD:DF_GOV_CORE_RESULTS(2.0),A,FR_PIT,AU,_T,_T,_T,PSE,PCT_POP,2017,82.9,0,
        let au = try #require(result.observations.first { $0.indicator == "oecd.tax_admin_personal_income_tax" && $0.region == "AUS" })
        #expect(au.value == "82.9" && au.period == Period.year(2017) && au.unit == "percent" && au.status == .final)
        #expect(result.observations.contains { $0.region == "OECD" })
        // CH and SE are Vietnamese regions (Central Highlands, South East): the mapping
        // sends OECD's two-letter codes to ISO alpha-3 so Switzerland and Sweden stay apart.
        // Source: OECD:DF_GOV_CORE_RESULTS(2.0),A,INEQ_G_BTAXTR,CH,_T,_T,_T,RIW,GINI,2016,0.39,0,
        let ch = try #require(result.observations.first { $0.indicator == "oecd.gini_before_taxes_transfers" && $0.region == "CHE" })
        #expect(ch.value == "0.39" && ch.unit == "index")
        #expect(!result.observations.contains { ["CH", "SE"].contains($0.region) })
        #expect(Set(result.observations.map(\.unit)) == ["percent", "index"])
    }
}
