import AlmanacQuery
import Testing

/// A `group by` group of one row keeps that row's value as reported (`3.0`, not `3`). On
/// current observations read as they are, the row's text is looked up by its series and
/// period after the grouping; otherwise (here `asof`) it goes through the grouping as a
/// column. Both must give the text of the row itself, period by period.
@Suite("group by: a group of one row keeps its exact text")
struct GroupExactTextTests {
    @Test func eachGroupOfOneRowShowsItsOwnRowsText() throws {
        let engine = try Dataset.engine()
        let plain = try engine.run(#"from gdp.grdp_growth | where region = "01""#, format: .csv).values(of: "value")
        #expect(plain.count >= 8)
        #expect(plain.contains(.number("3.0")) && plain.contains(.number("5.0")))
        for query in [#"from gdp.grdp_growth | where region = "01" | group by region"#,
                      #"from gdp.grdp_growth | where region = "01" | asof 2099-12-31 | group by region"#] {
            let grouped = try engine.run(query, format: .csv)
            #expect(grouped.values(of: "value") == plain, "\(query)")
        }
        // The first form looks the text up by key; the second carries it through the grouping.
        #expect(try engine.compile(#"from gdp.grdp_growth | where region = "01" | group by region"#).sql.contains("AS \"$one\""))
        #expect(!(try engine.compile(#"from gdp.grdp_growth | where region = "01" | asof 2099-12-31 | group by region"#).sql.contains("AS \"$one\"")))
    }
}
