import AlmanacQuery
import Testing

/// Queries the parser must refuse, with the rendered message kept in `Golden/errors/<name>.txt`.
let syntaxErrorCases: [(name: String, query: String)] = [
    ("unknown-step", "from cpi.index | during 2021 | grwoth yoy"),
    ("unknown-step-synonym", "from cpi.index | limit 10"),
    ("empty-query", ""),
    ("comment-only-query", "# nothing but a comment"),
    ("missing-from", "cpi.index | during 2021"),
    ("misspelled-from", "form cpi.index"),
    ("starts-with-step", "during 2021"),
    ("trailing-pipe", "from cpi.index | during 2021 |"),
    ("empty-step", "from cpi.index | | during 2021"),
    ("double-pipe", "from cpi.index || during 2021"),
    ("unterminated-string", "from cpi.index | where region = \"Thai Nguyen"),
    ("bad-quarter", "from gdp.grdp | during 2021-Q5"),
    ("bad-half", "from gdp.grdp | during 2021-H3"),
    ("bad-month", "from cpi.index | during 2021-13"),
    ("one-digit-month", "from cpi.index | during 2021-7"),
    ("bad-date", "from cpi.index | asof 2021-02-29"),
    ("take-negative", "from cpi.index | take -1"),
    ("take-zero", "from cpi.index | take 0"),
    ("take-missing", "from cpi.index | take"),
    ("sort-nothing", "from cpi.index | sort"),
    ("unclosed-parenthesis", "from cpi.index | where (region = \"Ha Noi\" or region = \"Hai Phong\""),
    ("extra-parenthesis", "from cpi.index | where region = \"Ha Noi\")"),
    ("unclosed-filter", "from cpi.index(group = \"food\" | during 2021"),
    ("growth-missing-comparison", "from cpi.index | growth"),
    ("growth-misspelled-comparison", "from cpi.index | growth yyo"),
    ("convert-misspelled-frequency", "from cpi.index | convert quartely"),
    ("convert-misspelled-method", "from budget.revenue | convert annual summ"),
    ("group-without-by", "from budget.revenue | group region"),
    ("asof-period", "from gdp.grdp | asof 2021"),
    ("asof-misspelled", "from gdp.grdp | asof lastest"),
    ("during-date", "from cpi.index | during 2021-07-12"),
    ("range-mixed-frequencies", "from cpi.index | during 2021..2021-06"),
    ("range-backwards", "from cpi.index | during 2021-06..2021-01"),
    ("double-equals", "from cpi.index | where region == \"Ha Noi\""),
    ("single-quotes", "from cpi.index | where region = 'Ha Noi'"),
    ("chained-comparison", "from cpi.index | where 1 < value < 5"),
    ("unknown-function", "from cpi.index | derive x = abss(value)"),
    ("round-arity", "from cpi.index | derive x = round(value, 1, 2)"),
    ("unquoted-filter-value", "from cpi.index(group = food)"),
    ("missing-separator", "from cpi.index during 2021"),
    ("multiline-unknown-step", "from cpi.index\n  | during 2021\n  | rnak"),
    ("bad-escape", "from cpi.index | where region = \"Th\\qai\""),
    ("unexpected-character", "from cpi.index | where value ~ 3"),
    ("where-without-condition", "from cpi.index | where"),
    ("from-as-step", "from cpi.index | from gdp.grdp"),
    ("rank-misspelled-order", "from budget.revenue | rank dsc"),
    ("derive-missing-equals", "from cpi.index | derive x value"),
    ("in-without-list", "from cpi.index | where region in \"Ha Noi\""),
    ("vietnamese-before-error", "from cpi.index | where region = \"Thái Nguyên\" | rnk"),
]

/// Queries that parse but the checker refuses, against ``TestCatalogue``.
let checkErrorCases: [(name: String, query: String)] = [
    ("check-unknown-indicator", "from cpi.indx"),
    ("check-unknown-dimension", "from cpi.index(grup = \"food\")"),
    ("check-unknown-dimension-value", "from cpi.index(group = \"foood\")"),
    ("check-unknown-region", "from gdp.grdp_growth | where region = \"Thai Ngyen\""),
    ("check-unknown-region-group", "from budget.revenue | where region within \"NNM\""),
    ("check-convert-sum-index", "from cpi.index | convert annual sum"),
    ("check-group-sum-index", "from cpi.index | group by region sum"),
    ("check-group-sum-growth", "from gdp.grdp | growth yoy | group by level sum"),
    ("check-rank-before-rank", "from budget.revenue | where rank <= 20"),
    ("check-revision-without-vs", "from gdp.grdp_growth | asof first | derive size = abs(revision)"),
    ("check-pivot-columns", "from budget.revenue | pivot measure | derive e = actual / plna"),
    ("check-growth-after-pivot", "from cpi.index | pivot period | growth yoy"),
    ("check-glob-matches-nothing", "from budgt.*"),
    ("check-asof-after-convert", "from gdp.grdp | convert annual | asof first"),
    ("check-misspelled-column", "from cpi.index | sort -vlaue"),
    ("check-column-grouped-away", "from budget.revenue | group by region over period | sort period"),
    ("check-deflate-by-flow", "from budget.revenue | deflate budget.expenditure"),
    ("check-share-of-index", "from cpi.index | share"),
    ("check-within-not-region", "from cpi.index | where group within \"NMM\""),
    ("check-unknown-level", "from cpi.index | where level = \"provice\""),
]

@Suite("rendered error messages")
struct ErrorGoldenTests {
    @Test("syntax errors render as their golden file", arguments: syntaxErrorCases.map(\.name))
    func syntaxError(name: String) {
        let query = syntaxErrorCases.first { $0.name == name }!.query
        do {
            let parsed = try Query.parse(query)
            Issue.record("parsed: \(parsed)")
        } catch {
            #expect(error.kind == .syntax || error.kind == .lexical)
            Golden.check(error.rendered(in: query), against: "errors/\(name).txt")
        }
    }

    @Test("checker errors render as their golden file", arguments: checkErrorCases.map(\.name))
    func checkError(name: String) throws {
        let query = checkErrorCases.first { $0.name == name }!.query
        let parsed = try Query.parse(query)
        do {
            let checked = try Checker(catalogue: TestCatalogue()).check(parsed)
            Issue.record("checked: \(checked.columns)")
        } catch {
            #expect(error.kind == .unknownName || error.kind == .semantic)
            Golden.check(error.rendered(in: query), against: "errors/\(name).txt")
        }
    }

    @Test func theBriefsExampleRendersExactly() {
        let query = "from cpi.index | during 2021 | grwoth yoy"
        #expect(throws: QueryError.self) { try Query.parse(query) }
        do {
            _ = try Query.parse(query)
        } catch {
            #expect(error.rendered(in: query) == """
            error: unknown step "grwoth"
              --> line 1, column 32
               |
             1 | from cpi.index | during 2021 | grwoth yoy
               |                                ^^^^^^
               = hint: did you mean "growth"?
            """)
        }
    }
}
