import Foundation
import Testing
@testable import AlmanacDomain

@Suite struct RegionTests {
    let catalogue = RegionCatalogue.standard
    func p(_ s: String) throws -> Period { try Period.parse(s) }

    @Test func validityAroundJuly2025() throws {
        let old = try #require(catalogue.region(code: "19"))
        let new = try #require(catalogue.region(code: "19N"))
        for (period, oldValid) in [("2025-06", true), ("2025-Q2", true), ("2025-H1", true), ("2024", true),
                                   ("2025-07", false), ("2025-Q3", false), ("2025-H2", false), ("2026", false)] {
            #expect(try catalogue.isValid(old, for: p(period)) == oldValid, "\(period)")
            #expect(try catalogue.isValid(new, for: p(period)) == !oldValid, "\(period)")
        }
    }

    @Test func straddlingPeriodsBelongToTheBoundariesAtTheirEnd() throws {
        let old = try #require(catalogue.region(code: "01"))
        let new = try #require(catalogue.region(code: "01N"))
        for text in ["2025", "2025-01..2025-09", "2025-06..2025-07"] {
            let period = try p(text)
            #expect(!old.isValid(for: period) && new.isValid(for: period), "\(text)")
            #expect(!new.coversWholly(period))
        }
        #expect(try new.coversWholly(p("2025-Q3")))
    }

    @Test func nationAndRegionsAreAlwaysValid() throws {
        for code in ["VN", "RRD", "NMM", "NCC", "CH", "SE", "MD"] {
            let r = try #require(catalogue.region(code: code))
            #expect(try r.isValid(for: p("1990")) && r.isValid(for: p("2030")))
        }
    }

    @Test func namesAreNFCEvenWhenGivenNFD() {
        let r = Region(code: "X", name: "Thái Nguyên".decomposedStringWithCanonicalMapping, asciiName: "Thai Nguyen",
                       level: .province, parentCode: "NMM")
        #expect(r.name.unicodeScalars.elementsEqual("Thái Nguyên".precomposedStringWithCanonicalMapping.unicodeScalars))
    }

    @Test func codableRoundTripForEvents() throws {
        let region = try #require(catalogue.region(code: "19N"))
        let data = try JSONEncoder().encode(region)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""validFrom":"2025-07-01""#))
        #expect(try JSONDecoder().decode(Region.self, from: data) == region)
        let rebuilt = RegionCatalogue(regions: try JSONDecoder().decode([Region].self,
                                                                        from: JSONEncoder().encode(catalogue.regions)))
        #expect(rebuilt.regions == catalogue.regions)
    }

    @Test func redefinitionReplacesInPlace() {
        let a = Region(code: "X1", name: "Old", asciiName: "Old", level: .province, parentCode: nil)
        let b = Region(code: "X2", name: "Other", asciiName: "Other", level: .province, parentCode: nil)
        let a2 = Region(code: "x1", name: "New", asciiName: "New", level: .province, parentCode: nil)
        let cat = RegionCatalogue(regions: [a, b, a2])
        #expect(cat.regions.map(\.name) == ["New", "Other"])
        #expect(cat.resolve("old") == nil && cat.resolve("new")?.code == "x1")
    }

    @Test func counts() {
        #expect(catalogue.regions.count == 1 + 6 + 63 + 34)
        #expect(Set(catalogue.regions.map(\.code)).count == catalogue.regions.count)
    }
}
