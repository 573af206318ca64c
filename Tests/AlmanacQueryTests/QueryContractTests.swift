import AlmanacQuery
import Testing

/// Every construct of the language's contract (`QUERY.md`, kept in the project as
/// `docs/query-language.md`), each run on ``Dataset`` with its answer recomputed from the
/// data set's formulas. The QUERY.md examples themselves are in ``ExampleCheckTests``.
@Suite("QUERY.md constructs")
struct QueryContractTests {
    func run(_ text: String) throws -> QueryResult { try Dataset.engine().run(text) }

    func column(_ result: QueryResult, _ name: String) -> [String] { result.records.map { $0[name]! } }

    func refusal(_ text: String) -> String? {
        do {
            _ = try run(text)
            return nil
        } catch let error as QueryError {
            return error.reason
        } catch {
            return "\(error)"
        }
    }

    @Test func sourceRowsHaveTheContractsColumns() throws {
        let result = try run(#"from cpi.index | take 1"#)
        #expect(result.columns.map(\.name) == ["indicator", "region", "region_name", "level", "group", "period", "value", "unit",
                                               "status", "known_from"])
        let several = try run(#"from gdp.grdp_growth, investment.fdi_registered | during 2021-H1, 2021"#)
        #expect(Set(column(several, "indicator")) == ["gdp.grdp_growth", "investment.fdi_registered"])
        let family = try run(#"from budget.* | during 2021"#)
        #expect(Set(column(family, "measure")) == ["actual", "plan"])
        let filtered = try run(#"from cpi.index(group = "FOOD") | during 2021-01"#)
        #expect(column(filtered, "group") == ["food", "food"])
    }

    @Test func whereComparesAndCombines() throws {
        let fdi = #"from investment.fdi_registered | where region = "01" and "#
        #expect(column(try run(fdi + "value >= 150 and value < 180"), "period") == ["2020", "2021", "2022"])
        #expect(column(try run(fdi + "not (value > 110)"), "period") == ["2015", "2016"])
        #expect(column(try run(fdi + "(period = 2015 or period = 2023) and value != 100"), "period") == ["2023"])
        #expect(column(try run(fdi + "value <= 100"), "value") == ["100"])
        #expect(column(try run(fdi + "period > 2021"), "period") == ["2022", "2023"])
    }

    @Test("a region is matched by code or any name, with or without accents, in any case",
          arguments: ["19", "Thai Nguyen", "thai nguyen", "THÁI NGUYÊN", "Thái Nguyên"])
    func regionSpellings(spelling: String) throws {
        let result = try run(#"from investment.fdi_registered | where region = "\#(spelling)""#)
        #expect(result.rows.count == 9)
        #expect(Set(column(result, "region")) == ["19"])
    }

    @Test func regionListsAndGroups() throws {
        let listed = try run(#"from investment.fdi_registered | where region in ("Ha Noi", "19") | during 2015"#)
        #expect(column(listed, "region") == ["01", "19"])
        let others = try run(#"from investment.fdi_registered | where region not in ("Ha Noi", "19") | during 2015"#)
        #expect(column(others, "region") == ["20", "VN"])
        let group = try run(#"from investment.fdi_registered | where region within "NMM" | during 2015"#)
        #expect(column(group, "region") == ["19", "20"])
    }

    @Test func duringTakesPeriodsRangesAndLists() throws {
        let fdi = "from investment.fdi_registered | where region != \"31\" | during "
        #expect(try run(fdi + "2015").rows.count == 4)
        #expect(try run(fdi + "2015..2017").rows.count == 12)
        #expect(column(try run(fdi + "2015, 2020..2021 | where region = \"01\""), "period") == ["2015", "2020", "2021"])
        let months = try run(#"from cpi.index(group = "all") | where region = "19" | during 2021-01..2021-06"#)
        #expect(column(months, "period") == (1...6).map { Dataset.month(2021, $0) })
    }

    /// `during 2021-H1` shows the periods that lie within the first half: the half itself
    /// and its quarters and months. `where period = 2021-H1` is that period alone.
    @Test func duringShowsEveryPeriodWithinTheSelection() throws {
        let within = try run(#"from gdp.grdp_growth | where region = "01" | during 2021-H1"#)
        #expect(column(within, "period") == ["2021-Q1", "2021-H1", "2021-Q2"])
        let exactly = try run(#"from gdp.grdp_growth | where region = "01" and period = 2021-H1"#)
        #expect(column(exactly, "period") == ["2021-H1"])
        // Quarterly FDI of Hải Phòng within the half, and nothing longer than the selection.
        let quarters = try run(#"from investment.fdi_registered | where region = "31" | during 2021-H1"#)
        #expect(column(quarters, "period") == ["2021-Q1", "2021-Q2"])
        #expect(try run(#"from investment.fdi_registered | where region = "01" | during 2021-H1"#).rows.isEmpty)
    }

    @Test func asofChoosesTheVintage() throws {
        let growth = #"from gdp.grdp_growth | where region = "19" | during 2021-H1"#
        #expect(column(try run(growth + " | asof latest"), "value") == ["6.8"])
        #expect(column(try run(growth + " | asof first"), "value") == ["6.5"])
        let both = try run(growth + " | asof 2021-07-05 vs 2021-09-01")
        #expect(column(both, "value") == ["6.5"])
        #expect(column(both, "value_vs") == ["6.8"])
        #expect(column(both, "revision") == ["0.3"])
    }

    @Test func convertMethods() throws {
        let cpi = #"from cpi.index(group = "all") | where region = "19" | during 2021-Q1 | convert quarterly"#
        let months = (1...3).map { Dataset.cpi("19", group: "all", year: 2021, month: $0) }
        #expect(column(try run(cpi), "value") == [shown(months.reduce(0, +) / 3)])
        #expect(column(try run(cpi + " last"), "value") == [shown(months[2])])
        #expect(refusal(cpi + " sum") == "cannot use convert … sum here: cpi.index is an index or a rate, and those do not add up")
        let revenue = #"from budget.revenue(measure = "actual") | where region = "19" | during 2021-Q1 | convert quarterly"#
        let sums = (1...3).map { Dataset.revenue("19", year: 2021, month: $0) }
        #expect(column(try run(revenue), "value") == [String(sums.reduce(0, +))])
        #expect(column(try run(revenue + " avg"), "value") == [shown(Double(sums.reduce(0, +)) / 3)])
        // A year does not fit in a half: left out, with a warning.
        let half = try run(#"from investment.fdi_registered | where region = "01" | during 2021 | convert half"#)
        #expect(half.rows.isEmpty)
        #expect(half.warnings.contains { $0.contains("convert half: 1 row(s) whose period does not fit") })
    }

    @Test func groupByMethodsAndLevels() throws {
        let january = #"from budget.revenue(measure = "actual") | during 2021-01 | group by indicator"#
        let values = Dataset.provinces.map { Dataset.revenue($0, year: 2021, month: 1) }
        #expect(column(try run(january + " max"), "value") == [String(values.max()!)])
        #expect(column(try run(january + " min"), "value") == [String(values.min()!)])
        #expect(column(try run(january + " count"), "value") == ["5"])
        #expect(column(try run(january + " avg"), "value") == [shown(Double(values.reduce(0, +)) / 5)])
        let overPeriod = try run(#"from budget.revenue(measure = "actual") | during 2021-01..2021-02 | group by indicator over period"#)
        #expect(overPeriod.columns.map(\.name) == ["indicator", "value", "unit"])
        let february = Dataset.provinces.map { Dataset.revenue($0, year: 2021, month: 2) }
        #expect(column(overPeriod, "value") == [String(values.reduce(0, +) + february.reduce(0, +))])
        // Grouping by level keeps the agencies' subtotals apart from the provinces.
        let levels = try run(#"from budget.revenue(measure = "actual") | during 2021-01 | group by level"#)
        #expect(column(levels, "level") == ["nation", "province", "region"])
        #expect(Set(column(levels, "value")) == [String(values.reduce(0, +))])
        #expect(refusal(#"from cpi.index | group by region sum"#) == "cannot use group by … sum here: cpi.index is an index or a rate, and those do not add up")
    }

    @Test func growthChangeYearToDateAndRebase() throws {
        let food = #"from cpi.index(group = "food") | where region = "19""#
        let cpi = { (m: Int) in Dataset.cpi("19", group: "food", year: 2021, month: m) }
        #expect(column(try run(food + " | growth pop | during 2021-02"), "value") == [shown((cpi(2) / cpi(1) - 1) * 100)])
        #expect(column(try run(food + " | change yoy | during 2021-02"), "value")
                == [shown(cpi(2) - Dataset.cpi("19", group: "food", year: 2020, month: 2))])
        #expect(column(try run(food + " | ytd avg | during 2021-03"), "value") == [shown((cpi(1) + cpi(2) + cpi(3)) / 3)])
        #expect(column(try run(food + " | ytd | during 2021-02"), "value") == [shown((cpi(1) + cpi(2)) / 2)])
        #expect(column(try run(food + " | rebase 2021-01 = 1 | during 2021-03"), "value") == [shown(cpi(3) / cpi(1))])
        let revenue = #"from budget.revenue(measure = "actual") | where region = "19" | ytd sum | during 2021-02"#
        #expect(column(try run(revenue), "value") == [String(Dataset.revenue("19", year: 2021, month: 1) + Dataset.revenue("19", year: 2021, month: 2))])
    }

    @Test func shareAndRankWithinGroupsAndOrders() throws {
        let both = try run(#"from budget.revenue | where level = "province" | during 2021 | convert annual | share within measure"#)
        for measure in ["actual", "plan"] {
            let shares = both.records.filter { $0["measure"] == measure }.compactMap { Double($0["share"]!) }
            #expect(abs(shares.reduce(0, +) - 100) < 0.05, "\(measure)")
        }
        let ascending = try run(#"from investment.fdi_registered | during 2015 | rank asc | sort rank"#)
        #expect(column(ascending, "region") == ["20", "19", "01", "VN"])
        #expect(column(ascending, "rank") == ["1", "2", "3", ""])
        let descending = try run(#"from investment.fdi_registered | during 2015 | rank desc | where rank = 1"#)
        #expect(column(descending, "region") == ["01"])
        let within = try run(#"from budget.revenue | where region = "19" | during 2021 | convert annual | rank within measure"#)
        #expect(column(within, "rank") == ["1", "1"])
    }

    @Test func pivotDeriveSortTakeAndComments() throws {
        let pivoted = try run(#"from budget.revenue | where region = "19" | during 2021 | convert annual | pivot measure"#)
        #expect(pivoted.columns.map(\.name).suffix(2) == ["actual", "plan"])
        let derived = try run("""
            # a comment line
            from investment.fdi_registered  # a trailing comment
              | where region = "01" and period = 2016
              | derive third = round(value / 3, 1), twice = (value + 1) * 2, back = abs(-value), third2 = round(value / 3)
            """)
        #expect(derived.records[0]["third"] == "36.7")
        #expect(derived.records[0]["twice"] == "222")
        #expect(derived.records[0]["back"] == "110")
        #expect(derived.records[0]["third2"] == "37")
        let sorted = try run(#"from investment.fdi_registered | during 2015 | sort level, -value | take 3"#)
        #expect(column(sorted, "region") == ["VN", "01", "19"])
    }
}
