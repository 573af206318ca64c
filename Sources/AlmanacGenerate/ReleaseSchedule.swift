import AlmanacDomain

/// When each agency publishes what: the calendar of the synthetic world.
///
/// | agency | file | release date |
/// | --- | --- | --- |
/// | `gso` | `monthly-YYYY-MM` (CPI, FDI) | the 29th of the month (28th in February) |
/// | `gso` | `grdp-YYYY-Qn` | the 15th of the month after the quarter |
/// | `gso` | `grdp-revision-YYYY-Qn` | with the next quarter's GRDP, a quarter later |
/// | `mof` | `budget-plan-YYYY` | 10 January |
/// | `mof` | `budget-YYYY-MM` | the 6th of the next month |
/// | `mof` | `budget-revision-YYYY-Qn` | the 20th of the month after the next quarter |
/// | `tn-pso` | `grdp-h1-YYYY`, `grdp-9m-YYYY` | 5 July, 5 October |
/// | `tn-pso` | `grdp-h1-revision-YYYY` | 5 October, when the second quarter was revised |
///
/// So on 12 July 2021 the first-half growth of Thái Nguyên is known only from `tn-pso`'s
/// preliminary report of 5 July; GSO repeats the same figure on 15 July; both restate it in
/// October. Figures of the last year's end are released early the next year.
enum ReleaseSchedule {
    /// The agencies of the synthetic world, with their scopes.
    static let agencies: [Agency] = [
        try! Agency(id: "gso", name: "Tổng cục Thống kê", families: ["cpi", "gdp", "investment"]),
        try! Agency(id: "mof", name: "Bộ Tài chính", families: ["budget"]),
        try! Agency(id: "tn-pso", name: "Cục Thống kê tỉnh Thái Nguyên", families: ["gdp", "cpi"],
                    regions: [ProvinceProfile.storyCode, RegionCatalogue.unitCode(forOfficialCode: ProvinceProfile.storyCode)]),
    ]

    static func gsoMonthlyDate(_ year: Int, _ month: Int) -> CalendarDate {
        CalendarDate(year: year, month: month, day: min(29, CalendarDate.daysIn(year: year, month: month)))!
    }

    static func gsoQuarterlyDate(_ year: Int, _ quarter: Int) -> CalendarDate {
        day(15, monthsAfter: 1, year: year, month: quarter * 3)
    }

    static func mofMonthlyDate(_ year: Int, _ month: Int) -> CalendarDate {
        day(6, monthsAfter: 1, year: year, month: month)
    }

    static func mofPlanDate(_ year: Int) -> CalendarDate { CalendarDate(year: year, month: 1, day: 10)! }

    static func psoReportDate(_ year: Int, months: Int) -> CalendarDate {
        day(5, monthsAfter: 1, year: year, month: months)
    }

    /// Day `day` of the month `months` after `year`-`month`.
    private static func day(_ day: Int, monthsAfter months: Int, year: Int, month: Int) -> CalendarDate {
        let target = YearMonth(year: year, month: month)!.adding(months: months)!
        return CalendarDate(year: target.year, month: target.month, day: day)!
    }

    /// Every release of `options`' years, in ingestion order.
    static func releases(options: GeneratorOptions, model: EconomyModel) -> [Release] {
        var out: [Release] = []
        func add(_ agency: String, _ date: CalendarDate, _ content: ReleaseContent) {
            out.append(Release(agencyID: agency, releaseDate: date, fileName: "\(date)-\(content.slug).csv",
                               kind: content.kind, format: options.format, content: content, model: model))
            guard agency != "tn-pso", content.kind == .release else { return }
            for round in stride(from: 1, to: options.scale, by: 1) {
                let again = ReleaseContent.reestimate(base: content, round: round)
                out.append(Release(agencyID: agency, releaseDate: date, fileName: "\(date)-\(again.slug).csv",
                                   kind: again.kind, format: options.format, content: again, model: model))
            }
        }
        let story = model.profiles.firstIndex { $0.code == ProvinceProfile.storyCode }!
        for year in options.from...options.to {
            add("mof", mofPlanDate(year), .mofPlan(year: year))
            for month in 1...12 {
                add("gso", gsoMonthlyDate(year, month), .gsoMonthly(year: year, month: month))
                add("mof", mofMonthlyDate(year, month), .mofMonthly(year: year, month: month))
            }
            for quarter in 1...4 {
                add("gso", gsoQuarterlyDate(year, quarter), .gsoQuarterly(year: year, quarter: quarter))
                let next = quarter == 4 ? (year + 1, 1) : (year, quarter + 1)
                add("gso", gsoQuarterlyDate(next.0, next.1), .gsoQuarterRevision(year: year, quarter: quarter))
                add("mof", BudgetModel.revisionDate(year, quarter), .mofQuarterRevision(year: year, quarter: quarter))
            }
            for months in [6, 9] {
                add("tn-pso", psoReportDate(year, months: months), .psoReport(year: year, months: months))
            }
            if model.grdp.isRevised(province: story, quarter: model.grdp.quarterIndex(year, 2)) {
                add("tn-pso", psoReportDate(year, months: 9), .psoRevision(year: year))
            }
        }
        return out.sorted(by: Release.ingestOrder)
    }
}
