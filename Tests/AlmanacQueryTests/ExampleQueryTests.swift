import AlmanacQuery
import Testing

/// The example queries of QUERY.md, verbatim with their comments and line breaks.
let exampleQueries: [(name: String, text: String)] = [
    ("thai-nguyen-h1-growth", """
    # Thái Nguyên's GRDP growth in the first half of 2021
    from gdp.grdp_growth | where region = "Thai Nguyen" | during 2021-H1
    """),
    ("budget-top-20", """
    # the top 20 provinces by budget revenue in H1 2021, and where Thái Nguyên stands
    from budget.revenue(measure = "actual") | during 2021-H1 | convert half
      | rank | where rank <= 20 or region = "Thai Nguyen" | sort rank
    """),
    ("budget-rank-in-region", """
    # Thái Nguyên's rank within the Northern Midlands and Mountains, by year
    from budget.revenue(measure = "actual") | where region within "NMM" | convert annual
      | rank | where region = "Thai Nguyen"
    """),
    ("food-cpi-yoy", """
    # food CPI, year on year, every month of 2021, every province, months as columns
    from cpi.index(group = "food") | during 2021-01..2021-12 | growth yoy | pivot period
    """),
    ("fdi-by-year", """
    # registered FDI by province and year
    from investment.fdi_registered | during 2015..2023 | convert annual | pivot period
    """),
    ("growth-known-then", """
    # what growth we knew on 12 July 2021 against what we know now
    from gdp.grdp_growth | where region = "Thai Nguyen" | during 2021-H1 | asof 2021-07-12 vs latest
    """),
    ("budget-execution", """
    # budget execution: actual against plan, by province, 2021
    from budget.revenue | during 2021 | convert annual | pivot measure
      | derive execution = actual / plan * 100 | sort -execution
    """),
    ("fdi-share-top-10", """
    # each region's share of national registered FDI in 2021, top 10
    from investment.fdi_registered | during 2021 | convert annual | share | sort -share | take 10
    """),
    ("largest-revisions", """
    # the ten largest revisions of quarterly growth
    from gdp.grdp_growth | during 2020-Q1..2021-Q4 | asof first vs latest
      | derive size = abs(revision) | sort -size | take 10
    """),
]

@Suite("QUERY.md examples")
struct ExampleQueryTests {
    @Test("every example parses, prints canonically and round-trips", arguments: exampleQueries.map(\.name))
    func roundTrip(name: String) throws {
        let text = exampleQueries.first { $0.name == name }!.text
        let query = try Query.parse(text)
        let printed = QueryPrinter.print(query)
        let reparsed = try Query.parse(printed)
        #expect(reparsed == query)
        #expect(QueryPrinter.print(reparsed) == printed)
        Golden.check(printed, against: "canonical/\(name).aq")
    }

    @Test("every example passes the checker", arguments: exampleQueries.map(\.name))
    func checks(name: String) throws {
        let text = exampleQueries.first { $0.name == name }!.text
        let checked = try Checker(catalogue: TestCatalogue()).check(try Query.parse(text))
        #expect(!checked.indicators.isEmpty)
    }

    @Test func budgetExecutionTree() throws {
        let query = try Query.parse(exampleQueries[6].text)
        #expect(query.indicators.map(\.value.name.value) == ["budget.revenue"])
        #expect(query.steps.map(\.value.name) == [.during, .convert, .pivot, .derive, .sort])
        guard case .derive(let derivations) = query.steps[3].value else {
            Issue.record("expected derive")
            return
        }
        let actual = Located<Expression>(.column("actual"), at: SourceSpan(offset: 0, line: 1, column: 1, length: 0))
        let plan = Located<Expression>(.column("plan"), at: actual.span)
        let hundred = Located<Expression>(.number("100"), at: actual.span)
        let quotient = Located<Expression>(.binary(.divide, actual, plan), at: actual.span)
        #expect(derivations[0].expression.value == .binary(.multiply, quotient, hundred))
        #expect(query.steps[4].value == .sort([SortKey(column: Located("execution", at: actual.span), descending: true)]))
    }

    @Test func spansPointIntoTheSourceOnLaterLines() throws {
        let query = try Query.parse(exampleQueries[1].text)
        let rank = query.steps[2]
        #expect(rank.value == .rank(nil, within: []))
        #expect((rank.span.line, rank.span.column, rank.span.length) == (3, 5, 4))
        let characters = Array(exampleQueries[1].text)
        #expect(String(characters[rank.span.offset..<rank.span.end]) == "rank")
    }
}
