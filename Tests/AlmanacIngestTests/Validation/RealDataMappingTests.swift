import AlmanacDomain
import Foundation
import Testing
@testable import AlmanacIngest

/// The shapes of `almanac catalogue add` files (`mappings/*-catalogue.json`), decoded here
/// without the store.
private struct CatalogueAdditions: Decodable {
    var indicators: [IndicatorDefinition]?
    var regions: [Region]?
}

/// The standard catalogues with the definitions of `mappings/<file>` added or replaced, as
/// `almanac catalogue add` does.
func catalogue(adding files: String...) throws -> (IndicatorCatalogue, RegionCatalogue) {
    var indicators = IndicatorCatalogue.standard.indicators
    var regions = RegionCatalogue.standard.regions
    for file in files {
        let data = try Data(contentsOf: mappingsFolder.appendingPathComponent(file))
        let additions = try JSONDecoder().decode(CatalogueAdditions.self, from: data)
        for i in additions.indicators ?? [] {
            #expect(i.problems().isEmpty, "\(file): \(i.code): \(i.problems())")
            indicators.removeAll { $0.code == i.code }
            indicators.append(i)
        }
        for r in additions.regions ?? [] {
            #expect(!RegionCatalogue.standard.regions.contains { $0.code == r.code }, "\(file): region \(r.code) clashes")
            regions.removeAll { $0.code == r.code }
            regions.append(r)
        }
    }
    return (IndicatorCatalogue(indicators: indicators), RegionCatalogue(regions: regions))
}

/// What the shipped mappings and catalogue files need so that the real files in
/// `../shared/data/real` are accepted (tools/check-real-data runs the files themselves;
/// the GSO exports are GPL-3 and not copied here, so these tests use their layout with
/// the real row labels and invented numbers).
@Suite struct RealDataMappingTests {
    static let gso = try! Agency(id: "gso", name: "General Statistics Office of Vietnam")

    func validate(_ bytes: [UInt8], name: String, mapping file: String, indicators: IndicatorCatalogue,
                  regions: RegionCatalogue = .standard, agency: Agency? = gso) throws -> ValidationResult {
        let path = try temporaryFile(bytes, name: name)
        return SubmissionValidator(indicators: indicators, regions: regions, agency: agency)
            .validate(path: path, mapping: try loadMapping(file), displayName: name)
    }

    static func pxWeb(_ lines: [String]) -> [UInt8] {
        [0xEF, 0xBB, 0xBF] + Array((lines + [""]).joined(separator: "\r\n").utf8)
    }

    // MARK: - PX-Web `labels`

    @Test func labelsRenameRowsAndNullSkipsThem() throws {
        let json = #"""
        {"format":"px-web","version":1,"rows":{"role":"dimension","dimension":"item","region":"VN"},
         "columns":[{"headerPattern":"Total (?<period>[0-9]{4})","indicator":"budget.revenue"}],
         "subtotals":{"TOTAL":"total"},
         "labels":{"Fees (*)":"fees","  revenue from LOTTERY ":"lottery","Gasoline fee":null}}
        """#
        guard case let .pxWeb(mapping) = try SourceMapping.parse(Array(json.utf8), name: "m.json") else {
            Issue.record("not a PX-Web mapping")
            return
        }
        let bytes = Self.pxWeb(["\"T\"", "", "\"Item\";\"Total 2015\"", "\"TOTAL\";10", "\"Fees\";3", "\"Revenue from lottery\";2",
                                "\"Gasoline fee\";5", "\"Grants\";..", "\"Oil revenue\";1"])
        let reader = try PXWebReader(csv: CSVReader(source: ByteSource(bytes: bytes, displayName: "b.csv")), mapping: mapping)
        let obs = try drain(reader)
        #expect(obs.map { $0.dimensions["item"] } == ["total", "fees", "lottery", "Oil revenue"])
        #expect(obs.allSatisfy { $0.region == "VN" && $0.period == "2015" })
        #expect(reader.subtotalRowCount == 1 && reader.detailRowCount == 4 && reader.skippedRecordCount == 1)
        #expect(reader.missingCellCount == 1)
    }

    @Test func aLabelInBothSubtotalsAndLabelsIsAMappingError() {
        let json = #"{"format":"px-web","version":1,"columns":[{"header":"X","indicator":"i","period":"2016"}],"subtotals":{"TOTAL":"VN"},"labels":{"total":"VN"}}"#
        #expect(throws: IngestError(.invalidMapping, file: "m.json", reason: "$: row label \"total\" is in both \"subtotals\" and \"labels\"")) {
            try SourceMapping.parse(Array(json.utf8), name: "m.json")
        }
        #expect(throws: IngestError(.invalidMapping, file: "m.json", reason: "$: \"labels\".\"x\" must be a string or null")) {
            try SourceMapping.parse(Array(#"{"format":"px-web","version":1,"columns":[{"header":"X","indicator":"i","period":"2016"}],"labels":{"x":1}}"#.utf8), name: "m.json")
        }
    }

    // MARK: - GSO budget revenue

    /// Every row label of the real export, in its order, with the 2000 figures of the real
    /// file (which add up: TOTAL = domestic + oil + customs + grants).
    static let budgetRows: [(label: String, value: String)] = [
        ("TOTAL", "90749.00"), ("Domestic revenue (Exc. oil revenue)", "46233.00"),
        ("Revenue from state owned enterprises", "19692.00"), ("Revenue from foreign invested enterprises", "4735.00"),
        ("Revenue from non state sector", "5802.00"), ("Agricultural land use tax", "1776.00"),
        ("Tax on high income earners", "1831.00"), ("License tax", "934.00"), ("Revenue from lottery", "1969.00"),
        ("Gasoline fee", "2192.00"), ("Environmental protection tax", ".."), ("Fees", "2713.00"),
        ("Revenue from land and houses", "2823.00"), ("Other revenue", "1766.00"), ("Oil revenue", "23534.00"),
        ("Custom duty revenue", "18954.00"),
        ("Export and import duties, special consumption tax; Surtax on import", "13568.00"),
        ("VAT on imports", "5386.00"), ("Grants", "2028.00"),
    ]

    static var budgetExport: [UInt8] {
        pxWeb(["\"State budget revenue final accounts by State budget revenue, Items and Year\"", "",
               "\"State budget revenue\";\"Total (Bill. Dongs) 2000\";\"Total (Bill. Dongs) Est. 2016\";\"Structure (%) 2000\";\"Structure (%) Est. 2016\""]
              + budgetRows.map { "\"\($0.label)\";\($0.value);\($0.value);..;.." })
    }

    @Test func everyBudgetRowOfTheRealExportIsAnItemWithTheGSOCatalogue() throws {
        let (indicators, _) = try catalogue(adding: "gso-catalogue.json")
        let result = try validate(Self.budgetExport, name: "budget.csv", mapping: "gso-state-budget-revenue-final-accounts.json",
                                  indicators: indicators)
        #expect(result.issues.isEmpty && result.isAccepted)
        #expect(result.observations.count == 2 * 18)
        let items = result.observations.filter { $0.period == Period.year(2000) }.map { $0.dimensions["item"] ?? "?" }
        #expect(items == ["total", "domestic", "state_enterprises", "fdi_enterprises", "non_state", "agricultural_land_tax",
                          "high_income_tax", "license_tax", "lottery", "gasoline_fee", "fees", "land_houses", "other", "oil",
                          "customs", "import_export_duties", "vat_imports", "grants"])
        #expect(result.observations.allSatisfy { $0.region == "VN" && $0.unit == "bn_vnd" && $0.dimensions["measure"] == "actual" })
        #expect(result.observations.filter { $0.period == Period.year(2016) }.allSatisfy { $0.status == .estimated })
        let total = try #require(result.observations.first { $0.dimensions["item"] == "total" && $0.period == Period.year(2000) })
        #expect(total.value == "90749.00" && total.status == .final)
    }

    @Test func withoutTheGSOCatalogueTheFiveExtraItemsAreRejected() throws {
        let result = try validate(Self.budgetExport, name: "budget.csv", mapping: "gso-state-budget-revenue-final-accounts.json",
                                  indicators: .standard)
        #expect(!result.isAccepted)
        #expect(Set(result.issues.map(\.code)) == ["bad_dimension_value"])
        #expect(Set(result.issues.compactMap(\.value)) == ["agricultural_land_tax", "high_income_tax", "license_tax",
                                                           "gasoline_fee", "import_export_duties"])
    }

    // MARK: - GSO FDI

    /// Rows of the real FDI export (2016): Quang Binh, Gia Lai and Dak Nong have a negative
    /// registered capital (capital withdrawn from earlier projects exceeds new capital).
    static let fdiExport = pxWeb([
        "\"Foreign direct investment projects licensed in 2016 by province chia theo Cities, provincies và Iterms\"", "",
        "\"Cities, provincies\";\"Number of projects\";\"Total registered capital (Mill. USD)(*)\"",
        "\"WHOLE COUNTRY\";2613.0;26890.5", "\"Central Highlands\";8.0;62.0", "\"Quang Binh\";3.0;-7.4",
        "\"Gia Lai\";..;-2.9", "\"Dak Nong\";..;-0.9", "\"Oil and gas\";1.0;31.5",
    ])

    @Test func negativeNetRegisteredCapitalIsAcceptedWithTheGSOCatalogue() throws {
        let (indicators, _) = try catalogue(adding: "gso-catalogue.json")
        let result = try validate(Self.fdiExport, name: "fdi.csv", mapping: "gso-fdi-projects-licensed-by-province.json",
                                  indicators: indicators)
        #expect(result.issues.isEmpty && result.isAccepted)
        #expect(result.observations.count == 8)
        let quangBinh = try #require(result.observations.first { $0.region == "44" && $0.indicator == "investment.fdi_registered" })
        #expect(quangBinh.value == "-7.4" && quangBinh.unit == "mn_usd")
        #expect(result.observations.contains { $0.region == "CH" && $0.value == "62.0" })
        let standard = try validate(Self.fdiExport, name: "fdi.csv", mapping: "gso-fdi-projects-licensed-by-province.json",
                                    indicators: .standard)
        #expect(standard.issues.map(\.code) == ["implausible_value", "implausible_value", "implausible_value"])
    }

    // MARK: - SDMX-JSON (ECB EXR sample)

    @Test func ecbSampleIsReadThroughItsMappingButDailyPeriodsAreNotPeriods() throws {
        let path = fixtures.appendingPathComponent("sdmx_json_v2_ecb_exr_time_series.json").path
        let (indicators, regions) = try catalogue(adding: "ecb-exr-catalogue.json")
        let mapping = try loadMapping("ecb-exr-sdmx-json.json")
        // Sent by id IMF: accepted as far as the sender goes; only the four daily periods fail.
        let imf = try Agency(id: "imf", name: "International Monetary Fund")
        let result = SubmissionValidator(indicators: indicators, regions: regions, agency: imf).validate(path: path, mapping: mapping)
        #expect(result.issues.map(\.code) == ["bad_period", "bad_period", "bad_period", "bad_period"])
        #expect(result.issues.map(\.value) == ["2013-01-18", "2013-01-21", "2013-01-18", "2013-01-21"])
        // The name "European Central Bank" next to the id IMF does not make it the ECB's message.
        let ecb = try Agency(id: "ecb", name: "European Central Bank")
        let asECB = SubmissionValidator(indicators: indicators, regions: regions, agency: ecb).validate(path: path, mapping: mapping)
        #expect(asECB.issues.first?.code == "sender_mismatch")
    }

    @Test func shippedCatalogueFilesAreValidDefinitions() throws {
        let (indicators, regions) = try catalogue(adding: "gso-catalogue.json", "oecd-gov-core-results-catalogue.json",
                                                  "ecb-exr-catalogue.json")
        #expect(indicators.indicator(code: "ecb.exr")?.dimension("currency")?.allows("NZD") == true)
        #expect(regions.region(code: "CHE")?.level == .nation && regions.region(code: "EA")?.level == .nation)
        #expect(regions.region(code: "CH")?.level == .region)
    }
}
