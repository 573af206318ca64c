import AlmanacQuery
import AlmanacSQLite
import Testing

/// The engine keeps the statements of recent queries prepared: a query run again, or with
/// other values (bound as parameters, so the same SQL text), must read what it asks for.
@Suite("Statement cache")
struct StatementCacheTests {
    static func query(_ region: String) -> String {
        #"from budget.revenue(measure = "actual") | where region = ""# + region + #"" | during 2021 | convert quarterly"#
    }

    @Test func aCachedStatementReadsTheValuesBoundThisTime() throws {
        let cached = try Dataset.engine()
        let uncached = try QueryEngine(readModelPath: Dataset.path, statementCacheCapacity: 0)
        // The two queries differ only in bound values: one SQL text, one cached statement (and
        // one for the shortcut, the statement tried first, when the data of one region lack a
        // quarter of their own).
        let compiled = try cached.compile(Self.query("01")), other = try cached.compile(Self.query("19"))
        #expect(compiled.sql == other.sql && compiled.shortcut?.sql == other.shortcut?.sql)
        var shortcutsDeclined = 0
        var seen: [[[QueryValue]]] = []
        for region in ["01", "19", "01", "Ha Noi", "19"] {
            let result = try cached.run(Self.query(region), format: .csv), rows = result.rows
            if !result.answeredByShortcut { shortcutsDeclined += 1 }
            #expect(rows == (try uncached.run(Self.query(region), format: .csv).rows), "\(region)")
            #expect(rows.count == 4)
            seen.append(rows)
        }
        #expect(seen[0] != seen[1])
        #expect(seen[0] == seen[2] && seen[1] == seen[4] && seen[3] == seen[0])
        #expect(compiled.shortcut != nil)
        #expect(cached.statements.count == (shortcutsDeclined > 0 ? 2 : 1))
        #expect(uncached.statements.count == 0)
    }

    @Test func aStatementStoppedByALimitRunsAgain() throws {
        let engine = try Dataset.engine()
        let text = "from budget.revenue | during 2020..2021"
        do {
            _ = try engine.run(text, limits: QueryLimits(rowLimit: 3))
            Issue.record("the row limit did not stop the query")
        } catch let error as QueryRuntimeError {
            #expect(error.message == "query stopped after 3 rows (row limit)")
        }
        let all = try engine.run(text, limits: QueryLimits(rowLimit: nil))
        #expect(all.rows.count > 3)
        #expect(try engine.run(text, limits: QueryLimits(rowLimit: nil)).rows == all.rows)
    }

    @Test func theLeastRecentlyUsedStatementGoesFirst() throws {
        let engine = try QueryEngine(readModelPath: Dataset.path, statementCacheCapacity: 2)
        let queries = ["from budget.revenue | during 2021", "from budget.revenue | during 2021 | convert annual",
                       "from budget.revenue | during 2021 | group by region"]
        for query in queries { _ = try engine.run(query) }
        #expect(engine.statements.count == 2)
        let database = engine.database
        // The first query's statement was evicted: asking for it prepares a new one.
        let first = try engine.compile(queries[0]).sql, third = try engine.compile(queries[2]).sql
        let kept = try engine.statements.statement(third, on: database)
        #expect(try engine.statements.statement(third, on: database) === kept)
        let again = try engine.statements.statement(first, on: database)
        #expect(try engine.statements.statement(first, on: database) === again)
        #expect(engine.statements.count == 2)
    }
}
