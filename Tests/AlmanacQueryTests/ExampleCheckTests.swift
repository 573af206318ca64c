import AlmanacQuery
import Testing

/// The results of the QUERY.md examples, recomputed from the formulas of ``Dataset``.
@Suite("QUERY.md examples: checked results")
struct ExampleCheckTests {
    func run(_ name: String) throws -> QueryResult { try ExampleResultTests.run(name) }

    /// The sum of a province's monthly revenue over `months` of `year`.
    func revenue(_ region: String, _ year: Int, _ months: ClosedRange<Int>) -> Int {
        months.reduce(0) { $0 + Dataset.revenue(region, year: year, month: $1) }
    }

    @Test func thaiNguyenGrowth() throws {
        let result = try run("thai-nguyen-h1-growth")
        #expect(result.records.map { $0["region"]! } == ["19"])
        #expect(result.records[0]["value"] == "6.8")
        #expect(result.records[0]["period"] == "2021-H1")
        #expect(result.records[0]["known_from"] == "2021-09-01T00:00:00.000Z")
    }

    @Test func budgetTop20RanksProvincesOnly() throws {
        let result = try run("budget-top-20")
        #expect(result.records.map { $0["region"]! } == ["01", "31", "19", "20", "06"])
        #expect(result.records.map { $0["rank"]! } == ["1", "2", "3", "4", "5"])
        for record in result.records {
            #expect(record["value"] == String(revenue(record["region"]!, 2021, 1...6)))
            #expect(record["period"] == "2021-H1")
        }
    }

    @Test func rankWithinRegion() throws {
        let result = try run("budget-rank-in-region")
        #expect(result.records.map { $0["period"]! } == ["2020", "2021"])
        #expect(result.records.map { $0["rank"]! } == ["1", "1"])
        #expect(result.records.map { $0["value"]! } == [String(revenue("19", 2020, 1...12)), String(revenue("19", 2021, 1...12))])
        #expect(result.warnings.contains { $0.contains("convert annual: 1 period(s) with missing sub-periods") && $0.contains("Lạng Sơn 2021 (11 of 12 months)") })
    }

    @Test func foodCPIYearOnYearPivoted() throws {
        let result = try run("food-cpi-yoy")
        #expect(result.columns.map(\.name).suffix(12) == (1...12).map { Dataset.month(2021, $0) })
        #expect(result.records.map { $0["region"]! } == ["01", "19"])
        for region in ["01", "19"] {
            let record = result.record(["region": region])!
            for m in 1...12 {
                let expected = region == "01" && m == 3 ? ""
                    : shown((Dataset.cpi(region, group: "food", year: 2021, month: m) / Dataset.cpi(region, group: "food", year: 2020, month: m) - 1) * 100)
                #expect(record[Dataset.month(2021, m)] == expected, "\(region) \(m)")
            }
            #expect(record["unit"] == "percent")
        }
    }

    @Test func fdiByYear() throws {
        let result = try run("fdi-by-year")
        #expect(result.columns.map(\.name).suffix(9) == (2015...2023).map(String.init))
        #expect(result.record(["region": "01"])?["2019"] == "140")
        #expect(result.record(["region": "VN"])?["2023"] == "660")
        let haiPhong = result.record(["region": "31"])!
        #expect(haiPhong["2021"] == "100")
        #expect(haiPhong["2022"] == "")
        #expect(result.warnings.contains { $0.contains("Hải Phòng 2022 (9 of 12 months)") })
    }

    @Test func growthKnownThenAgainstNow() throws {
        let result = try run("growth-known-then")
        #expect(result.rows.count == 1)
        let record = result.records[0]
        #expect(record["value"] == "6.5")
        #expect(record["value_vs"] == "6.8")
        #expect(record["revision"] == "0.3")
    }

    @Test func budgetExecution() throws {
        let result = try run("budget-execution")
        let ranked = result.records.filter { !$0["execution"]!.isEmpty }
        #expect(ranked.map { $0["region"]! } == ["06", "19", "31", "01"])
        for record in ranked {
            let code = record["region"]!
            #expect(record["execution"] == shown(Double(revenue(code, 2021, 1...12)) / Double(Dataset.plans[code]!)! * 100))
            #expect(record["plan"] == Dataset.plans[code])
        }
        #expect(result.record(["region": "20"])?["actual"] == "")
    }

    @Test func fdiShareAmongProvinces() throws {
        let result = try run("fdi-share-top-10")
        let provinces = ["01": 160.0, "31": 100.0, "19": 32.0, "20": 11.0]
        let total = provinces.values.reduce(0, +)
        #expect(result.records.map { $0["region"]! } == ["01", "31", "19", "20", "VN"])
        for (code, value) in provinces { #expect(result.record(["region": code])?["share"] == shown(value / total * 100)) }
        #expect(result.record(["region": "VN"])?["share"] == "")
    }

    @Test func largestRevisions() throws {
        let result = try run("largest-revisions")
        let top = result.records.prefix(3).map { [$0["region"]!, $0["period"]!, $0["size"]!] }
        #expect(top == [["31", "2020-Q4", "1.8"], ["01", "2021-Q1", "0.4"], ["19", "2021-H1", "0.3"]])
        #expect(result.rows.count == 10)
    }
}
