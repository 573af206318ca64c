import AlmanacDomain
import Foundation
import Testing
@testable import AlmanacIngest

/// TESTING.md, "Bad agency input", items 1–9: each gives the exact row-level issue.
@Suite struct BadInputTests {
    @Test func item1UTF8WithBOMIsAccepted() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((nativeHeader + "budget.revenue,Thái Nguyên,2021,1234.5\n").utf8)
        let result = try validateFile(bytes, name: "bom.csv")
        #expect(result.isAccepted && result.issues.isEmpty)
        #expect(result.observations.map(\.key) == ["budget.revenue|19|2021|item=total;measure=actual"])
    }

    @Test func item2UTF16AndLegacyEncodingsAreRejected() throws {
        let utf16 = try validateFile([0xFF, 0xFE] + Array("indicator".utf8).flatMap { [$0, 0] }, name: "u16.csv")
        #expect(lines(utf16) == ["u16.csv:1:1: file is UTF-16; save it as UTF-8"])
        #expect(utf16.issues.map(\.code) == ["encoding"] && !utf16.isAccepted)
        // "Thái" in Windows-1258: á is 0xE1.
        let cp1258 = Array((nativeHeader + "budget.revenue,Th").utf8) + [0xE1] + Array("i Nguyen,2021,1\n".utf8)
        #expect(try lines(validateFile(cp1258, name: "w.csv")) == [
            "w.csv:2:18: invalid UTF-8 (byte 0xE1); the bytes look like Windows-1258 (Vietnamese Windows code page); save the file as UTF-8",
        ])
    }

    @Test func item3NFDUnaccentedAndLookAlikeNames() throws {
        let nfd = "Thái Nguyên".decomposedStringWithCanonicalMapping
        let ok = try validateFile(nativeHeader + "budget.revenue,\(nfd),2021,1\nbudget.revenue,THAI NGUYEN,2021-Q1,2\n")
        #expect(ok.isAccepted && ok.observations.map(\.region) == ["19", "19"])
        let spoofed = try validateFile(nativeHeader + "budget.revenue,Th\u{0430}i Nguyen,2021,1\n", name: "b.csv")
        #expect(lines(spoofed) == [
            "b.csv:2:2 (region): region \"Th\u{0430}i Nguyen\" contains the Cyrillic letter '\u{0430}' (U+0430) that looks like Latin 'a'; retype it in Latin letters: it looks like Thái Nguyên (19)",
        ])
        #expect(spoofed.issues.map(\.code) == ["look_alike_characters"])
        let typo = try validateFile(nativeHeader + "budget.revenue,Thai Ngyen,2021,1\n", name: "b.csv")
        #expect(lines(typo) == ["b.csv:2:2 (region): unknown region \"Thai Ngyen\"; did you mean \"Thái Nguyên\" (19)?"])
    }

    @Test func item4SemicolonsDecimalCommaAndThousandsSeparators() throws {
        let text = "indicator;region;period;value\nbudget.revenue;19;2021;1,5\nbudget.revenue;19;2021-Q1;1.234.567\nbudget.revenue;19;2021-Q2;1234567\n"
        let result = try validateFile(text, name: "s.csv")
        #expect(lines(result) == [
            "s.csv:2:4 (value): decimal comma in '1,5'; write 1.5",
            "s.csv:3:4 (value): thousands separators in '1.234.567'; write 1234567",
        ])
        #expect(result.issues.allSatisfy { $0.code == "bad_value" })
        #expect(result.observations.map(\.value) == ["1234567"])
    }

    @Test func item5PreambleBlankAndFooterLines() throws {
        let preamble = try validateFile("State budget revenue\n" + nativeHeader + "budget.revenue,19,2021,1\n", name: "p.csv")
        #expect(preamble.issues.map(\.code) == ["structure"])
        #expect(preamble.issues.first?.description.hasPrefix("p.csv:1:1: missing required column \"indicator\"") == true)
        let blank = try validateFile(nativeHeader + "\nbudget.revenue,19,2021,1\n\n,,,\nbudget.revenue,19,2022,abc\n", name: "b.csv")
        #expect(lines(blank) == [
            "b.csv:6:4 (value): 'abc' is not a plain decimal number; write digits with an optional leading - and one . as the decimal point, e.g. -1234.5",
        ])
        #expect(blank.rowsSkipped == 1 && blank.rowsRead == 2)
        let footer = try validateFile(nativeHeader + "budget.revenue,19,2021,1\nSource: GSO\n", name: "f.csv")
        #expect(lines(footer) == ["f.csv:3:1: record has 1 fields, header (line 1) has 4; check for a missing or extra delimiter, or a quote that is not closed"])
    }

    @Test func item6MissingMarkersAndFlags() throws {
        let values = ["..", ":", ".", "-", "0.9 u", "12 p"]
        let text = nativeHeader + values.enumerated().map { "budget.revenue,19,\(2010 + $0.offset),\($0.element)\n" }.joined()
        let result = try validateFile(text, name: "m.csv")
        #expect(lines(result) == [
            "m.csv:2:4 (value): missing value marker '..'; leave the row out",
            "m.csv:3:4 (value): missing value marker ':'; leave the row out",
            "m.csv:4:4 (value): missing value marker '.'; leave the row out",
            "m.csv:5:4 (value): missing value marker '-'; leave the row out",
            "m.csv:6:4 (value): flag 'u' after value '0.9 u'; write 0.9 as the value and the flag's meaning in the status column (p = preliminary, e = estimated)",
            "m.csv:7:4 (value): flag 'p' after value '12 p'; write 12 as the value and the flag's meaning in the status column (p = preliminary, e = estimated)",
        ])
        #expect(result.observations.isEmpty && !result.isAccepted)
    }

    @Test func item7SubtotalRowsAmongProvinces() throws {
        let text = nativeHeader + "budget.revenue,19,2021,1\nbudget.revenue,WHOLE COUNTRY,2021,9\nbudget.revenue,NMM,2021,5\nbudget.revenue,VN,2021,9\nbudget.revenue,Northern Midlands and Mountains,2021-Q1,2\n"
        let result = try validateFile(text, name: "t.csv")
        #expect(lines(result) == ["t.csv:3:2 (region): unknown region \"WHOLE COUNTRY\"; use VN for the whole country"])
        #expect(result.issues.map(\.code) == ["unknown_region"])
        #expect(result.observations.map(\.region) == ["19", "NMM", "VN", "NMM"])
    }

    @Test func item8RegionCodesNotValidForThePeriod() throws {
        let text = nativeHeader + "budget.revenue,06,2025-Q3,1\nbudget.revenue,19N,2021,1\nbudget.revenue,19,2025-Q3,1\nbudget.revenue,19,2025-H1,1\n"
        let result = try validateFile(text, name: "r.csv")
        #expect(lines(result) == [
            "r.csv:2:2 (region): Bắc Kạn (06) is not a region for 2025-Q3: it ended on 2025-06-30; from 2025-07-01 Bắc Kạn is part of Thái Nguyên (19N)",
            "r.csv:3:2 (region): Thái Nguyên (19N) is not a region for 2021: it exists from 2025-07-01; before 2025-07-01 use the provinces it was formed from: Thái Nguyên (19), Bắc Kạn (06)",
        ])
        #expect(result.issues.allSatisfy { $0.code == "region_not_valid_for_period" })
        // The two-digit code agencies keep writing means the new unit after the merger.
        #expect(result.observations.map(\.region) == ["19N", "19"])
    }

    @Test func item9SameKeyTwiceWithDifferentValues() throws {
        let text = nativeHeader + "budget.revenue,19,2021,1300\nbudget.revenue,Thái Nguyên,2021,1234.5\n"
        let result = try validateFile(text, name: "d.csv")
        #expect(lines(result) == [
            "d.csv:3:4 (value): same indicator, region, period and dimensions as line 2 with a different value: \"1300\" there, \"1234.5\" here; keep one of the two rows; send a revision in a later file",
        ])
        #expect(result.issues.map(\.code) == ["duplicate_conflict"])
        let partial = try validateFile(text, options: ValidationOptions(acceptValidRows: true))
        #expect(partial.isAccepted && partial.observations.isEmpty)
    }
}
