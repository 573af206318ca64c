import AlmanacDomain

/// Monthly state budget revenue and expenditure of every province, as first published and
/// as revised, with the annual plans (dự toán).
///
/// Revenue is each province's 2021 size carried backwards and forwards by the national
/// nominal growth of revenue plus a provincial trend and a yearly shock; a year is spread
/// over months by a seasonal shape (December is the heaviest) with 6 % monthly noise.
/// Expenditure is a quarter of the revenue plus a share of GRDP plus a floor, so mountain
/// provinces spend more than they collect. For about 30 % of province-quarters every month
/// of the quarter is revised by 0.2–1.5 %. Plans sit below the outcome (revenue 85–95 %),
/// as Vietnamese provinces usually exceed them.
struct BudgetModel: Sendable {
    /// Share of each month in a year's revenue.
    static let revenueShares = [0.095, 0.065, 0.075, 0.085, 0.08, 0.08, 0.075, 0.08, 0.075, 0.085, 0.085, 0.12]
    /// Share of each month in a year's expenditure.
    static let expenditureShares = [0.06, 0.07, 0.08, 0.08, 0.08, 0.085, 0.08, 0.08, 0.085, 0.085, 0.09, 0.125]

    /// Which side of the budget.
    enum Side: Int, Sendable, CaseIterable { case revenue, expenditure }

    let firstYear: Int
    let months: Int
    /// `[side][province * months + month]`, preliminary and revised.
    private let preliminary: [[Double]]
    private let revised: [[Double]]
    /// `[side][province * years + year]`.
    private let plans: [[Double]]

    /// - Precondition: `years` contains 2021 (the revenue anchor) and 2019 (the GRDP anchor).
    init(noise: SeededNoise, profiles: [ProvinceProfile], grdp: GRDPModel, years: ClosedRange<Int>) {
        precondition(years.contains(2021), "the revenue anchor year 2021 must be modelled")
        firstYear = years.lowerBound
        months = years.count * 12
        let yearCount = years.count
        var prelim = [[Double]](repeating: [Double](repeating: 0, count: profiles.count * months), count: 2)
        var final = prelim
        var plans = [[Double]](repeating: [Double](repeating: 0, count: profiles.count * yearCount), count: 2)
        for (p, profile) in profiles.enumerated() {
            let trend = 1.5 * noise.normal(.budgetTrend, p)
            var annual = [Double](repeating: 0, count: yearCount)
            let anchor = 2021 - firstYear
            annual[anchor] = profile.revenue2021 * 1000
            func growth(_ year: Int) -> Double {
                1 + (NationalPaths.revenueGrowth(year) + trend + 3 * noise.normal(.budgetYear, p, year)) / 100
            }
            for y in stride(from: anchor + 1, to: yearCount, by: 1) { annual[y] = annual[y - 1] * growth(firstYear + y) }
            for y in stride(from: anchor - 1, through: 0, by: -1) { annual[y] = annual[y + 1] / growth(firstYear + y + 1) }
            for y in 0..<yearCount {
                let year = firstYear + y
                let grdpCurrent = (1...4).reduce(0.0) { sum, q in
                    sum + grdp.current(province: p, quarter: grdp.quarterIndex(year, q), revised: true)
                }
                let priceLevel = grdp.current(province: 0, quarter: grdp.quarterIndex(year, 1), revised: true)
                    / grdp.constant(province: 0, quarter: grdp.quarterIndex(year, 1), revised: true) / GRDPModel.deflator2019
                let spending = 0.25 * annual[y] + 0.07 * grdpCurrent + 4000 * priceLevel
                plans[0][p * yearCount + y] = annual[y] * (0.85 + 0.1 * noise.uniform(.budgetPlan, p, year, 0))
                plans[1][p * yearCount + y] = spending * (0.93 + 0.05 * noise.uniform(.budgetPlan, p, year, 1))
                for m in 0..<12 {
                    let t = y * 12 + m, key = year * 12 + m
                    let revenue = annual[y] * BudgetModel.revenueShares[m] * (1 + 0.06 * noise.normal(.budgetMonth, p, key))
                    let expense = spending * BudgetModel.expenditureShares[m]
                        * (1 + 0.05 * noise.normal(.expenditureMonth, p, key))
                    prelim[0][p * months + t] = revenue
                    prelim[1][p * months + t] = expense
                    let quarterKey = year * 4 + m / 3
                    for side in 0..<2 {
                        var factor = 1.0
                        if noise.uniform(.budgetRevised, p, quarterKey) < 0.3 {
                            let size = 0.2 + 1.3 * noise.uniform(.budgetRevision, p, key, side)
                            factor += (noise.uniform(.budgetRevision, p, key, side + 2) < 0.5 ? -size : size) / 100
                        }
                        final[side][p * months + t] = prelim[side][p * months + t] * factor
                    }
                }
            }
        }
        preliminary = prelim
        revised = final
        self.plans = plans
    }

    /// The actual figure of a province for a month, bn VND.
    func actual(_ side: Side, province: Int, month: YearMonth, revised isRevised: Bool) -> Double {
        let t = month.ordinal - YearMonth(year: firstYear, month: 1)!.ordinal
        precondition(t >= 0 && t < months, "month \(month) outside the budget model")
        return (isRevised ? revised : preliminary)[side.rawValue][province * months + t]
    }

    /// The approved plan of a province for a year, bn VND.
    func plan(_ side: Side, province: Int, year: Int) -> Double {
        let years = months / 12, y = year - firstYear
        precondition(y >= 0 && y < years, "year \(year) outside the budget model")
        return plans[side.rawValue][province * years + y]
    }

    /// The day MOF publishes its revision of a quarter's monthly figures: the 20th of the
    /// month after the next quarter ends (2021-Q1 → 2021-07-20).
    static func revisionDate(_ year: Int, _ quarter: Int) -> CalendarDate {
        let month = YearMonth(year: year, month: quarter * 3)!.adding(months: 4)!
        return CalendarDate(year: month.year, month: month.month, day: 20)!
    }
}
