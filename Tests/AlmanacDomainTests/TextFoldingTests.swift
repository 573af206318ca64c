import Foundation
import Testing
@testable import AlmanacDomain

@Suite struct TextFoldingTests {
    @Test func foldsVietnameseDiacriticsCaseAndSpacing() {
        #expect(TextFolding.fold("Thái Nguyên") == "thai nguyen")
        #expect(TextFolding.fold("  ĐÀ   NẴNG \t") == "da nang")
        #expect(TextFolding.fold("Đắk Lắk") == "dak lak")
        #expect(TextFolding.fold("Hồ Chí Minh") == "ho chi minh")
        #expect(TextFolding.fold("Bà Rịa - Vũng Tàu") == "ba ria - vung tau")
        #expect(TextFolding.fold("Thừa\u{00A0}Thiên Huế") == "thua thien hue")
        #expect(TextFolding.fold("") == "")
    }

    @Test func nfdAndNfcFoldTheSame() {
        let nfc = "Thái Nguyên".precomposedStringWithCanonicalMapping
        let nfd = "Thái Nguyên".decomposedStringWithCanonicalMapping
        #expect(nfc.unicodeScalars.count != nfd.unicodeScalars.count)
        #expect(TextFolding.fold(nfc) == TextFolding.fold(nfd))
        // Old-style tone placement (hoà) and new (hòa) fold together.
        #expect(TextFolding.fold("Hoà Bình") == TextFolding.fold("Hòa Bình"))
    }

    @Test func removingDiacriticsKeepsCase() {
        #expect(TextFolding.removingDiacritics("Đồng Tháp") == "Dong Thap")
        #expect(TextFolding.removingDiacritics("Huế") == "Hue")
    }

    @Test func longInputIsBounded() {
        let long = String(repeating: "a", count: TextFolding.inputCharactersMax + 100)
        #expect(TextFolding.fold(long).count == TextFolding.inputCharactersMax)
    }

    @Test func reportsCyrillicAndGreekLookAlikesInLatinText() {
        let spoofed = "Th\u{0430}i Nguy\u{0435}n"  // Cyrillic а and е
        let found = TextFolding.lookAlikes(in: spoofed)
        #expect(found.map(\.offset) == [2, 9])
        #expect(found.map(\.scalar) == [0x0430, 0x0435])
        #expect(found.allSatisfy { $0.script == "Cyrillic" })
        #expect(found.first?.resembles == "a")
        #expect(found.first?.description == "U+0430 Cyrillic 'а' at 2 looks like Latin 'a'")
        #expect(TextFolding.lookAlikes(in: "L\u{03BF}ng An").first?.script == "Greek")
        #expect(TextFolding.replacingLookAlikes(spoofed) == "Thai Nguyen")
    }

    @Test func reportsInvisibleAndFullwidthCharacters() {
        let found = TextFolding.lookAlikes(in: "Ha\u{200B}Noi")
        #expect(found.count == 1 && found[0].script == "invisible" && found[0].offset == 2)
        #expect(TextFolding.lookAlikes(in: "Ｈa Noi").first?.resembles == "H")
    }

    @Test func cleanTextAndWhollyCyrillicTextReportNothing() {
        #expect(TextFolding.lookAlikes(in: "Thái Nguyên").isEmpty)
        #expect(TextFolding.lookAlikes(in: "Москва").isEmpty)
    }
}
