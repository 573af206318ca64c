@testable import AlmanacQuery
import Testing

/// The shape of the SQL the compiler writes for speed — filters moved onto the series, the
/// period read through the primary key, single-use CTEs not copied — and that each shape
/// gives the rows the plain one gives.
@Suite("compiled SQL for speed")
struct CompilerPlanTests {
    func run(_ text: String) throws -> QueryResult { try Dataset.engine().run(text) }

    /// The text of CTE `name` in a statement.
    func cte(_ name: String, in sql: String) -> String {
        guard let start = sql.range(of: "\n\(name) AS ") ?? sql.range(of: "WITH\n\(name) AS ") else { return "" }
        let rest = sql[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n),")?.lowerBound ?? rest.endIndex)])
    }

    @Test func leadingKeyFiltersChooseSeries() throws {
        let sql = try Dataset.engine().compile(#"from budget.revenue | where region = "Thai Nguyen" and measure = "actual" | during 2021"#).sql
        #expect(cte("e0", in: sql).contains(#"WHERE (("region" IN ("#))
        // The same filter after a step that is not a filter stays a filter of the rows; same answer.
        let moved = try run(#"from budget.revenue | where region = "Thai Nguyen" and measure = "actual" | during 2021"#)
        let kept = try run(#"from budget.revenue | sort period | where region = "Thai Nguyen" and measure = "actual" | during 2021"#)
        #expect(Set(moved.records) == Set(kept.records))
        #expect(moved.rows.count == 12)
    }

    @Test func filtersOnValuesAndTwentyTwentyFiveUnitsStayOnRows() throws {
        let engine = try Dataset.engine()
        // A filter moved onto the series wraps the series' SELECT.
        func moved(_ text: String) throws -> Bool { cte("e0", in: try engine.compile(text).sql).contains("SELECT * FROM (SELECT") }
        #expect(try !moved(#"from budget.revenue | where value > 100"#))
        #expect(try !moved(#"from budget.revenue | where region within "19N""#))
        #expect(try moved(#"from budget.revenue | where region within "NMM""#))
        #expect(try !moved(#"from budget.revenue | convert annual | where region = "19""#))
    }

    @Test func periodsAreReadThroughTheKeyByYear() throws {
        let sql = try Dataset.engine().compile(#"from cpi.index | during 2021-03 | growth yoy"#).sql
        #expect(sql.contains("o.period >= ?") && sql.contains("AND o.period < ?"))
        let explained = try Dataset.engine().explain(#"from cpi.index | during 2021-03 | growth yoy"#)
        #expect(explained.contains("'2020'") && explained.contains("'2022'"))
        // Years at the edge of four digits read no text bound, and still work.
        #expect(try run(#"from cpi.index | during 9999"#).rows.isEmpty)
        #expect(try run(#"from cpi.index | during 0001"#).rows.isEmpty)
    }

    @Test func singleUseCTEsAreNotMaterialized() throws {
        let sql = try Dataset.engine().compile(#"from budget.revenue(measure = "actual") | during 2021 | convert annual | rank"#).sql
        #expect(sql.contains("AS NOT MATERIALIZED ("))
        #expect(sql.contains("e0 AS MATERIALIZED ("))
    }

    /// How readers of a CTE are counted (which decides `NOT MATERIALIZED`): whole words only.
    @Test func cteReferencesAreWholeWords() {
        #expect(SQLBuilder.references(to: "c3", in: "SELECT * FROM c3 JOIN c3 x ON x.a = c3.a") == 3)
        #expect(SQLBuilder.references(to: "c3", in: "SELECT c31, \"$c3\", c3_x, xc3 FROM c30") == 0)
        #expect(SQLBuilder.references(to: "c3", in: "c3") == 1)
        #expect(SQLBuilder.highestPlaceholder(in: "SELECT ?2, ?12 FROM t WHERE a = ?3") == 12)
        #expect(SQLBuilder.highestPlaceholder(in: "SELECT 1") == 0)
        #expect(SQLBuilder.highestPlaceholder(in: "x = ?7") == 7)
        #expect(SQLBuilder.references(to: "c3", in: "(c3)") == 1)
        #expect(SQLBuilder.references(to: "c3", in: "éc3 c3é") == 0)
        #expect(SQLBuilder.references(to: "c3", in: "") == 0)
    }

    @Test func convertTakesWholeFiguresAsTheyStand() throws {
        // Hải Phòng's FDI is quarterly; the others publish years: both kinds give years.
        let result = try run(#"from investment.fdi_registered | during 2021 | convert annual"#)
        #expect(result.record(["region": "31"])?["value"] == "100")
        #expect(result.record(["region": "01"])?["value"] == "160")
        #expect(result.warnings.isEmpty)
    }
}
