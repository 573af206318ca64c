import AlmanacDomain
import Testing
@testable import AlmanacGenerate

/// The story of DESIGN.md §1, computed from the generated rows.
@Suite struct StoryTests {
    static let h1Growth = "gdp.grdp_growth|19|2021-H1|price=constant_2010|sector=total"

    @Test func thaiNguyenH1GrowthIsFirstPublishedByTheProvinceAsPreliminary() throws {
        let first = try #require(Fixture.firstValues[Self.h1Growth])
        #expect(first.value == "6.5")
        #expect(first.status == "preliminary")
        #expect(first.releaseDate == CalendarDate(year: 2021, month: 7, day: 5))
        let file = try #require(Fixture.files.first { $0.rows.contains { $0.key == Self.h1Growth } })
        #expect(file.release.agencyID == "pso-19")
        #expect(file.release.kind == .release)
    }

    @Test func onTwelfthOfJuly2021TheGrowthIsSixPointFive() throws {
        let known = Fixture.values(knownOn: CalendarDate(year: 2021, month: 7, day: 12)!)
        let entry = try #require(known[Self.h1Growth])
        #expect(entry.row.value == "6.5")
        #expect(entry.agency == "pso-19")
    }

    @Test func theGrowthIsRevisedInOctober2021() throws {
        let latest = try #require(Fixture.values()[Self.h1Growth])
        #expect(latest.row.value == "6.52")
        #expect(latest.row.status == "revised")
        #expect(latest.row.releaseDate.year == 2021 && latest.row.releaseDate.month == 10)
        let revisions = Fixture.files.filter { file in
            file.release.kind == .revision && file.rows.contains { $0.key == Self.h1Growth && $0.status == "revised" }
        }
        #expect(!revisions.isEmpty)
        #expect(revisions.allSatisfy { $0.rows.first { $0.key == Self.h1Growth }?.value == "6.52" })
        // Every agency that states the figure between July and October agrees with pso-19.
        let july = Fixture.files.filter { $0.release.releaseDate.year == 2021 && $0.release.releaseDate.month == 7 }
        let stated = july.flatMap(\.rows).filter { $0.key == Self.h1Growth }
        #expect(stated.count == 2)
        #expect(stated.allSatisfy { $0.value == "6.5" })
    }

    @Test(arguments: [nil, CalendarDate(year: 2021, month: 7, day: 12)!])
    func thaiNguyenH1RevenueRanksInTopTwentyAndFirstInNMM(knownOn date: CalendarDate?) throws {
        let sums = Fixture.revenueH1(Fixture.values(knownOn: date))
        #expect(sums.count == 63)
        let ranked = sums.sorted { $0.value > $1.value }.map(\.key)
        let rank = try #require(ranked.firstIndex(of: "19")) + 1
        #expect(rank <= 20)
        let nmm = Set(RegionCatalogue.standard.members(of: "NMM", validFor: .half(2021, 1)!).map(\.code))
        #expect(nmm.count == 14)
        #expect(ranked.first { nmm.contains($0) } == "19")
    }

    @Test(arguments: [UInt64(2), 3, 42, 2021])
    func theStoryHoldsForOtherSeeds(seed: UInt64) throws {
        let generator = try Generator(GeneratorOptions(from: 2020, to: 2021, seed: seed))
        let files = generator.releases().map { ($0, $0.rows) }
        let known = Fixture.values(knownOn: CalendarDate(year: 2021, month: 7, day: 12)!, in: files)
        #expect(known[Self.h1Growth]?.row.value == "6.5")
        #expect(Fixture.values(in: files)[Self.h1Growth]?.row.value == "6.52")
        let ranked = Fixture.revenueH1(Fixture.values(in: files)).sorted { $0.value > $1.value }.map(\.key)
        #expect((ranked.firstIndex(of: "19") ?? 99) < 20)
        let nmm = Set(RegionCatalogue.standard.members(of: "NMM").map(\.code))
        #expect(ranked.first { nmm.contains($0) } == "19")
    }

    @Test func afterTheMergerTheProvinceReportsAs19N() throws {
        let nineMonths = Fixture.files.filter { $0.release.agencyID == "pso-19" && $0.release.fileName.contains("9m-2025") }
        let rows = try #require(nineMonths.first).rows
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.region == "19N" })
        let h1 = try #require(Fixture.files.first { $0.release.path == "pso-19/2025-07-05-grdp-h1-2025.csv" })
        #expect(h1.rows.allSatisfy { $0.region == "19" })
    }
}
