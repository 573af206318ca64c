import AlmanacDomain
import AlmanacQuery
import AlmanacSQLite
import Foundation

/// The fixed small data set the example queries and compiler tests run on.
///
/// Regions: the nation `VN`; the regions `RRD` and `NMM`; provinces Hà Nội `01` and Hải
/// Phòng `31` (RRD), Thái Nguyên `19`, Lạng Sơn `20` and Bắc Kạn `06` (NMM); and the 2025
/// unit `19N` (Thái Nguyên, from `19` and `06`).
///
/// Figures (every value is a formula of its region and period, so tests recompute them):
/// - `budget.revenue` actual, monthly 2020-01..2021-12: `base + (year − 2020) × 10 + month`
///   with base 01 = 1000, 31 = 500, 19 = 100, 20 = 50, 06 = 30; Lạng Sơn's 2021-11 is
///   missing. Subtotals NMM, RRD and VN are reported too (the sums, 20's gap included).
///   Plans for 2021 (annual): 01 = 15000, 31 = 7000, 19 = 1400, 20 = 700, 06 = 400.
/// - `gdp.grdp_growth`: Thái Nguyên 2020-H1 2.9; 2021-H1 6.5 (known 2021-07-05) revised to
///   6.8 (known 2021-09-01); Hà Nội 2021-H1 5.0; quarterly 2020-Q1..2021-Q4 for 01 (3.0,
///   3.5 …) and 31 (5.0, 6.0 …) with revisions (01 2021-Q1 5.0 → 4.6, 31 2020-Q4 8.0 → 6.2)
///   and a retraction (31 2021-Q2, 10.0, retracted on 2021-10-03).
/// - `cpi.index` monthly 2020-01..2021-12 for 19 and 01, groups food and all:
///   `100 + n × k` with n the month count from 2020-01 = 1 and k = 0.5 (19 food), 0.4 (01
///   food), 0.2 (all); Hà Nội's food 2020-03 is missing.
/// - `investment.fdi_registered` annual 2015..2023: 01 = 100 + 10t, 19 = 20 + 2t, 20 = 5 + t
///   (t = year − 2015), VN = 500 + 20t; Hải Phòng quarterly 2021 (10, 20, 30, 40) and
///   2022-Q1..Q3 only.
enum Dataset {
    static let revenueBase = ["01": 1000, "31": 500, "19": 100, "20": 50, "06": 30]
    static let provinces = ["01", "31", "19", "20", "06"]
    static let parents = ["01": "RRD", "31": "RRD", "19": "NMM", "20": "NMM", "06": "NMM"]
    static let plans = ["01": "15000", "31": "7000", "19": "1400", "20": "700", "06": "400"]

    /// The path of the built read model, shared by every test (they only read it).
    static let path: String = {
        do { return try build() } catch { fatalError("cannot build the data set: \(error)") }
    }()

    /// A fresh engine on the shared data set.
    static func engine() throws -> QueryEngine { try QueryEngine(readModelPath: path) }

    static func revenue(_ region: String, year: Int, month: Int) -> Int {
        revenueBase[region]! + (year - 2020) * 10 + month
    }

    static func cpi(_ region: String, group: String, year: Int, month: Int) -> Double {
        let k = group == "all" ? 0.2 : region == "19" ? 0.5 : 0.4
        return 100 + Double((year - 2020) * 12 + month) * k
    }

    static func definitions() -> [IndicatorDefinition] {
        let anyRange = PlausibleRange(negativesAllowed: true)
        return [
            IndicatorDefinition(code: "budget.revenue", family: "budget", name: "State budget revenue", unit: "bn_vnd",
                                aggregation: .flow, dimensions: [IndicatorDimension(name: "measure", values: [
                                    DimensionValue("actual", "Actual"), DimensionValue("plan", "Plan")], defaultValue: "actual")],
                                range: anyRange, additiveAcrossRegions: true),
            IndicatorDefinition(code: "cpi.index", family: "cpi", name: "Consumer price index", unit: "index",
                                aggregation: .index, dimensions: [IndicatorDimension(name: "group", values: [
                                    DimensionValue("all", "All items"), DimensionValue("food", "Food")], defaultValue: "all")],
                                range: anyRange, additiveAcrossRegions: false),
            IndicatorDefinition(code: "gdp.grdp_growth", family: "gdp", name: "GRDP growth", unit: "percent",
                                aggregation: .rate, range: anyRange, additiveAcrossRegions: false),
            IndicatorDefinition(code: "investment.fdi_registered", family: "investment", name: "FDI registered", unit: "mn_usd",
                                aggregation: .flow, range: anyRange, additiveAcrossRegions: true),
        ]
    }

    static func regions() -> [Region] {
        let names = ["01": ("Hà Nội", "Ha Noi"), "31": ("Hải Phòng", "Hai Phong"), "19": ("Thái Nguyên", "Thai Nguyen"),
                     "20": ("Lạng Sơn", "Lang Son"), "06": ("Bắc Kạn", "Bac Kan")]
        var regions = [
            Region(code: "VN", name: "Việt Nam", asciiName: "Viet Nam", englishName: "Vietnam", level: .nation, parentCode: nil),
            Region(code: "RRD", name: "Đồng bằng sông Hồng", asciiName: "Dong bang song Hong", englishName: "Red River Delta",
                   level: .region, parentCode: "VN"),
            Region(code: "NMM", name: "Trung du và miền núi phía Bắc", asciiName: "Trung du va mien nui phia Bac",
                   englishName: "Northern Midlands and Mountains", level: .region, parentCode: "VN"),
        ]
        for code in provinces {
            regions.append(Region(code: code, name: names[code]!.0, asciiName: names[code]!.1, level: .province,
                                  parentCode: parents[code], validTo: CalendarDate(year: 2025, month: 6, day: 30)))
        }
        regions.append(Region(code: "19N", officialCode: "19", name: "Thái Nguyên", asciiName: "Thai Nguyen", level: .province,
                              parentCode: "NMM", validFrom: CalendarDate(year: 2025, month: 7, day: 1), predecessorCodes: ["19", "06"]))
        return regions
    }

    static func build() throws -> String {
        let fixture = try ReadModelFixture()
        for definition in definitions() { try fixture.indicator(definition) }
        for region in regions() { try fixture.region(region) }
        try buildRevenue(fixture)
        try buildGrowth(fixture)
        try buildCPI(fixture)
        try buildFDI(fixture)
        return try fixture.commit()
    }

    static func month(_ year: Int, _ month: Int) -> String { String(format: "%04d-%02d", year, month) }

    static func buildRevenue(_ fixture: ReadModelFixture) throws {
        let known = "2022-01-15T00:00:00.000Z"
        for year in 2020...2021 {
            for m in 1...12 {
                var totals = ["NMM": 0, "RRD": 0, "VN": 0]
                for code in provinces {
                    let value = revenue(code, year: year, month: m)
                    totals[parents[code]!]! += value
                    totals["VN"]! += value
                    if code == "20", year == 2021, m == 11 { continue }
                    try fixture.observe("budget.revenue", code, [("measure", "actual")], period: month(year, m),
                                        value: String(value), unit: "bn_vnd", known: known)
                }
                for (code, total) in totals.sorted(by: { $0.key < $1.key }) {
                    try fixture.observe("budget.revenue", code, [("measure", "actual")], period: month(year, m),
                                        value: String(total), unit: "bn_vnd", known: known)
                }
            }
        }
        for code in provinces {
            try fixture.observe("budget.revenue", code, [("measure", "plan")], period: "2021", value: plans[code]!,
                                unit: "bn_vnd", known: "2021-01-10T00:00:00.000Z")
        }
    }

    static func buildGrowth(_ fixture: ReadModelFixture) throws {
        func growth(_ region: String, _ period: String, _ value: String?, _ known: String) throws {
            try fixture.observe("gdp.grdp_growth", region, period: period, value: value, unit: "percent",
                                known: known + "T00:00:00.000Z", status: value == nil ? "final" : "preliminary")
        }
        try growth("19", "2020-H1", "2.9", "2020-07-10")
        try growth("19", "2021-H1", "6.5", "2021-07-05")
        try growth("01", "2021-H1", "5.0", "2021-07-06")
        try growth("19", "2021-H1", "6.8", "2021-09-01")
        let quarters = ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
        for (index, quarter) in quarters.enumerated() {
            try growth("01", quarter, String(format: "%.1f", 3.0 + Double(index) * 0.5), "2021-\(String(format: "%02d", index + 1))-01")
            try growth("31", quarter, String(format: "%.1f", 5.0 + Double(index)), "2021-\(String(format: "%02d", index + 1))-02")
        }
        try growth("01", "2021-Q1", "4.6", "2021-10-01")
        try growth("31", "2020-Q4", "6.2", "2021-10-02")
        try growth("31", "2021-Q2", nil, "2021-10-03")
    }

    static func buildCPI(_ fixture: ReadModelFixture) throws {
        for region in ["19", "01"] {
            for group in ["food", "all"] {
                for year in 2020...2021 {
                    for m in 1...12 where !(region == "01" && group == "food" && year == 2020 && m == 3) {
                        let value = String(format: "%.1f", cpi(region, group: group, year: year, month: m))
                        try fixture.observe("cpi.index", region, [("group", group)], period: month(year, m), value: value,
                                            unit: "index", known: "\(year + 1)-01-05T00:00:00.000Z")
                    }
                }
            }
        }
    }

    static func buildFDI(_ fixture: ReadModelFixture) throws {
        for year in 2015...2023 {
            let t = year - 2015
            for (code, value) in [("01", 100 + 10 * t), ("19", 20 + 2 * t), ("20", 5 + t), ("VN", 500 + 20 * t)] {
                try fixture.observe("investment.fdi_registered", code, period: String(year), value: String(value),
                                    unit: "mn_usd", known: "\(year + 1)-02-01T00:00:00.000Z")
            }
        }
        for (period, value) in [("2021-Q1", "10"), ("2021-Q2", "20"), ("2021-Q3", "30"), ("2021-Q4", "40"),
                                ("2022-Q1", "11"), ("2022-Q2", "12"), ("2022-Q3", "13")] {
            try fixture.observe("investment.fdi_registered", "31", period: period, value: value, unit: "mn_usd",
                                known: "2023-01-10T00:00:00.000Z")
        }
    }
}
