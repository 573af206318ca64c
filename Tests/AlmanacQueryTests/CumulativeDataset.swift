import AlmanacDomain
import AlmanacQuery
import Foundation

/// ``Dataset`` plus year-to-date figures, the way Vietnamese agencies publish them, for
/// `decumulate` and for the tested examples of `docs/query-language.md`.
///
/// Added to ``Dataset``'s rows:
/// - `gdp.grdp` (a flow, bn VND), Thái Nguyên `19`:
///   2021: Q1 100, H1 250, 2021-01..2021-09 420, 2021 600 (year to date, released
///   2021-04-20, 2021-07-20, 2021-10-20, 2022-01-20), and the quarters Q2 150, Q3 170,
///   Q4 180 and H2 350 on their own (released with them);
///   2020: Q1 90, H1 200, 2020 500 (no nine-month figure).
///   Hà Nội `01`, 2021: Q1 1000, H1 2100, 2021-01..2021-09 3300 (H1 revised from 2050,
///   known 2021-07-20, to 2100, known 2021-10-20).
/// - `cpi.index(group = "all")` for Lạng Sơn `20`, year-to-date averages of 2021:
///   2021-01 100, 2021-01..2021-02 101, 2021-Q1 102 (so the months are 100, 102, 104).
enum CumulativeDataset {
    static let path: String = {
        do { return try build() } catch { fatalError("cannot build the cumulative data set: \(error)") }
    }()

    static func engine() throws -> QueryEngine { try QueryEngine(readModelPath: path) }

    static func definitions() -> [IndicatorDefinition] {
        Dataset.definitions() + [
            IndicatorDefinition(code: "gdp.grdp", family: "gdp", name: "Gross regional domestic product", unit: "bn_vnd",
                                aggregation: .flow, range: PlausibleRange(negativesAllowed: true), additiveAcrossRegions: true),
        ]
    }

    static func build() throws -> String {
        let fixture = try ReadModelFixture()
        for definition in definitions() { try fixture.indicator(definition) }
        for region in Dataset.regions() { try fixture.region(region) }
        try Dataset.buildRevenue(fixture)
        try Dataset.buildGrowth(fixture)
        try Dataset.buildCPI(fixture)
        try Dataset.buildFDI(fixture)
        func grdp(_ region: String, _ period: String, _ value: String, _ known: String) throws {
            try fixture.observe("gdp.grdp", region, period: period, value: value, unit: "bn_vnd", known: known + "T00:00:00.000Z")
        }
        for (period, value, known) in [
            ("2021-Q1", "100", "2021-04-20"), ("2021-H1", "250", "2021-07-20"), ("2021-01..2021-09", "420", "2021-10-20"),
            ("2021", "600", "2022-01-20"), ("2021-Q2", "150", "2021-07-20"), ("2021-Q3", "170", "2021-10-20"),
            ("2021-Q4", "180", "2022-01-20"), ("2021-H2", "350", "2022-01-20"),
            ("2020-Q1", "90", "2020-04-20"), ("2020-H1", "200", "2020-07-20"), ("2020", "500", "2021-01-20"),
        ] {
            try grdp("19", period, value, known)
        }
        try grdp("01", "2021-Q1", "1000", "2021-04-20")
        try grdp("01", "2021-H1", "2050", "2021-07-20")
        try grdp("01", "2021-H1", "2100", "2021-10-20")
        try grdp("01", "2021-01..2021-09", "3300", "2021-10-20")
        for (period, value) in [("2021-01", "100"), ("2021-01..2021-02", "101"), ("2021-Q1", "102")] {
            try fixture.observe("cpi.index", "20", [("group", "all")], period: period, value: value, unit: "index",
                                known: "2021-04-05T00:00:00.000Z")
        }
        return try fixture.commit()
    }
}
