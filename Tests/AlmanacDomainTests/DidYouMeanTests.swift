import Foundation
import Testing
@testable import AlmanacDomain

@Suite struct DidYouMeanTests {
    let names = ["Thái Bình", "Thái Nguyên", "Tây Ninh", "Hà Nội", "Hà Nam", "Ninh Bình", "Phú Thọ"]

    @Test func thaiNgyenSuggestsThaiNguyen() {
        #expect(DidYouMean.suggestions(for: "Thai Ngyen", among: names).first == "Thái Nguyên")
    }

    @Test func exactFoldedMatchComesFirst() {
        #expect(DidYouMean.suggestions(for: "HA NAM", among: names) == ["Hà Nam", "Hà Nội"])
        let nfd = "Hà Nội".decomposedStringWithCanonicalMapping
        #expect(DidYouMean.suggestions(for: nfd, among: names).first == "Hà Nội")
    }

    @Test func spoofedAndCompactInputsStillFindTheName() {
        #expect(DidYouMean.suggestions(for: "Th\u{0430}i Nguyen", among: names).first == "Thái Nguyên")
        #expect(DidYouMean.suggestions(for: "thainguyen", among: names).first == "Thái Nguyên")
    }

    @Test func farInputsGetNothing() {
        #expect(DidYouMean.suggestions(for: "Paris", among: names).isEmpty)
        #expect(DidYouMean.suggestions(for: "", among: names).isEmpty)
        #expect(DidYouMean.suggestions(for: String(repeating: "x", count: 500), among: names).isEmpty)
    }

    @Test func limitIsHonouredAndClamped() {
        let many = (0..<50).map { "ab\($0 % 10)" }
        #expect(DidYouMean.suggestions(for: "ab", among: many, limit: 2).count == 2)
        #expect(DidYouMean.suggestions(for: "ab", among: many, limit: 0).isEmpty)
        // Duplicates after folding are suggested once.
        #expect(DidYouMean.suggestions(for: "ab", among: many, limit: 100).count == 10)
    }

    @Test func distanceCountsTranspositionsAsOne() {
        #expect(DidYouMean.distance("abcd", "abdc") == 1)
        #expect(DidYouMean.distance("kitten", "sitting") == 3)
        #expect(DidYouMean.distance("", "abc") == 3)
        #expect(DidYouMean.distance("thai ngyen", "thai nguyen") == 1)
    }

    @Test func thresholdGrowsWithLength() {
        #expect(DidYouMean.maxDistance(forLength: 2) == 1)
        #expect(DidYouMean.maxDistance(forLength: 5) == 2)
        #expect(DidYouMean.maxDistance(forLength: 12) == 3)
    }
}
