import AlmanacDomain

extension EconomyModel {
    /// Calls `body` with every row of a release, in file order.
    ///
    /// Values are rounded as agencies publish them: indices and growth rates to 2 decimals,
    /// bn VND to 1, million USD to 2, counts whole; trailing zeros dropped (`6.5`).
    func forEachRow(of content: ReleaseContent, releasedOn date: CalendarDate,
                    _ body: (GeneratedRow) throws -> Void) rethrows {
        func row(_ indicator: String, _ member: Member, _ period: Period, _ value: String, _ unit: String,
                 _ status: String, _ dims: [String: String]) throws {
            try body(GeneratedRow(indicator: indicator, region: member.region.code, period: period, value: value,
                                  unit: unit, status: status, releaseDate: date, dimensions: dims))
        }
        switch content {
        case let .gsoMonthly(year, month):
            let period = Period.month(year, month)!
            for member in members(for: period) {
                for (g, code) in CPIModel.codes.enumerated() {
                    let value = cpiIndex(member, group: g, month: period.firstMonth)
                    try row("cpi.index", member, period, DecimalFormat.text(value, decimals: 2), "index", "final",
                            ["group": code, "base": "base_2019"])
                }
            }
            for member in members(for: period) {
                let count = member.provinces.reduce(0) { $0 + fdi.projects(province: $1, month: period.firstMonth) }
                let capital = member.provinces.reduce(0.0) { $0 + fdi.capital(province: $1, month: period.firstMonth) }
                try row("investment.fdi_registered", member, period, DecimalFormat.text(capital, decimals: 2),
                        "mn_usd", "final", [:])
                try row("investment.fdi_projects", member, period, String(count), "count", "final", [:])
            }
        case let .gsoQuarterly(year, quarter):
            try grdpRows(year: year, quarter: quarter, revisionOf: nil, date: date, body)
        case let .gsoQuarterRevision(year, quarter):
            try grdpRows(year: year, quarter: quarter, revisionOf: ReleaseSchedule.gsoQuarterlyDate(year, quarter),
                         date: date, body)
        case let .mofMonthly(year, month):
            try budgetRows(period: .month(year, month)!, revised: false, date: date, body)
        case let .mofQuarterRevision(year, quarter):
            for period in Period.quarter(year, quarter)!.months {
                try budgetRows(period: period, revised: true, date: date, body)
            }
        case let .mofPlan(year):
            let period = Period.year(year)!
            for member in members(for: period) {
                for (side, indicator) in [(BudgetModel.Side.revenue, "budget.revenue"), (.expenditure, "budget.expenditure")] {
                    let value = member.provinces.reduce(0.0) { $0 + budget.plan(side, province: $1, year: year) }
                    try row(indicator, member, period, DecimalFormat.text(value, decimals: 1), "bn_vnd", "final",
                            ["measure": "plan", "item": "total"])
                }
            }
        case let .psoReport(province, year, months):
            let period = Period.months(year, 1, months)!
            let member = member(officialCode: province, for: period)
            try grdpSpanRows(member, year: year, quarters: 1...(months / 3), levels: true, knownOn: date, earlier: nil, body)
            let cpi = cpiAverageOnLastYear(member, group: 0, period: period)
            try row("cpi.index", member, period, DecimalFormat.text(cpi, decimals: 2), "index", "preliminary",
                    ["group": "general", "base": "same_period_last_year"])
        case let .psoRevision(province, year):
            let member = member(officialCode: province, for: .half(year, 1)!)
            try grdpSpanRows(member, year: year, quarters: 1...2, levels: true, knownOn: date,
                             earlier: ReleaseSchedule.psoReportDate(year, months: 6), body)
        case let .reestimate(base, round):
            try forEachRow(of: base, releasedOn: date) { original in
                let story = original.region.hasPrefix(ProvinceProfile.storyCode)
                guard round % 2 == 1, !story, original.value != "0" else { return try body(original) }
                try body(original.with(value: DecimalFormat.nudged(original.value), status: "revised"))
            }
        }
    }

    /// GRDP levels (current and constant prices) and real growth for the periods that end
    /// with a quarter: the quarter, the year to date, and the second half after the fourth.
    ///
    /// With `revisionOf` (the first release's date), values are as known on `date` and
    /// marked `revised` where they differ from the first release; the rest repeat it.
    private func grdpRows(year: Int, quarter: Int, revisionOf first: CalendarDate?, date: CalendarDate,
                          _ body: (GeneratedRow) throws -> Void) rethrows {
        var spans: [ClosedRange<Int>] = [quarter...quarter]
        if quarter > 1 { spans.append(1...quarter) }
        for member in members(for: .quarter(year, quarter)!) {
            for span in spans {
                try grdpSpanRows(member, year: year, quarters: span, levels: true, knownOn: date, earlier: first, body)
            }
            if quarter == 4 {
                try grdpSpanRows(member, year: year, quarters: 3...4, levels: false, knownOn: date, earlier: first, body)
            }
        }
    }

    /// GRDP levels and growth of one member over `quarters` of `year`; with `earlier`, rows
    /// whose text differs from the value known on that date are `revised`.
    private func grdpSpanRows(_ member: Member, year: Int, quarters: ClosedRange<Int>, levels: Bool,
                              knownOn date: CalendarDate, earlier: CalendarDate?,
                              _ body: (GeneratedRow) throws -> Void) rethrows {
        let period = Period.months(year, quarters.lowerBound * 3 - 2, quarters.upperBound * 3)!
        func emit(_ indicator: String, _ unit: String, _ decimals: Int, _ dims: [String: String],
                  _ value: (CalendarDate) -> Double) throws {
            let now = DecimalFormat.text(value(date), decimals: decimals)
            let status = earlier.map { DecimalFormat.text(value($0), decimals: decimals) != now } == true
                ? "revised" : "preliminary"
            try body(GeneratedRow(indicator: indicator, region: member.region.code, period: period, value: now,
                                  unit: unit, status: status, releaseDate: date, dimensions: dims))
        }
        if levels {
            for (price, current) in [("current", true), ("constant_2010", false)] {
                try emit("gdp.grdp", "bn_vnd", 1, ["sector": "total", "price": price]) {
                    grdp(member, year: year, quarters: quarters, current: current, knownOn: $0)
                }
            }
        }
        try emit("gdp.grdp_growth", "percent", 2, ["sector": "total", "price": "constant_2010"]) {
            grdpGrowth(member, year: year, quarters: quarters, knownOn: $0)
        }
    }

    /// Actual revenue and expenditure of every province for one month.
    private func budgetRows(period: Period, revised: Bool, date: CalendarDate,
                            _ body: (GeneratedRow) throws -> Void) rethrows {
        for member in members(for: period) {
            for (side, indicator) in [(BudgetModel.Side.revenue, "budget.revenue"), (.expenditure, "budget.expenditure")] {
                func value(_ isRevised: Bool) -> String {
                    let sum = member.provinces.reduce(0.0) {
                        $0 + budget.actual(side, province: $1, month: period.firstMonth, revised: isRevised)
                    }
                    return DecimalFormat.text(sum, decimals: 1)
                }
                let now = value(revised)
                let status = revised && now != value(false) ? "revised" : "preliminary"
                try body(GeneratedRow(indicator: indicator, region: member.region.code, period: period, value: now,
                                      unit: "bn_vnd", status: status, releaseDate: date,
                                      dimensions: ["measure": "actual", "item": "total"]))
            }
        }
    }
}
