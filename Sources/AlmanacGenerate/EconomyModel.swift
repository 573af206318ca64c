import AlmanacDomain

/// The synthetic economy every release is cut from: the 63 provinces' series, computed once,
/// immutable afterwards, and shared by every ``Release``.
///
/// Series live on the 63 provinces. A 2025 unit (`19N`) is the sum of its predecessors for
/// additive figures (GRDP levels, budget, FDI), their GRDP-weighted mean for price indices,
/// and its growth is computed from the summed levels, never averaged from growth rates.
final class EconomyModel: Sendable {
    /// A region figures are published for, with the provinces (indices into ``profiles``)
    /// whose series make it up.
    struct Member: Sendable {
        let region: Region
        let provinces: [Int]
    }

    let noise: SeededNoise
    let years: ClosedRange<Int>
    let profiles: [ProvinceProfile]
    let cpi: CPIModel
    let grdp: GRDPModel
    let budget: BudgetModel
    let fdi: FDIModel
    private let before: [Member]
    private let after: [Member]

    /// Models the years `from - 1 ... to`, widened to the anchors 2019 (CPI base, GRDP) and
    /// 2021 (revenue): the extra years only anchor the series and are never published.
    init(options: GeneratorOptions) {
        noise = SeededNoise(seed: options.seed)
        years = min(options.from - 1, 2019)...max(options.to, 2021)
        profiles = ProvinceProfile.all
        cpi = CPIModel(noise: noise, provinceCount: profiles.count, years: years)
        grdp = GRDPModel(noise: noise, profiles: profiles, years: years)
        budget = BudgetModel(noise: noise, profiles: profiles, grdp: grdp, years: years)
        fdi = FDIModel(noise: noise, profiles: profiles, years: years)
        let index = Dictionary(uniqueKeysWithValues: profiles.enumerated().map { ($1.code, $0) })
        let catalogue = RegionCatalogue.standard
        before = catalogue.provinces(validFor: .month(2025, 6)!).map { Member(region: $0, provinces: [index[$0.code]!]) }
        after = catalogue.provinces(validFor: .month(2025, 7)!).map {
            Member(region: $0, provinces: $0.predecessorCodes.map { index[$0]! })
        }
    }

    /// The provinces valid for `period` (RegionCatalogue decides: 63 before July 2025, 34 after).
    func members(for period: Period) -> [Member] {
        let candidates = before[0].region.isValid(for: period) ? before : after
        precondition(candidates.allSatisfy { $0.region.isValid(for: period) }, "mixed boundaries for \(period)")
        return candidates
    }

    /// The member that is, or succeeded, the province with official code `code`, for `period`.
    func member(officialCode code: String, for period: Period) -> Member {
        members(for: period).first { $0.region.officialCode == code }!
    }

    /// The consumer price index of a member: the GRDP-weighted mean of its provinces.
    func cpiIndex(_ member: Member, group: Int, month: YearMonth) -> Double {
        var sum = 0.0, weights = 0.0
        for p in member.provinces {
            sum += cpi.index(province: p, group: group, month: month) * profiles[p].grdp2019
            weights += profiles[p].grdp2019
        }
        return sum / weights
    }

    /// The mean CPI of `period` over the same months a year earlier, × 100 (GSO's "bình quân").
    func cpiAverageOnLastYear(_ member: Member, group: Int, period: Period) -> Double {
        let now = period.months.reduce(0.0) { $0 + cpiIndex(member, group: group, month: $1.firstMonth) }
        let then = period.sameYearEarlier!.months.reduce(0.0) { $0 + cpiIndex(member, group: group, month: $1.firstMonth) }
        return 100 * now / then
    }

    /// GRDP of a member over whole quarters of one year, bn VND; each quarter taken as revised
    /// when its revision is known on `knownOn`.
    func grdp(_ member: Member, year: Int, quarters: ClosedRange<Int>, current: Bool, knownOn: CalendarDate) -> Double {
        var sum = 0.0
        for q in quarters {
            let i = grdp.quarterIndex(year, q)
            let revised = GRDPModel.revisionKnownDate(year, q) <= knownOn
            for p in member.provinces {
                sum += current ? grdp.current(province: p, quarter: i, revised: revised)
                               : grdp.constant(province: p, quarter: i, revised: revised)
            }
        }
        return sum
    }

    /// Real growth of a member's GRDP over the same quarters of the previous year, percent.
    func grdpGrowth(_ member: Member, year: Int, quarters: ClosedRange<Int>, knownOn: CalendarDate) -> Double {
        let now = grdp(member, year: year, quarters: quarters, current: false, knownOn: knownOn)
        let then = grdp(member, year: year - 1, quarters: quarters, current: false, knownOn: knownOn)
        return (now / then - 1) * 100
    }
}
