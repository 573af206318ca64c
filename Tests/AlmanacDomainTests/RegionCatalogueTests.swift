import Foundation
import Testing
@testable import AlmanacDomain

@Suite struct RegionCatalogueTests {
    let catalogue = RegionCatalogue.standard

    /// The 63 codes and names of ../shared/data/vn-provinces.csv, copied here so the test
    /// checks the embedded table against an independent transcription.
    static let expected63: [(String, String, String)] = [
        ("01", "Hà Nội", "RRD"), ("02", "Hà Giang", "NMM"), ("04", "Cao Bằng", "NMM"), ("06", "Bắc Kạn", "NMM"),
        ("08", "Tuyên Quang", "NMM"), ("10", "Lào Cai", "NMM"), ("11", "Điện Biên", "NMM"), ("12", "Lai Châu", "NMM"),
        ("14", "Sơn La", "NMM"), ("15", "Yên Bái", "NMM"), ("17", "Hòa Bình", "NMM"), ("19", "Thái Nguyên", "NMM"),
        ("20", "Lạng Sơn", "NMM"), ("22", "Quảng Ninh", "RRD"), ("24", "Bắc Giang", "NMM"), ("25", "Phú Thọ", "NMM"),
        ("26", "Vĩnh Phúc", "RRD"), ("27", "Bắc Ninh", "RRD"), ("30", "Hải Dương", "RRD"), ("31", "Hải Phòng", "RRD"),
        ("33", "Hưng Yên", "RRD"), ("34", "Thái Bình", "RRD"), ("35", "Hà Nam", "RRD"), ("36", "Nam Định", "RRD"),
        ("37", "Ninh Bình", "RRD"), ("38", "Thanh Hóa", "NCC"), ("40", "Nghệ An", "NCC"), ("42", "Hà Tĩnh", "NCC"),
        ("44", "Quảng Bình", "NCC"), ("45", "Quảng Trị", "NCC"), ("46", "Thừa Thiên Huế", "NCC"), ("48", "Đà Nẵng", "NCC"),
        ("49", "Quảng Nam", "NCC"), ("51", "Quảng Ngãi", "NCC"), ("52", "Bình Định", "NCC"), ("54", "Phú Yên", "NCC"),
        ("56", "Khánh Hòa", "NCC"), ("58", "Ninh Thuận", "NCC"), ("60", "Bình Thuận", "NCC"), ("62", "Kon Tum", "CH"),
        ("64", "Gia Lai", "CH"), ("66", "Đắk Lắk", "CH"), ("67", "Đắk Nông", "CH"), ("68", "Lâm Đồng", "CH"),
        ("70", "Bình Phước", "SE"), ("72", "Tây Ninh", "SE"), ("74", "Bình Dương", "SE"), ("75", "Đồng Nai", "SE"),
        ("77", "Bà Rịa - Vũng Tàu", "SE"), ("79", "Hồ Chí Minh", "SE"), ("80", "Long An", "MD"), ("82", "Tiền Giang", "MD"),
        ("83", "Bến Tre", "MD"), ("84", "Trà Vinh", "MD"), ("86", "Vĩnh Long", "MD"), ("87", "Đồng Tháp", "MD"),
        ("89", "An Giang", "MD"), ("91", "Kiên Giang", "MD"), ("92", "Cần Thơ", "MD"), ("93", "Hậu Giang", "MD"),
        ("94", "Sóc Trăng", "MD"), ("95", "Bạc Liêu", "MD"), ("96", "Cà Mau", "MD"),
    ]

    /// The 34 units of NQ 202/2025/QH15 with the names of their predecessors.
    static let expected34: [String: Set<String>] = [
        "Hà Nội": ["Hà Nội"], "Hải Phòng": ["Hải Phòng", "Hải Dương"], "Quảng Ninh": ["Quảng Ninh"],
        "Bắc Ninh": ["Bắc Ninh", "Bắc Giang"], "Hưng Yên": ["Hưng Yên", "Thái Bình"],
        "Ninh Bình": ["Ninh Bình", "Hà Nam", "Nam Định"], "Phú Thọ": ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"],
        "Thái Nguyên": ["Thái Nguyên", "Bắc Kạn"], "Tuyên Quang": ["Tuyên Quang", "Hà Giang"],
        "Lào Cai": ["Lào Cai", "Yên Bái"], "Cao Bằng": ["Cao Bằng"], "Lạng Sơn": ["Lạng Sơn"], "Điện Biên": ["Điện Biên"],
        "Lai Châu": ["Lai Châu"], "Sơn La": ["Sơn La"], "Thanh Hóa": ["Thanh Hóa"], "Nghệ An": ["Nghệ An"],
        "Hà Tĩnh": ["Hà Tĩnh"], "Quảng Trị": ["Quảng Trị", "Quảng Bình"], "Huế": ["Thừa Thiên Huế"],
        "Đà Nẵng": ["Đà Nẵng", "Quảng Nam"], "Quảng Ngãi": ["Quảng Ngãi", "Kon Tum"], "Gia Lai": ["Gia Lai", "Bình Định"],
        "Đắk Lắk": ["Đắk Lắk", "Phú Yên"], "Khánh Hòa": ["Khánh Hòa", "Ninh Thuận"],
        "Lâm Đồng": ["Lâm Đồng", "Đắk Nông", "Bình Thuận"], "Hồ Chí Minh": ["Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "Bình Dương"],
        "Đồng Nai": ["Đồng Nai", "Bình Phước"], "Tây Ninh": ["Tây Ninh", "Long An"],
        "Cần Thơ": ["Cần Thơ", "Sóc Trăng", "Hậu Giang"], "Vĩnh Long": ["Vĩnh Long", "Bến Tre", "Trà Vinh"],
        "Đồng Tháp": ["Đồng Tháp", "Tiền Giang"], "An Giang": ["An Giang", "Kiên Giang"], "Cà Mau": ["Cà Mau", "Bạc Liêu"],
    ]

    func p(_ s: String) throws -> Period { try Period.parse(s) }

    @Test func all63ProvincesWithOfficialCodesAndRegions() throws {
        let old = try catalogue.provinces(validFor: p("2021"))
        #expect(old.count == 63)
        for (code, name, region) in Self.expected63 {
            let r = try #require(catalogue.region(code: code))
            #expect(r.name == name.precomposedStringWithCanonicalMapping)
            #expect(r.parentCode == region)
            #expect(r.level == .province)
            #expect(r.validTo == CalendarDate("2025-06-30") && r.validFrom == nil)
        }
    }

    @Test func thaiNguyenIsCode19InNMM() throws {
        let r = try #require(catalogue.region(code: "19"))
        #expect(r.name == "Thái Nguyên" && r.asciiName == "Thai Nguyen" && r.parentCode == "NMM")
        #expect(catalogue.region(code: "NMM")?.englishName == "Northern Midlands and Mountains")
    }

    @Test func the34UnitsAndEveryPredecessorMapped() throws {
        let units = try catalogue.provinces(validFor: p("2025-Q3"))
        #expect(units.count == 34)
        #expect(Set(units.map(\.name)) == Set(Self.expected34.keys.map { $0.precomposedStringWithCanonicalMapping }))
        var mapped = Set<String>()
        for unit in units {
            let names = Set(catalogue.predecessors(of: unit.code).map(\.name))
            #expect(names == Self.expected34[unit.name], "\(unit.name)")
            for old in catalogue.predecessors(of: unit.code) {
                #expect(old.successorCode == unit.code)
                #expect(catalogue.successor(of: old.code)?.code == unit.code)
                mapped.insert(old.code)
            }
            #expect(unit.validFrom == CalendarDate("2025-07-01") && unit.validTo == nil)
        }
        #expect(mapped.count == 63)
    }

    @Test func unitCodesFollowTheNameGivingPredecessor() throws {
        let tn = try #require(catalogue.region(code: "19N"))
        #expect(tn.officialCode == "19" && tn.predecessorCodes == ["19", "06"] && tn.parentCode == "NMM")
        let hue = try #require(catalogue.region(code: "46N"))
        #expect(hue.name == "Huế" && hue.predecessorCodes == ["46"])
        // Hà Nội kept name and territory but is still a distinct record by validity.
        let hn = try #require(catalogue.region(code: "01N"))
        #expect(hn.predecessorCodes == ["01"] && catalogue.region(code: "01")?.successorCode == "01N")
    }

    @Test func nationAndSixRegions() {
        #expect(catalogue.members(of: "VN").map(\.code) == ["RRD", "NMM", "NCC", "CH", "SE", "MD"])
        #expect(catalogue.resolve("MRD")?.code == "MD")
        #expect(catalogue.resolve("Mekong River Delta")?.code == "MD")
        #expect(catalogue.resolve("WHOLE COUNTRY")?.code == "VN")
        #expect(catalogue.resolve("Northern midlands and mountain areas")?.code == "NMM")
        #expect(catalogue.resolve("North Central area and Central coastal area")?.code == "NCC")
    }

    @Test func membersOfARegionByPeriod() throws {
        #expect(try catalogue.members(of: "NMM", validFor: p("2021")).count == 14)
        #expect(try catalogue.members(of: "nmm", validFor: p("2021")).contains { $0.code == "19" })
        let after = try catalogue.members(of: "NMM", validFor: p("2025-Q3"))
        #expect(after.contains { $0.code == "19N" } && !after.contains { $0.code == "19" })
        #expect(catalogue.members(of: "XX").isEmpty)
    }

    @Test(arguments: ["Thái Nguyên", "thai nguyen", "THAI NGUYEN", "Thai  Nguyen", "Tỉnh Thái Nguyên", "19", " 19 "])
    func resolvesNamesWithAndWithoutAccents(text: String) {
        #expect(catalogue.resolve(text)?.code == "19")
        #expect(catalogue.resolve(text.decomposedStringWithCanonicalMapping)?.code == "19")
    }

    @Test func resolvesAliasesAndSpreadsheetCodes() {
        #expect(catalogue.resolve("TP.HCM")?.code == "79")
        #expect(catalogue.resolve("Ho Chi Minh City")?.code == "79")
        #expect(catalogue.resolve("Ba Ria - Vung Tau")?.code == "77")
        #expect(catalogue.resolve("Bà Rịa-Vũng Tàu")?.code == "77")
        #expect(catalogue.resolve("Thua Thien - Hue")?.code == "46")
        #expect(catalogue.resolve("Hoà Bình")?.code == "17")
        #expect(catalogue.resolve("1")?.code == "01")
        #expect(catalogue.resolve("Thai Ngyen") == nil)
        #expect(catalogue.resolve("") == nil)
    }

    @Test func resolveForPeriodPicksTheValidRecord() throws {
        #expect(try catalogue.resolve("19", for: p("2021-H1"))?.code == "19")
        #expect(try catalogue.resolve("19", for: p("2025-Q3"))?.code == "19N")
        #expect(try catalogue.resolve("Hà Nội", for: p("2026"))?.code == "01N")
        #expect(try catalogue.resolve("Huế", for: p("2026-01"))?.code == "46N")
        #expect(try catalogue.resolve("Huế", for: p("2020"))?.code == "46")
        // No valid record: the best match comes back so the caller can say "not valid".
        let bacKan = try #require(try catalogue.resolve("Bắc Kạn", for: p("2026")))
        let later = try p("2026")
        #expect(bacKan.code == "06" && !catalogue.isValid(bacKan, for: later))
    }

    @Test func thaiNgyenSuggestsThaiNguyen() {
        #expect(catalogue.suggestions(for: "Thai Ngyen").first?.name == "Thái Nguyên")
        #expect(catalogue.suggestions(for: "Th\u{0430}i Nguyen").first?.name == "Thái Nguyên")
        #expect(catalogue.suggestions(for: "Thai Ngyen", limit: 1).count == 1)
        #expect(catalogue.suggestions(for: "Atlantis").isEmpty)
    }
}
