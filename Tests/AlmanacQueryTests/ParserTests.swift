import AlmanacQuery
import Testing

@Suite("parser")
struct ParserTests {
    let here = SourceSpan(offset: 0, line: 1, column: 1, length: 0)

    func step(_ text: String) throws -> Step {
        try Query.parse("from x | " + text).steps[0].value
    }

    func expression(_ text: String) throws -> Expression {
        guard case .filter(let condition) = try step("where " + text) else { throw QueryError(.syntax, at: here, "not a where") }
        return condition.value
    }

    func column(_ name: String) -> Located<Expression> { Located(.column(name), at: here) }
    func number(_ text: String) -> Located<Expression> { Located(.number(text), at: here) }
    func name(_ text: String) -> Located<String> { Located(text, at: here) }

    @Test func severalIndicatorsWithFilters() throws {
        let query = try Query.parse(#"from gdp.grdp(sector = "industry", price in ("current", 2010)), budget.*"#)
        #expect(query.indicators.count == 2)
        let filters = query.indicators[0].value.filters.map(\.value)
        #expect(filters[0].dimension.value == "sector")
        #expect(filters[1].values.map(\.value) == ["current", "2010"])
        #expect(query.indicators[1].value.isGlob)
        #expect(query.steps.isEmpty)
    }

    @Test func andBindsTighterThanOr() throws {
        let a = Located<Expression>(.binary(.equal, column("a"), number("1")), at: here)
        let b = Located<Expression>(.binary(.equal, column("b"), number("2")), at: here)
        let c = Located<Expression>(.binary(.equal, column("c"), number("3")), at: here)
        let and = Located<Expression>(.binary(.and, b, c), at: here)
        #expect(try expression("a = 1 or b = 2 and c = 3") == .binary(.or, a, and))
    }

    @Test func arithmeticIsLeftAssociative() throws {
        let ab = Located<Expression>(.binary(.subtract, column("a"), column("b")), at: here)
        #expect(try expression("a - b - c > 0") == .binary(.greater, Located(.binary(.subtract, ab, column("c")), at: here), number("0")))
    }

    @Test func notInAndWithin() throws {
        let list = [Located<Expression>(.string("Ha Noi"), at: here)]
        #expect(try expression(#"region not in ("Ha Noi")"#) == .membership(column("region"), list, negated: true))
        #expect(try expression(#"not region within "NMM""#)
            == .unary(.not, Located(.within(column("region"), Located(.string("NMM"), at: here)), at: here)))
    }

    @Test func everyStepParses() throws {
        #expect(try step("during 2021, 2015..2020, 2021-Q1") == .during([
            Located(.single(.year(2021)), at: here), Located(.range(.year(2015), .year(2020)), at: here),
            Located(.single(.quarter(year: 2021, quarter: 1)), at: here),
        ]))
        #expect(try step("asof @42 vs 2021-07-12") == .asof(Located(.position(42), at: here),
                                                           versus: Located(.date(DateLiteral(year: 2021, month: 7, day: 12)), at: here)))
        #expect(try step("convert quarterly last") == .convert(Located(.quarterly, at: here), method: Located(.last, at: here)))
        #expect(try step("group by region, group max over period")
            == .group(by: [name("region"), name("group")], aggregation: Located(.max, at: here), overPeriod: true))
        #expect(try step("group by region") == .group(by: [name("region")], aggregation: nil, overPeriod: false))
        #expect(try step("change pop") == .change(.pop))
        #expect(try step("ytd") == .ytd(nil))
        #expect(try step("ytd avg") == .ytd(.avg))
        #expect(try step("rebase 2015-Q1 = 100") == .rebase(Located(.quarter(year: 2015, quarter: 1), at: here), base: name("100")))
        #expect(try step("share within level") == .share(within: [name("level")]))
        #expect(try step("rank asc within level, group") == .rank(.asc, within: [name("level"), name("group")]))
        #expect(try step("take 3") == .take(Located(3, at: here)))
        #expect(try step("ratio budget.revenue(measure = \"plan\")").name == .ratio)
        #expect(try step("deflate cpi.index").name == .deflate)
    }

    @Test func aDimensionMayShareAStepsName() throws {
        #expect(try step("group by group") == .group(by: [name("group")], aggregation: nil, overPeriod: false))
        #expect(try step("sort -rank, group") == .sort([SortKey(column: name("rank"), descending: true),
                                                         SortKey(column: name("group"), descending: false)]))
    }

    @Test func functionsAndUnaryMinus() throws {
        let call = Expression.call(.round, [Located(.unary(.negate, column("value")), at: here), number("1")])
        guard case .derive(let derivations) = try step("derive r = round(-value, 1)") else {
            Issue.record("expected derive")
            return
        }
        #expect(derivations[0].expression.value == call)
    }

    @Test func spansCoverTheWholeStep() throws {
        let query = try Query.parse("from cpi.index | convert annual avg | take 5")
        #expect(query.steps[0].span == SourceSpan(offset: 17, line: 1, column: 18, length: 18))
        #expect(query.indicators[0].span == SourceSpan(offset: 5, line: 1, column: 6, length: 9))
    }

    @Test("tricky expressions round-trip through the printer", arguments: [
        "a - (b - c)", "(a - b) - c", "-(-a)", "-(a + b) * c", "a / (b * c)", "not (a or b)", "(not a) = b",
        "(a = b) = c", "a = (b = c)", "a in (1, b + 1, (c = d))", "(a in (1)) = b", "abs(a - b) > round(c, 2)",
        "period >= 2021-Q3 and known_from <= 2021-07-12", "region = \"Thái \\\"Nguyên\\\"\\n\"", "a or b and c", "(a or b) and c",
    ])
    func expressionRoundTrip(text: String) throws {
        let query = try Query.parse("from x | where \(text)")
        let printed = QueryPrinter.print(query)
        #expect(try Query.parse(printed) == query)
        #expect(QueryPrinter.print(try Query.parse(printed)) == printed)
    }

    @Test func canonicalSpellings() throws {
        let query = try Query.parse("from x(g = 7) | during 2021-S1, 2021-M07, 2021-a1 | asof @7 vs first | derive y = (a)")
        #expect(query.description == #"from x(g = "7") | during 2021-H1, 2021-07, 2021 | asof @7 vs first | derive y = a"#)
    }

    @Test func errorsPointAtTheOffendingToken() {
        #expect {
            try Query.parse("from x | take 5 | sort")
        } throws: { error in
            (error as? QueryError)?.span == SourceSpan(offset: 18, line: 1, column: 19, length: 4)
        }
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let deep = String(repeating: "(", count: 200) + "a" + String(repeating: ")", count: 200)
        #expect(throws: QueryError.self) { try Query.parse("from x | where \(deep)") }
        let negations = String(repeating: "-", count: 200) + "a"
        #expect(throws: QueryError.self) { try Query.parse("from x | derive y = \(negations)") }
    }
}
