import AlmanacQuery
import Testing

/// `decumulate`, the inverse of `ytd`: year-to-date figures back into single periods, on
/// ``CumulativeDataset``.
@Suite("decumulate")
struct DecumulateTests {
    func run(_ text: String) throws -> QueryResult { try CumulativeDataset.engine().run(text) }

    func pairs(_ result: QueryResult, _ column: String = "value") -> [String] {
        result.records.map { "\($0["period"]!)=\($0[column]!)" }
    }

    @Test func yearToDateFiguresBecomeQuarters() throws {
        let result = try run(#"from gdp.grdp | where region = "Thai Nguyen" | during 2021 | decumulate"#)
        #expect(pairs(result) == ["2021-Q1=100", "2021-Q2=150", "2021-Q3=170", "2021-Q4=180"])
        // The quarters published on their own are not year-to-date figures: left out, and said so.
        #expect(result.warnings == ["decumulate: 4 row(s) whose period does not start in January are not year-to-date figures and were left out"])
        // A difference is known once both figures are.
        #expect(result.records.map { $0["known_from"]! } == [
            "2021-04-20T00:00:00.000Z", "2021-07-20T00:00:00.000Z", "2021-10-20T00:00:00.000Z", "2022-01-20T00:00:00.000Z",
        ])
    }

    @Test func aMissingFigureGivesTheLongerRunBetween() throws {
        // 2020 has Q1, H1 and the year but no nine-month figure: the year minus H1 is H2.
        let result = try run(#"from gdp.grdp | where region = "19" | during 2020 | decumulate"#)
        #expect(pairs(result) == ["2020-Q1=90", "2020-Q2=110", "2020-H2=300"])
        let withoutHalf = try run(#"from gdp.grdp | where region = "19" and period != 2021-H1 | during 2021 | decumulate"#)
        #expect(pairs(withoutHalf) == ["2021-Q1=100", "2021-04..2021-09=320", "2021-Q4=180"])
    }

    @Test func duringAppliesAfterwardsSoEarlierFiguresAreRead() throws {
        let result = try run(#"from gdp.grdp | where region = "19" | during 2021-Q3 | decumulate"#)
        #expect(pairs(result) == ["2021-Q3=170"])
        let later = try run(#"from gdp.grdp | where region = "19" | decumulate | during 2021-Q3"#)
        #expect(pairs(later) == ["2021-Q3=170"])
    }

    @Test func averagesAreUndoneForIndices() throws {
        // Year-to-date averages 100, 101, 102 are the months 100, 102, 104.
        let result = try run(#"from cpi.index(group = "all") | where region = "20" | decumulate"#)
        #expect(pairs(result) == ["2021-01=100", "2021-02=102", "2021-03=104"])
        #expect(try run(#"from cpi.index(group = "all") | where region = "20" | decumulate avg"#).records == result.records)
    }

    @Test func sumIsRefusedForIndices() throws {
        #expect {
            _ = try run(#"from cpi.index | decumulate sum"#)
        } throws: { error in
            (error as? QueryError)?.reason == "cannot use decumulate sum here: cpi.index is an index or a rate, and those do not add up"
        }
    }

    @Test func undoesYearToDateExactly() throws {
        // ytd keeps each period; decumulate after it gives the months back.
        let original = try run(#"from budget.revenue(measure = "actual") | where region = "19" | during 2021"#)
        let roundTrip = try run(#"from budget.revenue(measure = "actual") | where region = "19" | ytd | decumulate | during 2021"#)
        #expect(pairs(roundTrip) == pairs(original))
        #expect(roundTrip.rows.count == 12)
        let averages = try run(#"from cpi.index(group = "food") | where region = "19" | ytd | decumulate | during 2021"#)
        let months = try run(#"from cpi.index(group = "food") | where region = "19" | during 2021"#)
        #expect(pairs(averages) == pairs(months).map { $0.hasSuffix(".0") ? String($0.dropLast(2)) : $0 })
    }

    @Test func afterYearToDateAMissingPeriodStaysEmpty() throws {
        // Lạng Sơn has no revenue for 2021-11: ytd is empty from then on, and so is its inverse.
        let result = try run(#"from budget.revenue(measure = "actual") | where region = "20" | ytd | decumulate | during 2021-10..2021-12"#)
        #expect(pairs(result) == ["2021-10=\(Dataset.revenue("20", year: 2021, month: 10))", "2021-12="])
    }

    @Test func bothVintagesAreDecumulated() throws {
        let result = try run(#"from gdp.grdp | where region = "01" | asof 2021-08-01 vs latest | decumulate"#)
        #expect(pairs(result) == ["2021-Q1=1000", "2021-Q2=1050", "2021-Q3="])
        #expect(pairs(result, "value_vs") == ["2021-Q1=1000", "2021-Q2=1100", "2021-Q3=1200"])
        #expect(pairs(result, "revision") == ["2021-Q1=0", "2021-Q2=50", "2021-Q3="])
    }

    @Test func parsesPrintsAndSuggests() throws {
        #expect(try Query.parse("from x | decumulate").steps[0].value == .decumulate(nil))
        #expect(try Query.parse("from x | decumulate avg").steps[0].value == .decumulate(.avg))
        #expect(QueryPrinter.print(try Query.parse("from x|decumulate   sum")) == "from x | decumulate sum")
        for synonym in ["unytd", "deytd", "uncumulate"] {
            #expect {
                _ = try Query.parse("from x | \(synonym)")
            } throws: { error in
                (error as? QueryError)?.hints == ["the step for that is \"decumulate\""]
            }
        }
        #expect {
            _ = try Query.parse("from x | decumulate summ")
        } throws: { error in
            (error as? QueryError)?.hints == ["did you mean \"sum\"?"]
        }
    }

    @Test func columnsAreTheCheckersColumns() throws {
        let engine = try CumulativeDataset.engine()
        for text in [#"from gdp.grdp | decumulate"#, #"from gdp.grdp | asof first vs latest | decumulate | rank"#] {
            let checked = try Checker(catalogue: engine.catalogue).check(try Query.parse(text))
            #expect(try engine.compile(text).columns.map(\.name) == checked.columns)
        }
    }
}
