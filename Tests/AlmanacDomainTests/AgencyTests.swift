import Foundation
import Testing
@testable import AlmanacDomain

@Suite struct AgencyTests {
    @Test func scopedAgencyPermitsOnlyItsFamiliesAndRegions() throws {
        let tn = try Agency(id: "tn-stats", name: "Cục Thống kê Thái Nguyên", families: ["gdp", "budget"], regions: ["19"])
        #expect(tn.permits(family: "gdp", region: "19"))
        #expect(tn.permits(family: "BUDGET", region: "19"))
        #expect(!tn.permits(family: "cpi", region: "19"))
        #expect(!tn.permits(family: "gdp", region: "06"))
        #expect(!tn.permits(family: "gdp", region: "19N"))
        let grdp = try IndicatorCatalogue.standard.require("gdp.grdp")
        #expect(tn.permits(grdp, for: try #require(RegionCatalogue.standard.region(code: "19"))))
    }

    @Test func nilMeansAllAndEmptyMeansNone() throws {
        let gso = try Agency(id: "gso", name: "General Statistics Office")
        #expect(gso.permits(family: "anything", region: "VN"))
        let none = try Agency(id: "none", name: "Nobody", families: [], regions: nil)
        #expect(!none.permits(family: "gdp", region: "19"))
    }

    @Test(arguments: ["", "../etc", "GSO", "a/b", "-lead", String(repeating: "a", count: 65), "tn stats"])
    func unsafeIdsAreRejected(id: String) {
        #expect(throws: AgencyError.self) { try Agency(id: id, name: "x") }
    }

    @Test func publicKeyMustBe32Bytes() throws {
        #expect(throws: AgencyError.self) { try Agency(id: "a", name: "x", publicKey: Data(count: 31)) }
        let key = Data((0..<32).map { UInt8($0) })
        #expect(try Agency(id: "a", name: "x", publicKey: key).publicKey == key)
    }

    @Test func codableWithBase64KeyAndSortedScopes() throws {
        let key = Data((0..<32).map { UInt8($0) })
        let agency = try Agency(id: "mof", name: "Ministry of Finance", families: ["budget", "investment"],
                                regions: ["19", "01"], publicKey: key)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(agency), as: UTF8.self)
        #expect(json == #"{"families":["budget","investment"],"id":"mof","name":"Ministry of Finance","#
            + #""publicKey":"\#(key.base64EncodedString())","regions":["01","19"]}"#)
        #expect(try JSONDecoder().decode(Agency.self, from: Data(json.utf8)) == agency)
        let bad = #"{"id":"mof","name":"x","publicKey":"AAEC"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Agency.self, from: Data(bad.utf8)) }
        let unsafe = #"{"id":"../x","name":"x"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Agency.self, from: Data(unsafe.utf8)) }
    }
}
