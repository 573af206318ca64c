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
/// | `pso-CC` of the 14 NMM provinces | `grdp-h1-YYYY` | 5 July |
/// | `pso-19` (Thái Nguyên) | `grdp-9m-YYYY` | 5 October |
/// | `pso-19` | `grdp-h1-revision-YYYY` | 5 October, when the second quarter was revised |
///
/// So on 12 July 2021 the first-half growth of Thái Nguyên is known only from `pso-19`'s
/// preliminary report of 5 July; GSO repeats the same figure on 15 July; both restate it in
/// October. Figures of the last year's end are released early the next year.
///
/// Every province has three agencies registered, scoped to it and to its 2025 successor:
/// its statistics office `pso-CC` (GRDP and CPI), department of finance `dof-CC` (budget)
/// and department of planning and investment `dpi-CC` (investment), where `CC` is the
/// official code. In this world the national office and the ministry compile every
/// province's monthly and quarterly figures; of the provincial agencies, the statistics
/// offices of the Northern Midlands and Mountains, the region of the story, publish their
/// own first-half reports (the others are registered, ready to send).
enum ReleaseSchedule {
    /// The region whose provincial statistics offices publish first-half reports.
    static let reportingRegion = "NMM"

    /// The agencies of the synthetic world, with their scopes: the national statistics
    /// office, the ministry of finance, and three departments per province.
    static let agencies: [Agency] = {
        var out = [
            try! Agency(id: "gso", name: "Tổng cục Thống kê", families: ["cpi", "gdp", "investment"]),
            try! Agency(id: "mof", name: "Bộ Tài chính", families: ["budget"]),
        ]
        for province in RegionCatalogue.standard.provinces(validFor: .month(2025, 6)!) {
            let code = province.officialCode
            let regions = Set([code] + (province.successorCode.map { [$0] } ?? []))
            let place = (centralCities.contains(code) ? "thành phố " : "tỉnh ") + province.name
            out.append(try! Agency(id: statisticsOffice(code), name: "Cục Thống kê \(place)", families: ["gdp", "cpi"],
                                   regions: regions))
            out.append(try! Agency(id: "dof-\(code)", name: "Sở Tài chính \(place)", families: ["budget"],
                                   regions: regions))
            out.append(try! Agency(id: "dpi-\(code)", name: "Sở Kế hoạch và Đầu tư \(place)", families: ["investment"],
                                   regions: regions))
        }
        return out
    }()

    /// The five centrally governed cities (thành phố trực thuộc trung ương) before 2025.
    static let centralCities: Set<String> = ["01", "31", "48", "79", "92"]

    /// The id of a province's statistics office: `pso-19`.
    static func statisticsOffice(_ officialCode: String) -> String { "pso-\(officialCode)" }

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
            guard agency == "gso" || agency == "mof", content.kind == .release else { return }
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
            for profile in model.profiles where profile.region == reportingRegion {
                add(statisticsOffice(profile.code), psoReportDate(year, months: 6),
                    .psoReport(province: profile.code, year: year, months: 6))
            }
            let storyOffice = statisticsOffice(ProvinceProfile.storyCode)
            add(storyOffice, psoReportDate(year, months: 9), .psoReport(province: ProvinceProfile.storyCode, year: year, months: 9))
            if model.grdp.isRevised(province: story, quarter: model.grdp.quarterIndex(year, 2)) {
                add(storyOffice, psoReportDate(year, months: 9), .psoRevision(province: ProvinceProfile.storyCode, year: year))
            }
        }
        return out.sorted(by: Release.ingestOrder)
    }
}
