import AlmanacQuery
import Testing

@Suite("checker")
struct CheckerTests {
    let checker = Checker(catalogue: TestCatalogue())

    func check(_ text: String) throws -> CheckedQuery {
        try checker.check(try Query.parse(text))
    }

    func refusal(_ text: String) throws -> QueryError? {
        let query = try Query.parse(text)
        do {
            _ = try checker.check(query)
            return nil
        } catch {
            return error
        }
    }

    @Test func sourceColumnsIncludeEachDimensionOnce() throws {
        let checked = try check("from budget.revenue, budget.expenditure")
        #expect(checked.columns == ["indicator", "region", "region_name", "level", "measure", "item",
                                    "period", "value", "unit", "status", "known_from"])
    }

    @Test func globsExpandInCatalogueOrder() throws {
        #expect(try check("from budget.*, budget.revenue").indicators.map(\.code) == ["budget.revenue", "budget.expenditure"])
        #expect(try check("from investment.fdi_*").indicators.map(\.code) == ["investment.fdi_registered", "investment.fdi_projects"])
        #expect(try check("from cpi.*").indicators.map(\.code) == ["cpi.index"])
    }

    @Test func regionsMatchByCodeOrNameWithoutAccents() throws {
        for region in ["19", "Thái Nguyên", "THAI NGUYEN", "thai  nguyen", "Tha\u{0301}i Nguye\u{0302}\u{0300}n"] {
            _ = try check("from gdp.grdp | where region = \(QueryPrinter.quote(region))")
        }
        _ = try check(#"from gdp.grdp | where region in ("Ha Noi", "31") and region within "trung du va mien nui phia bac""#)
    }

    @Test func dimensionValuesFoldToo() throws {
        _ = try check(#"from cpi.index(group = "FOOD") | where group != "Housing""#)
        _ = try check(#"from budget.revenue(item = "anything at all")"#)
    }

    @Test func unknownNamesSuggestTheClosest() throws {
        let error = try #require(try refusal(#"from gdp.grdp_growth | where region = "Thai Ngyen""#))
        #expect(error.kind == .unknownName)
        #expect(error.hints == [#"did you mean "Thái Nguyên"?"#])
        #expect(error.span.column == 39)
    }

    @Test func computedColumnsExistOnlyAfterTheirStep() throws {
        #expect(try refusal("from budget.revenue | where rank <= 3")?.hints.last == "rank exists only after a rank step")
        _ = try check("from budget.revenue | rank | where rank <= 3 | share | sort -share")
        let vintages = try check("from gdp.grdp | asof first vs latest | derive size = abs(revision)")
        #expect(vintages.columns.suffix(3) == ["value_vs", "revision", "size"])
    }

    @Test func pivotReplacesItsColumnAndValue() throws {
        let checked = try check("from budget.revenue | pivot measure")
        #expect(checked.columns.contains("actual") && checked.columns.contains("plan"))
        #expect(!checked.columns.contains("value") && !checked.columns.contains("measure"))
        #expect(try refusal("from budget.revenue | pivot measure | rank")?.kind == .semantic)
    }

    @Test func pivotOnAnOpenDimensionAcceptsAnyNewColumn() throws {
        _ = try check("from budget.revenue | pivot item | derive total = taxes + fees")
        #expect(try refusal("from budget.revenue | pivot item | growth yoy") != nil)
    }

    @Test func groupKeepsItsColumnsAndPeriod() throws {
        #expect(try check("from budget.revenue | group by level").columns == ["level", "period", "value", "unit"])
        #expect(try check("from budget.revenue | group by level count over period").columns == ["level", "value", "unit"])
        #expect(try refusal("from budget.revenue | group by level | sort region")?.reason == #"there is no column "region" here: group by removed it"#)
    }

    @Test func summingIsRefusedForIndicesRatesAndPercentages() throws {
        #expect(try refusal("from cpi.index | convert annual sum")?.kind == .semantic)
        #expect(try refusal("from cpi.index | ytd sum")?.kind == .semantic)
        #expect(try refusal("from gdp.grdp, cpi.index | group by region sum")?.kind == .semantic)
        #expect(try refusal("from gdp.grdp | rebase 2015 | group by level sum")?.kind == .semantic)
        _ = try check("from cpi.index | convert annual | group by level avg")
        _ = try check("from gdp.grdp | change yoy | group by level sum")
        _ = try check("from debt.outstanding | convert annual last | group by level sum")
        _ = try check("from cpi.index | group by level count | group by level sum")
    }

    @Test func asofComesRightAfterTheSource() throws {
        _ = try check("from gdp.grdp | where level = \"province\" | during 2021 | asof 2021-07-12")
        #expect(try refusal("from gdp.grdp | rank | asof first")?.kind == .semantic)
    }

    @Test func indicatorComparedInWhereMustBeRead() throws {
        _ = try check(#"from budget.* | where indicator = "budget.revenue""#)
        #expect(try refusal(#"from budget.* | where indicator = "budget.revenu""#)?.hints.first == #"did you mean "budget.revenue"?"#)
    }

    @Test func ratioAndDeflateResolveTheirIndicator() throws {
        _ = try check(#"from budget.revenue(measure = "actual") | ratio budget.revenue(measure = "plan")"#)
        _ = try check("from gdp.grdp | deflate cpi.index(group = \"all\")")
        #expect(try refusal("from gdp.grdp | ratio budget.revnue")?.kind == .unknownName)
        #expect(try refusal(#"from gdp.grdp | ratio budget.revenue(measure = "pla")"#)?.kind == .unknownName)
    }
}
