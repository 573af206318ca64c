import AlmanacDomain
import Testing
@testable import AlmanacGenerate

/// `scale` adds re-estimate rounds; `sdmx-csv` writes the same rows in SDMX-CSV 1.0.
@Suite struct ScaleAndFormatTests {
    @Test func scaleAddsReestimateRoundsOfTheNationalReleases() throws {
        let one = try Generator(GeneratorOptions(from: 2021, to: 2021)).releases()
        let three = try Generator(GeneratorOptions(from: 2021, to: 2021, scale: 3)).releases()
        let national = one.filter { ["gso", "mof"].contains($0.agencyID) && $0.kind == .release }
        #expect(three.count == one.count + 2 * national.count)
        let rowsOne = one.reduce(0) { $0 + $1.rowCount }, rowsThree = three.reduce(0) { $0 + $1.rowCount }
        #expect(rowsThree == rowsOne + 2 * national.reduce(0) { $0 + $1.rowCount })
        let base = try #require(three.firstIndex { $0.fileName == "2021-06-29-monthly-2021-06.csv" })
        #expect(three[base + 1].fileName == "2021-06-29-monthly-2021-06.r001.csv")
        #expect(three[base + 2].fileName == "2021-06-29-monthly-2021-06.r002.csv")
        let (a, b, c) = (three[base].rows, three[base + 1].rows, three[base + 2].rows)
        #expect(a.map(\.key) == b.map(\.key) && b.map(\.key) == c.map(\.key))
        for (x, (y, z)) in zip(a, zip(b, c)) {
            #expect(z.value == x.value)
            if x.region.hasPrefix("19") || x.value == "0" {
                #expect(y == x)
            } else {
                #expect(y.value != x.value && y.status == "revised")
            }
        }
        let story = Fixture.values(in: three.map { ($0, $0.rows) })
        #expect(story[StoryTests.h1Growth]?.row.value == "6.52")
    }

    @Test func sdmxCSVWritesTheSameRows() throws {
        let generator = try Generator(GeneratorOptions(from: 2021, to: 2021, format: .sdmxCSV))
        let release = try #require(generator.releases().first { $0.path == "pso-19/2021-07-05-grdp-h1-2021.csv" })
        let lines = release.encoded().split(separator: "\n").map(String.init)
        #expect(lines.first == "DATAFLOW,REF_AREA,INDICATOR,GROUP,BASE,SECTOR,PRICE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS")
        #expect(lines.contains("ALMANAC:gdp(1.0),19,grdp_growth,,,total,constant_2010,2021-S1,6.5,percent,P"))
        #expect(lines.count == release.rowCount + 1)
        let monthly = try #require(generator.releases().first { $0.fileName == "2021-06-29-monthly-2021-06.csv" })
        #expect(monthly.encoded().contains(",2021-M06,"))
    }

    @Test func nativeCSVHasTheDocumentedHeader() throws {
        let release = try #require(Fixture.releases.first { $0.path == "pso-19/2021-07-05-grdp-h1-2021.csv" })
        let lines = release.encoded().split(separator: "\n").map(String.init)
        #expect(lines.first == "indicator,region,period,value,unit,status,release_date,group,base,sector,price")
        #expect(lines.contains("gdp.grdp_growth,19,2021-H1,6.5,percent,preliminary,2021-07-05,,,total,constant_2010"))
        let nine = try #require(Fixture.releases.first { $0.fileName == "2021-10-05-grdp-9m-2021.csv" })
        #expect(nine.encoded().contains(",2021-01..2021-09,"))
    }
}
