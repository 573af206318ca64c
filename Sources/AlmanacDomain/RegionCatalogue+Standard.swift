import Foundation

extension RegionCatalogue {
    /// The last day of the 63 provinces.
    public static let mergerLastDayOld = CalendarDate(year: 2025, month: 6, day: 30)!
    /// The first day of the 34 provincial units (NQ 202/2025/QH15).
    public static let mergerFirstDayNew = CalendarDate(year: 2025, month: 7, day: 1)!

    /// The six socio-economic regions: code, Vietnamese name, English name, extra aliases.
    static let socioEconomicRegions: [(code: String, name: String, english: String, aliases: [String])] = [
        ("RRD", "Đồng bằng sông Hồng", "Red River Delta", []),
        ("NMM", "Trung du và miền núi phía Bắc", "Northern Midlands and Mountains",
         ["Northern midlands and mountain areas", "Trung du miền núi phía Bắc"]),
        ("NCC", "Bắc Trung Bộ và duyên hải miền Trung", "North Central and Central Coast",
         ["North Central area and Central coastal area", "Bắc Trung Bộ và Duyên hải miền Trung"]),
        ("CH", "Tây Nguyên", "Central Highlands", []),
        ("SE", "Đông Nam Bộ", "Southeast", ["South East"]),
        ("MD", "Đồng bằng sông Cửu Long", "Mekong River Delta", ["MRD", "Mekong Delta"]),
    ]

    /// Names agencies and the press use besides the official ones, by two-digit code.
    static let provinceAliases: [String: [String]] = [
        "01": ["Hanoi", "TP Hà Nội"],
        "31": ["Haiphong"],
        "46": ["Huế", "Thừa Thiên - Huế", "TT Huế"],
        "48": ["Danang"],
        "66": ["Đăk Lăk", "Daklak"],
        "67": ["Đăk Nông", "Daknong"],
        "77": ["Bà Rịa Vũng Tàu", "BR-VT", "BRVT"],
        "79": ["TP.HCM", "TP HCM", "HCM", "HCMC", "Ho Chi Minh City", "Thành phố Hồ Chí Minh", "Sài Gòn"],
        "92": ["Cantho"],
    ]

    /// The code of the 2025 unit whose name-giving predecessor has `officialCode`.
    public static func unitCode(forOfficialCode officialCode: String) -> String { officialCode + "N" }

    /// Vietnam as Almanac ships it: the nation, six regions, 63 provinces (to 2025-06-30) and
    /// 34 provincial units (from 2025-07-01), from the embedded tables in `RegionData.swift`.
    public static let standard: RegionCatalogue = {
        var regions: [Region] = [
            Region(code: "VN", name: "Việt Nam", asciiName: "Viet Nam", englishName: "Vietnam", level: .nation,
                   parentCode: nil, aliases: ["Cả nước", "Toàn quốc", "Whole country", "Vietnam", "VNM"]),
        ]
        for group in socioEconomicRegions {
            regions.append(Region(code: group.code, name: group.name, asciiName: TextFolding.removingDiacritics(group.name),
                                  englishName: group.english, level: .region, parentCode: "VN", aliases: group.aliases))
        }
        var successor: [String: String] = [:]
        for unit in units34 {
            for old in unit.predecessors { successor[old] = unitCode(forOfficialCode: unit.predecessors[0]) }
        }
        var regionOf: [String: String] = [:]
        for p in provinces63 {
            regionOf[p.code] = p.region
            regions.append(Region(code: p.code, name: p.name, asciiName: p.ascii, level: .province, parentCode: p.region,
                                  validTo: mergerLastDayOld, successorCode: successor[p.code],
                                  aliases: provinceAliases[p.code] ?? []))
        }
        for unit in units34 {
            let official = unit.predecessors[0]
            let prefixed = (unit.kind == "Thành phố" ? "Thành phố " : "Tỉnh ") + unit.name
            regions.append(Region(code: unitCode(forOfficialCode: official), officialCode: official, name: unit.name,
                                  asciiName: TextFolding.removingDiacritics(unit.name), level: .province,
                                  parentCode: regionOf[official], validFrom: mergerFirstDayNew,
                                  predecessorCodes: unit.predecessors,
                                  aliases: [prefixed] + (official == "79" ? provinceAliases["79"]! : [])))
        }
        return RegionCatalogue(regions: regions)
    }()
}
