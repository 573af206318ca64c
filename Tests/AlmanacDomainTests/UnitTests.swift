import Foundation
import Testing
@testable import AlmanacDomain

@Suite struct UnitTests {
    @Test(arguments: [
        ("bn_vnd", "bn_vnd"), ("Bill. Dongs", "bn_vnd"), ("billion VND", "bn_vnd"), ("tỷ đồng", "bn_vnd"),
        ("TY DONG", "bn_vnd"), ("Mill. USD", "mn_usd"), ("triệu USD", "mn_usd"), ("%", "percent"),
        ("percent", "percent"), ("index points", "index"), ("previous period = 100", "index"),
        ("projects", "count"), ("Mill. Dongs", "mn_vnd"),
    ])
    func resolvesWhatAgenciesWrite(text: String, code: String) {
        #expect(MeasureUnit.resolve(text)?.code == code)
    }

    @Test func unknownUnits() {
        #expect(MeasureUnit.resolve("furlongs") == nil)
        #expect(MeasureUnit.resolve("") == nil)
    }

    @Test func scalesAreComparedNotConverted() throws {
        let bn = try #require(MeasureUnit.unit(code: "bn_vnd"))
        let mn = try #require(MeasureUnit.unit(code: "mn_vnd"))
        #expect(!bn.isSameScale(as: mn) && bn.quantity == mn.quantity && bn.scaleExponent - mn.scaleExponent == 3)
        #expect(Set(MeasureUnit.all.map(\.code)).count == MeasureUnit.all.count)
    }

    @Test func everyStandardIndicatorUsesAKnownUnit() {
        for definition in IndicatorCatalogue.standard.indicators {
            #expect(MeasureUnit.unit(code: definition.unit) != nil, "\(definition.code)")
        }
    }
}
