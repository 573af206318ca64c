import AlmanacDomain
import Testing
@testable import AlmanacGenerate

/// Revision files restate earlier figures: `revised` rows differ, the others repeat them.
@Suite struct RevisionTests {
    @Test func revisedRowsDifferSlightlyAndOthersRepeatTheFirstRelease() throws {
        // A `revised` row differs from the key's first release (another agency may have
        // restated it already: pso-19 revises Thái Nguyên before GSO); any other row repeats
        // the latest value.
        var first: [String: GeneratedRow] = [:], latest: [String: GeneratedRow] = [:]
        var revisedCount = 0, repeatedCount = 0
        for ((release, rows), keys) in zip(Fixture.files, Fixture.keys) {
            for (row, key) in zip(rows, keys) {
                defer {
                    latest[key] = row
                    if first[key] == nil { first[key] = row }
                }
                guard release.kind == .revision else {
                    #expect(first[key] == nil || release.agencyID != "mof", "\(release.path) re-releases \(key)")
                    continue
                }
                let original = try #require(first[key], "\(release.path) revises \(key), never released")
                if row.status == "revised" {
                    revisedCount += 1
                    #expect(row.value != original.value)
                    let a = Double(original.value)!, b = Double(row.value)!
                    // Growth moves by under a point; levels by at most 1.5 % (budget), 0.6 % (GRDP).
                    let small = row.indicator == "gdp.grdp_growth" ? abs(b - a) < 1 : abs(b / a - 1) < 0.016
                    #expect(small, "\(release.path) \(key) \(original.value) → \(row.value)")
                } else {
                    repeatedCount += 1
                    #expect(row.value == latest[key]!.value && row.status == original.status, "\(release.path) \(key)")
                }
            }
        }
        #expect(revisedCount > 1_000 && repeatedCount > revisedCount)
    }

    @Test func aQuartersRevisionRevisesOnlyAFewProvinces() throws {
        for name in ["2021-10-15-grdp-revision-2021-Q2.csv", "2021-07-20-budget-revision-2021-Q1.csv"] {
            let rows = try #require(Fixture.files.first { $0.release.fileName == name }).rows
            let revised = Set(rows.filter { $0.status == "revised" }.map(\.region))
            #expect(revised.count > 5 && revised.count < 35, "\(name): \(revised.count)")
        }
    }

    @Test func everyFigureIsFirstPreliminaryOrFinal() {
        for (_, first) in Fixture.firstValues {
            switch first.indicator {
            case "gdp.grdp", "gdp.grdp_growth": #expect(first.status == "preliminary")
            case "budget.revenue", "budget.expenditure":
                #expect(first.status == (first.dimensions["measure"] == "plan" ? "final" : "preliminary"))
            default: #expect(first.status != "revised")
            }
        }
    }
}
