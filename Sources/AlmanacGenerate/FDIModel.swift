import AlmanacDomain

/// Monthly foreign direct investment licensed in every province: projects and registered
/// capital (million USD).
///
/// The national yearly totals (GSO) are shared among provinces by an attractiveness weight
/// (industrial zones of Bắc Ninh, Bình Dương, Hải Phòng, Thái Nguyên's Samsung parks) and
/// drawn month by month: the count is a rounded normal approximation of a Poisson draw (so a
/// small province has most months at zero), the capital is the count times the year's mean
/// project size times a spread of 0.4–1.6. A month without projects registers no capital.
struct FDIModel: Sendable {
    let firstMonth: YearMonth
    let months: Int
    private let projects: [Int]
    private let capital: [Double]

    init(noise: SeededNoise, profiles: [ProvinceProfile], years: ClosedRange<Int>) {
        firstMonth = YearMonth(year: years.lowerBound, month: 1)!
        months = years.count * 12
        let weightSum = profiles.reduce(0) { $0 + $1.fdiWeight }
        var projects = [Int](repeating: 0, count: profiles.count * months)
        var capital = [Double](repeating: 0, count: profiles.count * months)
        for (p, profile) in profiles.enumerated() {
            let share = profile.fdiWeight / weightSum
            for t in 0..<months {
                let year = years.lowerBound + t / 12, key = year * 12 + t % 12
                let mean = NationalPaths.fdiProjects(year) * share / 12
                let count = max(0, Int((mean + mean.squareRoot() * noise.normal(.fdiProjects, p, key)).rounded()))
                let size = NationalPaths.fdiCapital(year) / NationalPaths.fdiProjects(year)
                projects[p * months + t] = count
                capital[p * months + t] = Double(count) * size * (0.4 + 1.2 * noise.uniform(.fdiSize, p, key))
            }
        }
        self.projects = projects
        self.capital = capital
    }

    private func offset(_ province: Int, _ month: YearMonth) -> Int {
        let t = month.ordinal - firstMonth.ordinal
        precondition(t >= 0 && t < months, "month \(month) outside the FDI model")
        return province * months + t
    }

    /// Projects licensed in the province in the month.
    func projects(province: Int, month: YearMonth) -> Int { projects[offset(province, month)] }

    /// Capital registered in the province in the month, million USD.
    func capital(province: Int, month: YearMonth) -> Double { capital[offset(province, month)] }
}
