import AlmanacDomain

/// Monthly consumer price indices (2019 = 100) of every province for the general index and
/// the 11 basket groups.
///
/// Each group moves by the national inflation of the year plus its own trend (telecoms get
/// cheaper, health and education dearer), a seasonal shape (food before Tết, school fees in
/// September), a national shock shared by all provinces and a provincial one. The general
/// index is the basket-weighted mean of the groups (GSO's 2020 weights), so the headline and
/// the groups always agree. Each path is rescaled so its 2019 average is exactly 100.
struct CPIModel: Sendable {
    /// One basket group: catalogue code, basket weight (‰·10), trend in points a year above
    /// national inflation, monthly volatility in percent, seasonal shape, and the month that
    /// takes the whole yearly trend when prices move once a year (school fees).
    struct Group: Sendable {
        let code: String
        let weight: Double
        let trend: Double
        let volatility: Double
        let season: [Int: Double]
        let trendMonth: Int?
    }

    /// The 11 basket groups, in catalogue order after `general`.
    static let groups: [Group] = [
        Group(code: "food_catering", weight: 33.56, trend: 0.6, volatility: 0.5,
              season: [1: 0.9, 2: 1.0, 3: -0.9, 4: -0.4, 5: -0.2, 12: 0.3], trendMonth: nil),
        Group(code: "beverages_tobacco", weight: 2.73, trend: 0, volatility: 0.2, season: [1: 0.3, 2: 0.2], trendMonth: nil),
        Group(code: "garments_footwear", weight: 5.70, trend: -0.8, volatility: 0.15,
              season: [1: 0.3, 2: 0.2, 9: 0.2], trendMonth: nil),
        Group(code: "housing_utilities", weight: 15.73, trend: 0.8, volatility: 0.5, season: [:], trendMonth: nil),
        Group(code: "household_goods", weight: 6.74, trend: -1.2, volatility: 0.15, season: [:], trendMonth: nil),
        Group(code: "health", weight: 5.39, trend: 1.2, volatility: 0.3, season: [:], trendMonth: nil),
        Group(code: "transport", weight: 9.67, trend: 0, volatility: 1.5, season: [:], trendMonth: nil),
        Group(code: "post_telecom", weight: 3.14, trend: -2.5, volatility: 0.1, season: [:], trendMonth: nil),
        Group(code: "education", weight: 6.17, trend: 2.0, volatility: 0.1, season: [:], trendMonth: 9),
        Group(code: "culture_tourism", weight: 4.56, trend: -0.5, volatility: 0.3,
              season: [1: 0.4, 2: 0.3, 6: 0.2, 7: 0.2], trendMonth: nil),
        Group(code: "other", weight: 6.61, trend: 0.3, volatility: 0.15, season: [1: 0.2], trendMonth: nil),
    ]

    /// Group codes in catalogue order: `general` first, then ``groups``.
    static let codes: [String] = ["general"] + groups.map(\.code)

    /// Months covered and the first of them.
    let months: Int
    let firstMonth: YearMonth
    /// `values[(province * codes.count + group) * months + month]`.
    private let values: [Double]

    /// Computes every path for `provinces` over `years`.
    ///
    /// - Precondition: `years` contains 2019, the base year.
    init(noise: SeededNoise, provinceCount: Int, years: ClosedRange<Int>) {
        precondition(years.contains(2019), "the CPI base year 2019 must be modelled")
        precondition(CPIModel.codes == IndicatorCatalogue.cpiGroups.map(\.code), "CPI groups differ from the catalogue")
        firstMonth = YearMonth(year: years.lowerBound, month: 1)!
        months = years.count * 12
        let baseStart = (2019 - years.lowerBound) * 12
        let codeCount = CPIModel.codes.count
        var values = [Double](repeating: 0, count: provinceCount * codeCount * months)
        for p in 0..<provinceCount {
            let provinceTrend = 0.25 * noise.normal(.cpiProvinceTrend, p)
            var general = [Double](repeating: 0, count: months)
            let weightSum = CPIModel.groups.reduce(0) { $0 + $1.weight }
            for (g, group) in CPIModel.groups.enumerated() {
                let seasonMean = group.season.values.reduce(0, +) / 12
                var level = 1.0
                var path = [Double](repeating: 0, count: months)
                for t in 0..<months {
                    let year = years.lowerBound + t / 12, month = t % 12 + 1
                    let yearly = NationalPaths.inflation(year) + group.trend + provinceTrend
                    let trendPart = group.trendMonth.map { $0 == month ? yearly : 0 } ?? yearly / 12
                    let shock = group.volatility * (0.6 * noise.normal(.cpiCommon, g, year * 12 + month)
                                                    + 0.8 * noise.normal(.cpiProvince, p, g, year * 12 + month))
                    let change = trendPart + (group.season[month] ?? 0) - seasonMean + shock * 0.3
                    level *= 1 + change / 100
                    path[t] = level
                }
                let base = path[baseStart..<baseStart + 12].reduce(0, +) / 12
                for t in 0..<months {
                    let index = 100 * path[t] / base
                    values[(p * codeCount + g + 1) * months + t] = index
                    general[t] += index * group.weight / weightSum
                }
            }
            for t in 0..<months { values[(p * codeCount) * months + t] = general[t] }
        }
        self.values = values
    }

    /// The index of `group` (index into ``codes``) for province `province` in `month`.
    func index(province: Int, group: Int, month: YearMonth) -> Double {
        let t = month.ordinal - firstMonth.ordinal
        precondition(t >= 0 && t < months, "month \(month) outside the CPI model")
        return values[(province * CPIModel.codes.count + group) * months + t]
    }
}
