import AlmanacDomain
import AlmanacLog
import AlmanacQuery
import AlmanacSQLite
import AlmanacStore
import Foundation
import Glibc

/// The synthetic store of the query benchmark, and its building.
struct QueryBenchData {
    /// Bump when the generated events change, so kept stores are rebuilt.
    static let version = 1
    static let lastYear = 2024
    static let eventsPerBatch = 10_000
    static let clockMs: Int64 = 1_735_689_600_000  // 2025-01-01T00:00:00Z

    enum Kind { case flow(decimals: Int), index, rate }

    struct Combo {
        var indicator: String
        var unit: String
        var dims: [(name: String, value: String)]
        var kind: Kind
        var weight: Double
        var releaseDay: Int
    }

    /// One of the 27 periods of a year: months, quarters, halves, the year, cumulative runs.
    struct YearPeriod { var first: Int; var last: Int }

    let combos: [Combo]
    /// Province codes, and the index in `regions` of each one's socio-economic region.
    let provinces: [(code: String, parent: Int)]
    let regions: [String]
    let years: ClosedRange<Int>
    let periods: [YearPeriod]

    init(millions: Int) {
        var combos: [Combo] = []
        for d in IndicatorCatalogue.standard.indicators {
            var product: [[(name: String, value: String)]] = [[]]
            for dimension in d.dimensions {
                product = product.flatMap { prefix in dimension.values.map { prefix + [(dimension.name, $0.code)] } }
            }
            let kind: Kind = d.unit == "index" ? .index : d.unit == "percent" ? .rate
                : .flow(decimals: d.unit == "count" ? 0 : d.unit == "mn_usd" ? 2 : 1)
            let releaseDay = d.family == "budget" ? 6 : d.family == "gdp" ? 15 : 28
            for (n, dims) in product.enumerated() {
                let total = dims.allSatisfy { $0.value == "total" || $0.name == "measure" || $0.name == "price" }
                let weight = total ? 1.0 : 0.05 + Double(QueryBenchData.mix(UInt64(n) &+ 77) % 40) / 100
                combos.append(Combo(indicator: d.code, unit: d.unit, dims: dims.sorted { $0.name < $1.name }, kind: kind,
                                    weight: d.family == "investment" ? weight / 20 : weight, releaseDay: releaseDay))
            }
        }
        self.combos = combos
        let catalogue = RegionCatalogue.standard
        regions = catalogue.regions.filter { $0.level == .region }.map(\.code)
        let regionIndex = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1, $0) })
        provinces = catalogue.regions.filter { $0.level == .province && $0.validTo != nil }
            .map { ($0.code, regionIndex[$0.parentCode ?? ""] ?? 0) }
        var periods: [YearPeriod] = (1...12).map { YearPeriod(first: $0, last: $0) }
        periods += (1...4).map { YearPeriod(first: $0 * 3 - 2, last: $0 * 3) }
        periods += [YearPeriod(first: 1, last: 6), YearPeriod(first: 7, last: 12), YearPeriod(first: 1, last: 12)]
        periods += [2, 4, 5, 7, 8, 9, 10, 11].map { YearPeriod(first: 1, last: $0) }
        self.periods = periods
        let perYear = combos.count * (provinces.count + regions.count + 1) * periods.count
        let count = (millions * 1_000_000 + perYear - 1) / perYear
        years = (QueryBenchData.lastYear - count + 1)...QueryBenchData.lastYear
    }

    var observations: Int { combos.count * (provinces.count + regions.count + 1) * periods.count * years.count }

    static func mix(_ v: UInt64) -> UInt64 {
        var x = v &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 31
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 29
        return x
    }

    static func unit(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
        Double(mix(UInt64(a) << 48 ^ UInt64(b) << 32 ^ UInt64(c) << 16 ^ UInt64(d)) % 10_000) / 10_000
    }

    /// The store in `directory`, built unless a store of this scale and version is there.
    func prepare(_ directory: String, fresh: Bool) throws -> Store {
        let marker = directory + "/bench-query.json"
        let stamp = "{\"version\":\(QueryBenchData.version),\"years\":\"\(years.lowerBound)-\(years.upperBound)\",\"observations\":\(observations)}"
        let store = Store(path: directory + "/store")
        store.durability = .none
        store.clock = { QueryBenchData.clockMs }
        if !fresh, (try? String(contentsOfFile: marker, encoding: .utf8)) == stamp, store.readModel.current() != nil {
            QueryBench.note("reusing the store in \(directory)")
            _ = try store.readModel.openCaughtUp()
            return store
        }
        QueryBench.note("building a store of \(observations) observations in \(directory) (once; kept for later runs)")
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try store.initialize()
        var options = LogOptions()
        options.durability = .none
        options.clock = { QueryBenchData.clockMs }
        let writer = try LogWriter(path: store.layout.log, options: options)
        var pending: [ObservationEvent] = []
        pending.reserveCapacity(QueryBenchData.eventsPerBatch)
        func flush() throws {
            guard !pending.isEmpty else { return }
            let submission = writer.nextSequence
            try writer.append { enc in
                for var e in pending {
                    e.submission = submission
                    enc.add(type: e.type.rawValue) { e.write(to: $0) }
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
        let seconds = try measure {
            for year in years {
                var revisions: [ObservationEvent] = []
                try events(of: year) { event, revise in
                    pending.append(event)
                    if pending.count == QueryBenchData.eventsPerBatch { try flush() }
                    if let revise { revisions.append(revise) }
                }
                for r in revisions {
                    pending.append(r)
                    if pending.count == QueryBenchData.eventsPerBatch { try flush() }
                }
                try flush()
            }
            try writer.close()
        }
        QueryBench.note(String(format: "log written in %.1f s; projecting …", seconds))
        let projection = try measure { _ = try store.readModel.rebuild() }
        QueryBench.note(String(format: "read model built in %.1f s", projection))
        try stamp.write(toFile: marker, atomically: true, encoding: .utf8)
        return store
    }

    /// Every observation of `year`, in order of indicator combination, region and period;
    /// with each one chosen for revision, its revision too.
    func events(of year: Int, _ body: (ObservationEvent, ObservationEvent?) throws -> Void) throws {
        let regionCount = provinces.count + regions.count + 1
        var months = [[Int64]](repeating: [Int64](repeating: 0, count: 12), count: regionCount)
        let status = year >= QueryBenchData.lastYear - 1 ? "preliminary" : "final"
        for (c, combo) in combos.enumerated() {
            // Provinces' months, then each region's and the nation's, summed (flows) or
            // averaged (indices) from them.
            for row in months.indices { for m in 0..<12 { months[row][m] = 0 } }
            for (p, province) in provinces.enumerated() {
                let size = province.code == "79" || province.code == "01" ? 40.0 : 1 + Double(QueryBenchData.mix(UInt64(p) &+ 5) % 300) / 30
                for m in 0..<12 {
                    let noise = QueryBenchData.unit(c, p, year, m)
                    let v: Int64
                    switch combo.kind {
                    case .flow(let decimals):
                        let season = 0.8 + 0.4 * Double(m) / 11
                        let scale = pow(10, Double(decimals)) * (decimals == 0 ? 2 : 100)
                        v = Int64((size * combo.weight * pow(1.06, Double(year - 1990)) * season * (0.85 + 0.3 * noise) * scale).rounded())
                    case .index:
                        let monthsFrom2019 = Double((year - 2019) * 12 + m)
                        v = Int64((10_000 * pow(1 + 0.002 + combo.weight / 200, monthsFrom2019) * (0.99 + 0.02 * noise)).rounded())
                    case .rate:
                        v = 200 + Int64(noise * 800)
                    }
                    months[p][m] = v
                    let parent = provinces.count + province.parent
                    months[parent][m] += v
                    months[regionCount - 1][m] += v
                }
            }
            if case .index = combo.kind {
                var members = [Int64](repeating: 0, count: regions.count)
                for province in provinces { members[province.parent] += 1 }
                for r in 0..<regions.count { for m in 0..<12 { months[provinces.count + r][m] /= max(1, members[r]) } }
                for m in 0..<12 { months[regionCount - 1][m] /= Int64(provinces.count) }
            }
            for row in 0..<regionCount {
                let code = row < provinces.count ? provinces[row].code : row < regionCount - 1 ? regions[row - provinces.count] : "VN"
                for (n, period) in periods.enumerated() {
                    let units: Int64
                    var decimals = 2
                    switch combo.kind {
                    case .flow(let d):
                        decimals = d
                        units = months[row][(period.first - 1)...(period.last - 1)].reduce(0, +)
                    case .index:
                        let sum = months[row][(period.first - 1)...(period.last - 1)].reduce(0, +)
                        units = (sum + Int64(period.last - period.first + 1) / 2) / Int64(period.last - period.first + 1)
                    case .rate:
                        units = period.first == period.last ? months[row][period.first - 1]
                            : 200 + Int64(QueryBenchData.unit(c, row, year, 100 + n) * 800)
                    }
                    let text = Period.months(year, period.first, period.last)!.description
                    let release = QueryBenchData.release(year, period.last, day: combo.releaseDay, monthsLater: 1)
                    let value = QueryBenchData.decimal(units, decimals)
                    let event = ObservationEvent(kind: .reported, submission: 0, indicator: combo.indicator, region: code,
                                                 period: text, dims: combo.dims, value: value, unit: combo.unit, status: status,
                                                 releaseDate: release)
                    var revision: ObservationEvent?
                    if QueryBenchData.mix(UInt64(c) << 40 ^ UInt64(row) << 24 ^ UInt64(year) << 8 ^ UInt64(n)) % 20 == 0 {
                        let revised = units + max(1, units / 50) * (units % 2 == 0 ? 1 : -1)
                        revision = ObservationEvent(kind: .revised, submission: 0, indicator: combo.indicator, region: code,
                                                    period: text, dims: combo.dims, value: QueryBenchData.decimal(revised, decimals),
                                                    unit: combo.unit, status: "revised",
                                                    releaseDate: QueryBenchData.release(year, period.last, day: combo.releaseDay, monthsLater: 4),
                                                    previousValue: value, previousStatus: status)
                    }
                    try body(event, revision)
                }
            }
        }
    }

    /// `units` with `decimals` decimal places, as text.
    static func decimal(_ units: Int64, _ decimals: Int) -> String {
        guard decimals > 0 else { return String(units) }
        var p: Int64 = 1
        for _ in 0..<decimals { p *= 10 }
        let sign = units < 0 ? "-" : ""
        let a = abs(units)
        let fraction = String(a % p)
        return sign + String(a / p) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// Day `day` of the month `monthsLater` months after `year`-`month`, `YYYY-MM-DD`.
    static func release(_ year: Int, _ month: Int, day: Int, monthsLater: Int) -> String {
        let ordinal = year * 12 + month - 1 + monthsLater
        return pad(ordinal / 12, 4) + "-" + pad(ordinal % 12 + 1, 2) + "-" + pad(day, 2)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
