import AlmanacDomain
import Testing
@testable import AlmanacGenerate

/// Every row is valid against the standard catalogues and plausible.
@Suite struct ValidityTests {
    @Test func everyRowIsValidAgainstTheStandardCatalogues() throws {
        let indicators = IndicatorCatalogue.standard, regions = RegionCatalogue.standard
        var problems: [String] = []
        for (release, rows) in Fixture.files {
            let agency = try #require(Generator.agencies.first { $0.id == release.agencyID })
            var seen = Set<String>()
            for row in rows {
                func problem(_ text: String) { if problems.count < 20 { problems.append("\(release.path): \(row.key): \(text)") } }
                guard let indicator = indicators.indicator(code: row.indicator) else { problem("unknown indicator"); continue }
                guard let region = regions.region(code: row.region) else { problem("unknown region"); continue }
                if region.level != .province { problem("not a province") }
                if !region.isValid(for: row.period) { problem("region not valid for the period") }
                if (try? Period.parse(row.period.description)) != row.period { problem("period does not round-trip") }
                if row.unit != indicator.unit { problem("unit \(row.unit) is not \(indicator.unit)") }
                if (try? indicator.normalise(dimensions: row.dimensions)) != row.dimensions { problem("dimensions") }
                guard let value = try? DecimalText(row.value) else { problem("value is not plain decimal text"); continue }
                if value.text != value.canonical { problem("value not in canonical spelling") }
                if let why = indicator.range.problem(with: value.doubleValue) { problem(why) }
                if !["preliminary", "revised", "final"].contains(row.status) { problem("status \(row.status)") }
                if row.releaseDate != release.releaseDate { problem("release date differs from the file's") }
                // Only plans (approved in January) and GSO's monthly report (on the 29th, an
                // estimate of the whole month) come before the period ends.
                let early = row.dimensions["measure"] == "plan" || release.fileName.contains("-monthly-")
                if row.releaseDate < row.period.endDate, !early { problem("released before the period ends") }
                if !agency.permits(indicator, for: region) { problem("outside \(agency.id)'s scope") }
                if !seen.insert(row.key).inserted { problem("key twice in one file") }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func rowCountsFollowTheRegionsValidForEachPeriod() throws {
        func rows(_ name: String) throws -> Int {
            try #require(Fixture.files.first { $0.release.fileName == name }).rows.count
        }
        #expect(try rows("2021-06-29-monthly-2021-06.csv") == 63 * (12 + 2))
        #expect(try rows("2025-07-29-monthly-2025-07.csv") == 34 * (12 + 2))
        #expect(try rows("2021-07-06-budget-2021-06.csv") == 63 * 2)
        #expect(try rows("2025-08-06-budget-2025-07.csv") == 34 * 2)
        #expect(try rows("2021-01-10-budget-plan-2021.csv") == 63 * 2)
        #expect(try rows("2025-01-10-budget-plan-2025.csv") == 34 * 2)
        #expect(try rows("2021-04-15-grdp-2021-Q1.csv") == 63 * 3)
        #expect(try rows("2021-07-15-grdp-2021-Q2.csv") == 63 * 6)
        #expect(try rows("2022-01-15-grdp-2021-Q4.csv") == 63 * 7)
        #expect(try rows("2021-10-15-grdp-revision-2021-Q2.csv") == 63 * 6)
        #expect(try rows("2021-07-20-budget-revision-2021-Q1.csv") == 63 * 2 * 3)
        #expect(try rows("2021-07-05-grdp-h1-2021.csv") == 4)
        #expect(Fixture.files.count > 300 && Fixture.files.count < 600)
    }

    @Test func magnitudesArePlausible() throws {
        let latest = Fixture.values()
        func value(_ key: String) throws -> Double {
            let entry = try #require(latest[key], "\(key)")
            return try #require(Double(entry.row.value))
        }
        // CPI near 100-110, inflation 2-4 % a year give or take provincial noise.
        for region in ["01", "19", "79", "12"] {
            for year in 2016...2024 {
                let now = try value("cpi.index|\(region)|\(year)-12|base=base_2019|group=general")
                let then = try value("cpi.index|\(region)|\(year - 1)-12|base=base_2019|group=general")
                #expect((0.5...6).contains((now / then - 1) * 100), "\(region) \(year)")
            }
            #expect((85...125).contains(try value("cpi.index|\(region)|2015-01|base=base_2019|group=general")))
            #expect((98...118).contains(try value("cpi.index|\(region)|2022-06|base=base_2019|group=general")))
        }
        let revenue = Fixture.revenueH1(latest)
        #expect(revenue["79"]! > revenue["01"]! && revenue["01"]! > 10 * revenue["19"]!)
        #expect(revenue["19"]! > 5 * revenue["12"]!)
        let grdp = { (r: String) in try value("gdp.grdp|\(r)|2021|price=current|sector=total") }
        #expect((1_000_000...2_500_000).contains(try grdp("79")))
        #expect(try grdp("01") > 20 * grdp("12"))
        for region in ["01", "19", "96"] {
            let growth = try value("gdp.grdp_growth|\(region)|2019|price=constant_2010|sector=total")
            #expect((2...12).contains(growth))
        }
        let projects = latest.values.filter { $0.row.indicator == "investment.fdi_projects" && $0.row.period.year == 2019 }
            .reduce(0) { $0 + Int($1.row.value)! }
        #expect((3_000...5_000).contains(projects))
    }
}
