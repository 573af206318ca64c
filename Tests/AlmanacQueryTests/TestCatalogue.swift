import AlmanacQuery

/// A small catalogue in memory: a few indicators, provinces and region groups.
struct TestCatalogue: QueryCatalogue {
    let indicators: [IndicatorDescription] = [
        IndicatorDescription(code: "gdp.grdp", rule: .flow, dimensions: [
            DimensionDescription(name: "sector", values: ["agriculture", "industry", "services"]),
            DimensionDescription(name: "price", values: ["current", "constant-2010"]),
        ]),
        IndicatorDescription(code: "gdp.grdp_growth", rule: .indexOrRate, dimensions: [
            DimensionDescription(name: "price", values: ["constant-2010"]),
        ]),
        IndicatorDescription(code: "cpi.index", rule: .indexOrRate, dimensions: [
            DimensionDescription(name: "group", values: ["all", "food", "housing", "transport"]),
        ]),
        IndicatorDescription(code: "budget.revenue", rule: .flow, dimensions: [
            DimensionDescription(name: "measure", values: ["actual", "plan"]),
            DimensionDescription(name: "item"),
        ]),
        IndicatorDescription(code: "budget.expenditure", rule: .flow, dimensions: [
            DimensionDescription(name: "measure", values: ["actual", "plan"]),
        ]),
        IndicatorDescription(code: "investment.fdi_registered", rule: .flow),
        IndicatorDescription(code: "investment.fdi_projects", rule: .flow),
        IndicatorDescription(code: "debt.outstanding", rule: .stock),
    ]

    let regions: [RegionDescription] = [
        RegionDescription(code: "00", names: ["Việt Nam", "Viet Nam"]),
        RegionDescription(code: "01", names: ["Hà Nội", "Ha Noi"]),
        RegionDescription(code: "31", names: ["Hải Phòng", "Hai Phong"]),
        RegionDescription(code: "19", names: ["Thái Nguyên", "Thai Nguyen"]),
        RegionDescription(code: "20", names: ["Lạng Sơn", "Lang Son"]),
        RegionDescription(code: "79", names: ["Hồ Chí Minh", "Ho Chi Minh City"]),
    ]

    let regionGroups: [RegionGroupDescription] = [
        RegionGroupDescription(code: "NMM", names: ["Northern Midlands and Mountains", "Trung du và miền núi phía Bắc"]),
        RegionGroupDescription(code: "RRD", names: ["Red River Delta", "Đồng bằng sông Hồng"]),
        RegionGroupDescription(code: "SE", names: ["South East", "Đông Nam Bộ"]),
    ]
}
