import AlmanacDomain

/// Quarterly GRDP of every province at constant 2010 prices, as first published and as
/// revised, and the national deflator to current prices.
///
/// Levels grow on the same quarter of the previous year by the national real growth plus a
/// provincial trend and quarterly noise, anchored at each province's 2019 size, so a level
/// never depends on the modelled year range. About 30 % of province-quarters are revised a
/// quarter later by 0.1–0.6 %.
///
/// The story of DESIGN.md §1 is built in, not found by luck: Thái Nguyên's second quarter
/// of 2021 is set so its first-half growth is 6.5 % as first published and 6.52 % once the
/// quarter is revised (and its first quarter is left unrevised so nothing else moves it).
struct GRDPModel: Sendable {
    /// Share of each quarter in a year's GRDP (the fourth quarter is the busiest).
    static let quarterShares = [0.225, 0.245, 0.250, 0.280]
    /// Current over constant-2010 prices in 2019 (national GDP 2019: ~6,000 over ~3,700 trillion).
    static let deflator2019 = 1.6
    /// The story's growth of the first half of 2021: as first published, then as revised.
    static let storyGrowth = (preliminary: 6.5, revised: 6.52)

    /// The first modelled year; quarter index 0 is its first quarter.
    let firstYear: Int
    let quarters: Int
    private let preliminary: [Double]
    private let revised: [Double]
    private let deflators: [Double]

    init(noise: SeededNoise, profiles: [ProvinceProfile], years: ClosedRange<Int>) {
        precondition(years.contains(2019), "the GRDP anchor year 2019 must be modelled")
        firstYear = years.lowerBound
        quarters = years.count * 4
        let n = quarters
        var prelim = [Double](repeating: 0, count: profiles.count * n)
        var final = prelim
        for (p, profile) in profiles.enumerated() {
            let trend = 1.2 * noise.normal(.grdpProvinceTrend, p)
            func growth(_ year: Int, _ q: Int) -> Double {
                max(-15, NationalPaths.realGrowth(year, quarter: q) + trend + 0.7 * noise.normal(.grdpQuarter, p, year * 4 + q))
            }
            var shares = GRDPModel.quarterShares.enumerated().map { q, s in s * (1 + 0.02 * noise.normal(.grdpShare, p, q)) }
            let total = shares.reduce(0, +)
            shares = shares.map { $0 / total }
            let anchor = (2019 - firstYear) * 4
            for q in 0..<4 {
                prelim[p * n + anchor + q] = profile.grdp2019 * 1000 * shares[q] / GRDPModel.deflator2019
                var i = anchor + q + 4
                while i < n {
                    prelim[p * n + i] = prelim[p * n + i - 4] * (1 + growth(firstYear + i / 4, q + 1) / 100)
                    i += 4
                }
                i = anchor + q - 4
                while i >= 0 {
                    prelim[p * n + i] = prelim[p * n + i + 4] / (1 + growth(firstYear + i / 4 + 1, q + 1) / 100)
                    i -= 4
                }
            }
            for i in 0..<n {
                let year = firstYear + i / 4
                let u = noise.uniform(.grdpRevised, p, year * 4 + i % 4)
                var factor = 1.0
                if u < 0.3 {
                    let size = 0.1 + 0.5 * noise.uniform(.grdpRevision, p, year * 4 + i % 4)
                    factor += (noise.uniform(.grdpRevision, p, year * 4 + i % 4, 1) < 0.5 ? -size : size) / 100
                }
                final[p * n + i] = prelim[p * n + i] * factor
            }
            if profile.code == ProvinceProfile.storyCode, years.contains(2020), years.contains(2021) {
                let q1 = (2021 - firstYear) * 4, q2 = q1 + 1
                final[p * n + q1] = prelim[p * n + q1]
                let base = final[p * n + q1 - 4] + final[p * n + q2 - 4]
                prelim[p * n + q2] = base * (1 + GRDPModel.storyGrowth.preliminary / 100) - final[p * n + q1]
                final[p * n + q2] = base * (1 + GRDPModel.storyGrowth.revised / 100) - final[p * n + q1]
            }
        }
        var deflators = [Double](repeating: 0, count: n)
        var level = 1.0
        for i in 0..<n {
            level *= 1 + (NationalPaths.inflation(firstYear + i / 4) + 0.4) / 400
            deflators[i] = level
        }
        let anchor = (2019 - firstYear) * 4
        let mean2019 = deflators[anchor..<anchor + 4].reduce(0, +) / 4
        self.deflators = deflators.map { $0 / mean2019 * GRDPModel.deflator2019 }
        preliminary = prelim
        revised = final
    }

    /// The quarter index of quarter `quarter` (1...4) of `year`.
    func quarterIndex(_ year: Int, _ quarter: Int) -> Int {
        let i = (year - firstYear) * 4 + quarter - 1
        precondition(i >= 0 && i < quarters, "quarter \(year)-Q\(quarter) outside the GRDP model")
        return i
    }

    /// GRDP of a province in a quarter at constant 2010 prices, bn VND.
    func constant(province: Int, quarter i: Int, revised isRevised: Bool) -> Double {
        (isRevised ? revised : preliminary)[province * quarters + i]
    }

    /// GRDP of a province in a quarter at current prices, bn VND.
    func current(province: Int, quarter i: Int, revised isRevised: Bool) -> Double {
        constant(province: province, quarter: i, revised: isRevised) * deflators[i]
    }

    /// Whether the province's figure for the quarter changes when revised.
    func isRevised(province: Int, quarter i: Int) -> Bool {
        revised[province * quarters + i] != preliminary[province * quarters + i]
    }

    /// The day from which a quarter's revised figure is known: the 5th of the month after the
    /// *next* quarter ends (2021-Q2 → 2021-10-05), by which the provincial offices have it.
    static func revisionKnownDate(_ year: Int, _ quarter: Int) -> CalendarDate {
        let month = YearMonth(year: year, month: quarter * 3)!.adding(months: 4)!
        return CalendarDate(year: month.year, month: month.month, day: 5)!
    }
}
