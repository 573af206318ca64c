import AlmanacQuery
import Testing

/// `convert` right after `from` and `during`, with no `where` on the rows and no step after
/// it, reads its whole figures straight from `observations` and finds the target periods without one by an
/// anti-join (docs/query-compiler.md). A `where` on the rows that keeps every row takes the
/// general path (the whole figures copied, then probed); both must give the same rows and
/// warnings, on data where some target periods have a figure of their own and others must
/// be combined or are incomplete.
@Suite("convert: the direct path and the general one agree")
struct ConvertPathTests {
    static let queries = [
        "from gdp.grdp | during 2020..2021 | convert quarterly",
        "from gdp.grdp | during 2020..2021 | convert half",
        "from gdp.grdp | during 2020..2021 | convert annual",
        "from gdp.grdp | during 2021-02..2021-12 | convert quarterly",
        "from gdp.grdp | during 2021 | convert annual | group by level",
        "from gdp.grdp | during 2021 | convert half | group by period over period",
        "from budget.revenue | during 2021 | convert quarterly",
        "from budget.revenue(measure = \"actual\") | during 2021-04..2021-12 | convert quarterly",
        "from budget.revenue | during 2020..2021 | convert annual | group by measure",
        "from cpi.index | during 2021 | convert quarterly",
        "from cpi.index | during 2021 | convert quarterly last",
        "from investment.fdi_registered | during 2019..2021 | convert annual",
        "from gdp.grdp | where region = \"19\" | during 2021 | convert quarterly",
        "from gdp.grdp | where region = \"19\" | during 2020..2021 | convert annual",
        "from gdp.grdp | where region = \"19\" | during 2020..2021 | convert half",
    ]

    @Test(arguments: queries)
    func bothPathsGiveTheSameRows(_ query: String) throws {
        let engine = try CumulativeDataset.engine()
        guard let paths = PathComparison(engine, query, before: " | during") else { Issue.record("no during in \(query)"); return }
        // The direct path is taken when `convert` is the last step; before a `group by`, the
        // whole figures are copied (narrow) once.
        let marked = try paths.sqlContains("JOIN observations w")
        #expect(marked.special == !query.contains("group by") && !marked.general)
        let direct = try paths.expectSameAnswer()
        #expect(!direct.rows.isEmpty)
        // The shortcut (the whole figures alone, when every series has one for every target
        // period) answers only when its rows are the statement's.
        var compiled = try engine.compile(query)
        #expect((compiled.shortcut != nil) == !query.contains("group by"))
        #expect(compiled.shortcut == nil || direct.answeredByShortcut == Self.complete.contains(query))
        compiled.shortcut = nil
        let statement = try QueryExecutor(database: engine.database).execute(compiled, format: .csv)
        #expect(!statement.answeredByShortcut)
        #expect(direct.rows == statement.rows && direct.warnings == statement.warnings)
    }

    /// The queries whose data have a whole figure for every series and target period: the
    /// shortcut answers them, and declines the others.
    static let complete: Set<String> = [
        "from gdp.grdp | where region = \"19\" | during 2021 | convert quarterly",
        "from gdp.grdp | where region = \"19\" | during 2020..2021 | convert annual",
    ]

    @Test func theShortcutAnswersCompleteDataAndDeclinesTheRest() throws {
        let engine = try CumulativeDataset.engine()
        let answered = try Self.queries.filter { try engine.run($0).answeredByShortcut }
        #expect(Set(answered) == Self.complete)
        #expect(!answered.isEmpty && answered.count < Self.queries.count)
    }
}
