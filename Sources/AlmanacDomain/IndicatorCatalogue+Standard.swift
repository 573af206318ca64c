import Foundation

extension IndicatorCatalogue {
    /// The 11 groups of Vietnam's CPI basket (GSO), plus `general` for the headline index.
    public static let cpiGroups: [DimensionValue] = [
        DimensionValue("general", "General index (Chỉ số giá tiêu dùng chung)"),
        DimensionValue("food_catering", "Food and catering services (Hàng ăn và dịch vụ ăn uống)"),
        DimensionValue("beverages_tobacco", "Beverages and tobacco (Đồ uống và thuốc lá)"),
        DimensionValue("garments_footwear", "Garments, hats and footwear (May mặc, mũ nón, giày dép)"),
        DimensionValue("housing_utilities",
                       "Housing, electricity, water, fuel and construction materials (Nhà ở, điện, nước, chất đốt và VLXD)"),
        DimensionValue("household_goods", "Household equipment and goods (Thiết bị và đồ dùng gia đình)"),
        DimensionValue("health", "Medicine and health services (Thuốc và dịch vụ y tế)"),
        DimensionValue("transport", "Transport (Giao thông)"),
        DimensionValue("post_telecom", "Post and telecommunications (Bưu chính viễn thông)"),
        DimensionValue("education", "Education (Giáo dục)"),
        DimensionValue("culture_tourism", "Culture, entertainment and tourism (Văn hóa, giải trí và du lịch)"),
        DimensionValue("other", "Other goods and services (Hàng hóa và dịch vụ khác)"),
    ]

    /// Plan (estimate approved by the People's Council) or actual (final accounts); a file
    /// without a `measure` column reports actuals, as the DESIGN.md example does.
    static let measure = IndicatorDimension(name: "measure", values: [
        DimensionValue("plan", "Plan (dự toán)"), DimensionValue("actual", "Actual (quyết toán / thực hiện)"),
    ], defaultValue: "actual")

    /// Revenue items, after GSO's "State budget revenue final accounts" table.
    static let revenueItems = IndicatorDimension(name: "item", values: [
        DimensionValue("total", "Total"),
        DimensionValue("domestic", "Domestic revenue (excluding oil)"),
        DimensionValue("state_enterprises", "Revenue from state owned enterprises"),
        DimensionValue("fdi_enterprises", "Revenue from foreign invested enterprises"),
        DimensionValue("non_state", "Revenue from non state sector"),
        DimensionValue("land_houses", "Revenue from land and houses"),
        DimensionValue("fees", "Fees"),
        DimensionValue("lottery", "Revenue from lottery"),
        DimensionValue("environmental_tax", "Environmental protection tax"),
        DimensionValue("oil", "Oil revenue"),
        DimensionValue("customs", "Custom duty revenue"),
        DimensionValue("vat_imports", "VAT on imports"),
        DimensionValue("grants", "Grants"),
        DimensionValue("other", "Other revenue"),
    ], defaultValue: "total")

    /// Expenditure items of the state budget.
    static let expenditureItems = IndicatorDimension(name: "item", values: [
        DimensionValue("total", "Total"),
        DimensionValue("development_investment", "Development investment (chi đầu tư phát triển)"),
        DimensionValue("recurrent", "Recurrent expenditure (chi thường xuyên)"),
        DimensionValue("debt_interest", "Interest payments (chi trả nợ lãi)"),
        DimensionValue("other", "Other expenditure"),
    ], defaultValue: "total")

    /// GRDP price basis.
    static let price = IndicatorDimension(name: "price", values: [
        DimensionValue("current", "Current prices"), DimensionValue("constant_2010", "Constant 2010 prices"),
    ], defaultValue: "constant_2010")

    /// GRDP by economic sector.
    static let sector = IndicatorDimension(name: "sector", values: [
        DimensionValue("total", "Total"),
        DimensionValue("agriculture", "Agriculture, forestry and fishery"),
        DimensionValue("industry_construction", "Industry and construction"),
        DimensionValue("services", "Services"),
        DimensionValue("product_taxes", "Product taxes less subsidies on production"),
    ], defaultValue: "total")

    /// Upper bounds of plausibility, chosen about ten times above the largest real figure so a
    /// misplaced decimal point or a unit in VND instead of billions is caught: Ho Chi Minh
    /// City's GRDP is about 1.5 million bn VND a year, national budget revenue about 2 million.
    static let bnVndMax = 30_000_000.0

    /// The indicators Almanac ships with.
    ///
    /// `cpi.index` has a `base` dimension besides `group`: the CPI is published against the
    /// previous period, the same period last year, December last year and a base year
    /// (2019 = 100 since 2020). Without a `base` column a value is read as base 2019.
    ///
    /// Levels of `gdp.grdp` default to current prices (the size of an economy); its growth
    /// `gdp.grdp_growth` defaults to constant 2010 prices (real growth), as GSO publishes them.
    public static let standard = IndicatorCatalogue(indicators: [
        IndicatorDefinition(
            code: "cpi.index", family: "cpi", name: "Consumer price index", unit: "index", aggregation: .index,
            dimensions: [
                IndicatorDimension(name: "group", values: cpiGroups, defaultValue: "general"),
                IndicatorDimension(name: "base", values: [
                    DimensionValue("base_2019", "2019 = 100"),
                    DimensionValue("previous_period", "Previous period = 100"),
                    DimensionValue("same_period_last_year", "Same period last year = 100"),
                    DimensionValue("december_last_year", "December of the previous year = 100"),
                ], defaultValue: "base_2019"),
            ],
            range: PlausibleRange(min: 1, max: 1_000, negativesAllowed: false), additiveAcrossRegions: false),
        IndicatorDefinition(
            code: "budget.revenue", family: "budget", name: "State budget revenue", unit: "bn_vnd", aggregation: .flow,
            dimensions: [measure, revenueItems],
            range: PlausibleRange(min: -bnVndMax, max: bnVndMax, negativesAllowed: true), additiveAcrossRegions: true),
        IndicatorDefinition(
            code: "budget.expenditure", family: "budget", name: "State budget expenditure", unit: "bn_vnd",
            aggregation: .flow, dimensions: [measure, expenditureItems],
            range: PlausibleRange(min: 0, max: bnVndMax, negativesAllowed: false), additiveAcrossRegions: true),
        IndicatorDefinition(
            code: "investment.fdi_registered", family: "investment", name: "FDI registered capital", unit: "mn_usd",
            aggregation: .flow, range: PlausibleRange(min: 0, max: 500_000, negativesAllowed: false),
            additiveAcrossRegions: true),
        IndicatorDefinition(
            code: "investment.fdi_projects", family: "investment", name: "FDI projects licensed", unit: "count",
            aggregation: .flow, range: PlausibleRange(min: 0, max: 100_000, negativesAllowed: false),
            additiveAcrossRegions: true),
        IndicatorDefinition(
            code: "investment.realized", family: "investment", name: "Realized investment capital", unit: "bn_vnd",
            aggregation: .flow,
            dimensions: [IndicatorDimension(name: "source", values: [
                DimensionValue("total", "Total"), DimensionValue("state", "State sector"),
                DimensionValue("non_state", "Non-state sector"), DimensionValue("fdi", "Foreign direct investment sector"),
            ], defaultValue: "total")],
            range: PlausibleRange(min: 0, max: bnVndMax, negativesAllowed: false), additiveAcrossRegions: true),
        IndicatorDefinition(
            code: "gdp.grdp", family: "gdp", name: "Gross regional domestic product", unit: "bn_vnd", aggregation: .flow,
            dimensions: [sector, IndicatorDimension(name: "price", values: price.values, defaultValue: "current")],
            range: PlausibleRange(min: -bnVndMax, max: bnVndMax, negativesAllowed: true), additiveAcrossRegions: true),
        IndicatorDefinition(
            code: "gdp.grdp_growth", family: "gdp", name: "GRDP growth on the same period of the previous year",
            unit: "percent", aggregation: .rate, dimensions: [sector, price],
            range: PlausibleRange(min: -50, max: 100, negativesAllowed: true), additiveAcrossRegions: false),
    ])
}
