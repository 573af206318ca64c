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
    ]

    @Test(arguments: queries)
    func bothPathsGiveTheSameRows(_ query: String) throws {
        let engine = try CumulativeDataset.engine()
        guard let at = query.range(of: " | during") else { Issue.record("no during in \(query)"); return }
        let general = query.replacingCharacters(in: at, with: " | where period >= 1900-01 | during")
        // The direct path is taken when `convert` is the last step; before a `group by`, the
        // whole figures are copied (narrow) once.
        #expect(try engine.compile(query).sql.contains("JOIN observations w") == !query.contains("group by"))
        #expect(!(try engine.compile(general).sql.contains("JOIN observations w")))
        let direct = try engine.run(query, format: .csv), other = try engine.run(general, format: .csv)
        #expect(direct.rows == other.rows)
        #expect(direct.warnings == other.warnings)
        #expect(!direct.rows.isEmpty)
    }
}
