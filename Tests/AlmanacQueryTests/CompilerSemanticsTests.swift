import Foundation
import AlmanacQuery
import Testing

/// The meaning of the steps on ``Dataset``: joins on periods, incomplete periods, levels,
/// knowledge time, region groups.
@Suite("Compiler semantics")
struct CompilerSemanticsTests {
    func run(_ text: String) throws -> QueryResult { try Dataset.engine().run(text) }

    @Test func yearOnYearIsAJoinAndAMissingYearGivesNull() throws {
        let result = try run("from cpi.index(group = \"food\") | where region = \"Ha Noi\" | during 2021-02..2021-04 | growth yoy")
        #expect(result.records.map { $0["period"]! } == ["2021-02", "2021-03", "2021-04"])
        #expect(result.record(["period": "2021-03"])?["value"] == "")
        let expected = (Dataset.cpi("01", group: "food", year: 2021, month: 4) / Dataset.cpi("01", group: "food", year: 2020, month: 4) - 1) * 100
        #expect(result.record(["period": "2021-04"])?["value"] == shown(expected))
    }

    @Test func periodOnPeriodNeverTakesTheWrongNeighbour() throws {
        let result = try run("from cpi.index(group = \"food\") | where region = \"01\" | change pop | during 2020-04")
        // 2020-03 is missing: the previous row is 2020-02, which must not be used.
        #expect(result.rows.count == 1)
        #expect(result.records[0]["value"] == "")
        let january = try run("from cpi.index(group = \"food\") | where region = \"19\" | change pop | during 2021-01")
        let expected = Dataset.cpi("19", group: "food", year: 2021, month: 1) - Dataset.cpi("19", group: "food", year: 2020, month: 12)
        #expect(january.records[0]["value"] == shown(expected))
    }

    @Test func convertRefusesIncompletePeriodsWithAWarning() throws {
        let result = try run("from budget.revenue(measure = \"actual\") | where region = \"20\" | convert annual")
        #expect(result.records.map { $0["period"]! } == ["2020"])
        #expect(result.records[0]["value"] == String((1...12).reduce(0) { $0 + Dataset.revenue("20", year: 2020, month: $1) }))
        #expect(result.warnings.count == 1)
        #expect(result.warnings[0].contains("Lạng Sơn 2021 (11 of 12 months)"))
    }

    @Test func convertPrefersAWholeFigureAndAveragesIndices() throws {
        let cpi = try run("from cpi.index(group = \"all\") | where region = \"19\" | during 2021-Q1 | convert quarterly")
        let mean = (1...3).map { Dataset.cpi("19", group: "all", year: 2021, month: $0) }.reduce(0, +) / 3
        #expect(cpi.records.map { $0["value"]! } == [shown(mean)])
        let fdi = try run("from investment.fdi_registered | where region = \"31\" | convert annual")
        #expect(fdi.records.map { $0["value"]! } == ["100"])
    }

    @Test func rankAndShareCompareProvincesOnly() throws {
        let result = try run("from budget.revenue(measure = \"actual\") | during 2021-H1 | convert half | rank | share")
        for code in ["VN", "NMM", "RRD"] {
            #expect(result.record(["region": code])?["rank"] == "")
            #expect(result.record(["region": code])?["share"] == "")
        }
        let shares = result.records.compactMap { Double($0["share"]!) }
        #expect(shares.count == 5)
        #expect(abs(shares.reduce(0, +) - 100) < 0.05)
        let regions = try run("from budget.revenue(measure = \"actual\") | where level = \"region\" | during 2021-01 | rank")
        #expect(regions.record(["region": "RRD"])?["rank"] == "1")
        #expect(regions.record(["region": "NMM"])?["rank"] == "2")
    }

    @Test func groupAddsUpTheFinestLevelOnly() throws {
        let result = try run("from budget.revenue(measure = \"actual\") | during 2021-01 | group by indicator")
        let provinces = Dataset.provinces.reduce(0) { $0 + Dataset.revenue($1, year: 2021, month: 1) }
        #expect(result.records.map { $0["value"]! } == [String(provinces)])
        #expect(result.columns.map(\.name) == ["indicator", "period", "value", "unit"])
    }

    @Test("as of an instant between revisions gives the value known then", arguments: [
        ("2021-07-04", ""), ("2021-07-05", "6.5"), ("2021-08-31", "6.5"), ("2021-09-01", "6.8"), ("2030-01-01", "6.8"),
    ])
    func asOfBetweenRevisions(date: String, expected: String) throws {
        let result = try run("from gdp.grdp_growth | where region = \"19\" | during 2021-H1 | asof \(date)")
        #expect(result.records.map { $0["value"]! } == (expected.isEmpty ? [] : [expected]))
    }

    @Test func retractedMeansNoValue() throws {
        let known = try run("from gdp.grdp_growth | where region = \"31\" | during 2021-Q2 | asof 2021-10-02")
        #expect(known.records.map { $0["value"]! } == ["10.0"])
        let retracted = try run("from gdp.grdp_growth | where region = \"31\" | during 2021-Q2 | asof 2021-10-03")
        #expect(retracted.rows.isEmpty)
        #expect(try run("from gdp.grdp_growth | where region = \"31\" | during 2021-Q2").rows.isEmpty)
        #expect(try run("from gdp.grdp_growth | where region = \"31\" | during 2021-Q2 | asof first").records[0]["value"] == "10.0")
    }

    @Test func logPositionsReadTheVersionCurrentThen() throws {
        let engine = try Dataset.engine()
        let rows = try engine.database.rows("""
            SELECT v.seq_from FROM observation_versions v JOIN series s ON s.id = v.series_id
            WHERE s.indicator = 'gdp.grdp_growth' AND s.region = '19' AND v.period = '2021-H1' ORDER BY v.seq_from
            """)
        guard rows.count == 2, case .integer(let reported) = rows[0][0], case .integer(let revised) = rows[1][0] else {
            Issue.record("expected two versions")
            return
        }
        for (position, expected) in [(reported - 1, [String]()), (reported, ["6.5"]), (revised - 1, ["6.5"]), (revised, ["6.8"])] {
            let result = try engine.run("from gdp.grdp_growth | where region = \"19\" | during 2021-H1 | asof @\(position)")
            #expect(result.records.map { $0["value"]! } == expected, "@\(position)")
        }
    }

    @Test func withinA2025UnitRollsUpAdditiveIndicatorsOnly() throws {
        let revenue = try run("from budget.revenue(measure = \"actual\") | where region within \"19N\" | during 2021-01")
        #expect(Set(revenue.records.map { $0["region"]! }) == ["19", "06"])
        let growth = try run("from gdp.grdp_growth | where region within \"19N\"")
        #expect(growth.rows.isEmpty)
        #expect(growth.warnings.contains { $0.contains("only for additive indicators") })
        let group = try run("from budget.revenue(measure = \"actual\") | where region within \"Northern Midlands and Mountains\" | during 2021-01")
        #expect(Set(group.records.map { $0["region"]! }) == ["19", "20", "06"])
    }

    @Test func yearToDateNeedsEveryEarlierPeriod() throws {
        let result = try run("from budget.revenue(measure = \"actual\") | where region in (\"19\", \"20\") | ytd | during 2021-03, 2021-12")
        let march = (1...3).reduce(0) { $0 + Dataset.revenue("19", year: 2021, month: $1) }
        #expect(result.record(["region": "19", "period": "2021-03"])?["value"] == String(march))
        #expect(result.record(["region": "20", "period": "2021-12"])?["value"] == "")
        #expect(result.record(["region": "20", "period": "2021-03"])?["value"] != "")
    }

    @Test func rebaseAndRatio() throws {
        let rebased = try run("from cpi.index(group = \"food\") | where region = \"19\" | during 2021-01 | rebase 2020-01")
        let expected = Dataset.cpi("19", group: "food", year: 2021, month: 1) / Dataset.cpi("19", group: "food", year: 2020, month: 1) * 100
        #expect(rebased.records.map { $0["value"]! } == [shown(expected)])
        let ratio = try run("from budget.revenue(measure = \"actual\") | where region = \"19\" | during 2021 | convert annual | ratio budget.revenue(measure = \"plan\")")
        let actual = (1...12).reduce(0) { $0 + Dataset.revenue("19", year: 2021, month: $1) }
        #expect(ratio.records.map { $0["value"]! } == [shown(Double(actual) / 1400 * 100)])
        #expect(ratio.records[0]["unit"] == "percent")
    }

    @Test func valuesPassingThroughStayExact() throws {
        let result = try run("from gdp.grdp_growth | where region = \"01\" and period = 2021-H1 | derive twice = value * 2")
        #expect(result.records[0]["value"] == "5.0")
        #expect(result.records[0]["twice"] == "10")
    }

    @Test func compiledColumnsAreTheCheckersColumns() throws {
        let engine = try Dataset.engine()
        for (name, text) in exampleQueries where !text.contains("pivot period") {
            let checked = try Checker(catalogue: engine.catalogue).check(try Query.parse(text))
            #expect(try engine.compile(text).columns.map(\.name) == checked.columns, "\(name)")
        }
    }

    @Test func explainShowsParametersNotText() throws {
        let explanation = try Dataset.engine().explain("from gdp.grdp_growth | where region_name = \"Thái Nguyên\"")
        #expect(explanation.contains("-- parameters:"))
        #expect(explanation.contains("= 'Thái Nguyên'"))
        #expect(explanation.components(separatedBy: "-- parameters:")[0].contains("Thái Nguyên") == false)
    }
}
