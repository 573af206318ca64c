import AlmanacDomain
import AlmanacQuery
import Foundation
import Testing

/// `asof T vs latest` has a plan of its own (the latest rows, each with the version `T`
/// read looked up by its key, then the keys retracted since). It must give what the general
/// pivot of two vintages gives, which `vs @N` past the log's head still uses, and what the
/// script below says, for keys unchanged, revised, new, retracted, and retracted then
/// reported again.
@Suite struct VersusLatestTests {
    static let path: String = {
        do {
            let fixture = try ReadModelFixture()
            for definition in CumulativeDataset.definitions() { try fixture.indicator(definition) }
            for region in Dataset.regions() { try fixture.region(region) }
            func grdp(_ region: String, _ period: String, _ value: String?, _ known: String) throws {
                try fixture.observe("gdp.grdp", region, period: period, value: value, unit: "bn_vnd", known: known + "T00:00:00.000Z")
            }
            for region in ["19", "01"] {
                try grdp(region, "2021-Q1", "100", "2021-04-20")  // unchanged
                try grdp(region, "2021-Q2", "150", "2021-07-20")  // revised after T
                try grdp(region, "2021-Q2", "155", "2021-10-20")
                try grdp(region, "2021-Q3", "170", "2021-10-20")  // new after T
                try grdp(region, "2021-Q4", "180", "2021-07-25")  // retracted after T
                try grdp(region, "2021-Q4", nil, "2021-09-01")
                try grdp(region, "2020-Q4", "90", "2021-01-20")  // retracted before T, reported again after
                try grdp(region, "2020-Q4", nil, "2021-05-01")
                try grdp(region, "2020-Q4", "95", "2021-09-10")
                try grdp(region, "2020-Q3", "80", "2021-06-01")  // revised before and after T
                try grdp(region, "2020-Q3", "81", "2021-06-15")
                try grdp(region, "2020-Q3", "82", "2021-12-01")
                try grdp(region, "2020-Q2", "70", "2021-03-01")  // retracted before T
                try grdp(region, "2020-Q2", nil, "2021-04-01")
            }
            return try fixture.commit()
        } catch {
            fatalError("cannot build the fixture: \(error)")
        }
    }()

    func run(_ text: String) throws -> QueryResult { try QueryEngine(readModelPath: Self.path).run(text) }

    @Test func dateAgainstLatestFollowsTheScript() throws {
        let result = try run(#"from gdp.grdp | where region = "19" | asof 2021-07-31 vs latest"#)
        let rows = result.records.map { [$0["period"]!, $0["value"]!, $0["value_vs"]!, $0["revision"]!] }
        #expect(rows == [
            ["2020-Q3", "81", "82", "1"], ["2020-Q4", "", "95", ""], ["2021-Q1", "100", "100", "0"],
            ["2021-Q2", "150", "155", "5"], ["2021-Q3", "", "170", ""], ["2021-Q4", "180", "", ""],
        ])
        // The meta columns are the version T read when there is one, else the latest.
        #expect(result.records.map { $0["known_from"]! } == [
            "2021-06-15T00:00:00.000Z", "2021-09-10T00:00:00.000Z", "2021-04-20T00:00:00.000Z",
            "2021-07-20T00:00:00.000Z", "2021-10-20T00:00:00.000Z", "2021-07-25T00:00:00.000Z",
        ])
    }

    @Test(arguments: ["2021-07-31", "2021-01-01", "2022-06-30", "first", "@103", "@110", "@1", "latest"])
    func everyKnowledgeTimeAgainstLatestIsThePivot(_ when: String) throws {
        for rest in ["", #" | where region = "01" | during 2021"#, " | sort -revision | take 3", " | derive r = abs(revision)"] {
            let fast = try run("from gdp.grdp | asof \(when) vs latest" + rest)
            // @1,000,000 is past the head: the latest values, through the general plan.
            let pivot = try run("from gdp.grdp | asof \(when) vs @1000000" + rest)
            #expect(fast.columns == pivot.columns, "\(when)\(rest)")
            #expect(fast.records == pivot.records, "\(when)\(rest)")
            #expect(fast.warnings == pivot.warnings, "\(when)\(rest)")
            #expect(!fast.rows.isEmpty, "\(when)\(rest)")
        }
    }
}
