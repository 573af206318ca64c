import AlmanacQuery
import Testing

/// `ytd` on the source's rows as read looks each row's year to date up by the period texts
/// of its year (docs/query-compiler.md); with a `where` on the rows (one that keeps every
/// row, here) it takes a window over the rows instead. Both must give the same values, on
/// data with months missing, cumulative runs beside the months, a year's quarters, halves
/// and annual figure, and indicators of both rules.
@Suite("ytd: the lookup and the window agree")
struct YearToDatePathTests {
    static let queries = [
        "from budget.revenue | ytd",
        "from budget.revenue(measure = \"actual\") | ytd | during 2021",
        "from budget.revenue | ytd | during 2021-03..2021-12",
        "from budget.revenue | where region in (\"19\", \"20\") | ytd | during 2021-03, 2021-12",
        "from budget.revenue | ytd avg",
        "from cpi.index | ytd",
        "from cpi.index | ytd avg | during 2021-Q2..2021-Q4",
        "from gdp.grdp | ytd",
        "from gdp.grdp | ytd | during 2021-H1..2021-H2",
        "from gdp.grdp, cpi.index | ytd",
        "from budget.revenue | ytd | decumulate",
    ]

    @Test(arguments: queries)
    func bothPathsGiveTheSameRows(_ query: String) throws {
        guard let paths = PathComparison(try CumulativeDataset.engine(), query, before: " | ytd") else { Issue.record("no ytd in \(query)"); return }
        let marked = try paths.sqlContains("FROM observations p WHERE p.series_id = c.\"$sid\" AND p.period >= (CASE")
        #expect(marked.special && !marked.general)
        let lookup = try paths.expectSameAnswer()
        // Some year-to-date values and some empty ones (a period missing before them).
        let values = lookup.values(of: "value")
        #expect(values.contains { $0 != .null })
        #expect(!query.hasSuffix("| ytd") || values.contains(.null))
    }
}
