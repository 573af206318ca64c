import Foundation
import Testing
@testable import AlmanacDomain

@Suite struct IndicatorCatalogueTests {
    let catalogue = IndicatorCatalogue.standard

    @Test func standardIndicatorsArePresentAndWellFormed() throws {
        let codes = ["cpi.index", "budget.revenue", "budget.expenditure", "investment.fdi_registered",
                     "investment.fdi_projects", "investment.realized", "gdp.grdp", "gdp.grdp_growth"]
        #expect(Set(catalogue.indicators.map(\.code)) == Set(codes))
        for definition in catalogue.indicators {
            #expect(definition.problems().isEmpty, "\(definition.code): \(definition.problems())")
        }
        #expect(catalogue.families == ["budget", "cpi", "gdp", "investment"])
    }

    @Test func aggregationRulesAndUnits() throws {
        let grdp = try #require(catalogue.indicator(code: "gdp.grdp"))
        #expect(grdp.unit == "bn_vnd" && grdp.aggregation == .flow && grdp.additiveAcrossRegions)
        let growth = try #require(catalogue.indicator(code: "gdp.grdp_growth"))
        #expect(growth.unit == "percent" && growth.aggregation == .rate && !growth.additiveAcrossRegions)
        #expect(growth.dimension("price")?.defaultValue == "constant_2010")
        let cpi = try #require(catalogue.indicator(code: "cpi.index"))
        #expect(cpi.aggregation == .index && !cpi.aggregation.sumsOverTime)
        #expect(cpi.dimension("group")?.values.count == 12)
        #expect(cpi.dimension("group")?.defaultValue == "general")
        #expect(catalogue.indicator(code: "investment.fdi_registered")?.unit == "mn_usd")
        #expect(catalogue.indicator(code: "investment.fdi_projects")?.unit == "count")
        #expect(catalogue.indicator(code: "investment.realized")?.dimension("source")?.allows("non_state") == true)
    }

    @Test func lookupIsCaseAndSpaceTolerantOnly() {
        #expect(catalogue.indicator(code: " GDP.GRDP ")?.code == "gdp.grdp")
        #expect(catalogue.indicator(code: "gdp") == nil)
    }

    @Test func byFamilyAndGlob() {
        #expect(catalogue.indicators(family: "budget").map(\.code) == ["budget.revenue", "budget.expenditure"])
        #expect(catalogue.matching("budget.*").map(\.code) == ["budget.revenue", "budget.expenditure"])
        #expect(Set(catalogue.matching("*.fdi_*").map(\.code)) == ["investment.fdi_registered", "investment.fdi_projects"])
        #expect(catalogue.matching("gdp.grdp").map(\.code) == ["gdp.grdp"])
        #expect(catalogue.matching("gdp.grd?").map(\.code) == ["gdp.grdp"])
        #expect(catalogue.matching("*").count == 8)
        #expect(catalogue.matching("nothing.*").isEmpty)
        #expect(catalogue.matching(String(repeating: "*a", count: 60) + "b").isEmpty)
    }

    @Test func didYouMean() throws {
        #expect(catalogue.suggestions(for: "gdp.gdrp").first == "gdp.grdp")
        #expect(catalogue.suggestions(for: "budget.revenu").first == "budget.revenue")
        do {
            _ = try catalogue.require("cpi.indx")
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "unknown indicator 'cpi.indx'")
            #expect(error.hint == "did you mean cpi.index?")
        }
    }

    @Test func normaliseFillsDefaultsAndRejectsBadValues() throws {
        let revenue = try catalogue.require("budget.revenue")
        #expect(try revenue.normalise(dimensions: [:]) == ["measure": "actual", "item": "total"])
        #expect(try revenue.normalise(dimensions: ["measure": "plan"]) == ["measure": "plan", "item": "total"])
        #expect(throws: IndicatorError.self) { try revenue.normalise(dimensions: ["measure": "forecast"]) }
        do {
            _ = try revenue.normalise(dimensions: ["measure": "actul"])
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "'actul' is not a value of measure for budget.revenue")
            #expect(error.hint == "did you mean actual?")
        }
        do {
            _ = try revenue.normalise(dimensions: ["colour": "red"])
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "indicator budget.revenue has no dimension 'colour'")
        }
    }

    @Test func plausibleRanges() throws {
        let projects = try catalogue.require("investment.fdi_projects")
        #expect(projects.range.contains(462))
        #expect(projects.range.problem(with: -1) == "negative value -1.0 is impossible for this indicator")
        let growth = try catalogue.require("gdp.grdp_growth")
        #expect(growth.range.contains(-3.2) && !growth.range.contains(650))
        #expect(!growth.range.contains(.infinity))
    }

    @Test func problemsAreFound() {
        let bad = IndicatorDefinition(code: "GDP.Bad-Code", family: "gdp", name: "x", unit: "furlongs", aggregation: .rate,
                                      dimensions: [IndicatorDimension(name: "a", values: []), IndicatorDimension(name: "a", values: [])],
                                      range: PlausibleRange(min: 5, max: 1, negativesAllowed: true),
                                      additiveAcrossRegions: true)
        let problems = bad.problems()
        #expect(problems.contains("code 'GDP.Bad-Code' is not family.name in lowercase letters, digits and _"))
        #expect(problems.contains("unknown unit 'furlongs'"))
        #expect(problems.contains("rate indicators cannot be additive across regions"))
        #expect(problems.contains("dimension 'a' defined twice"))
        #expect(problems.contains("plausible minimum above maximum"))
        let wrongFamily = IndicatorDefinition(code: "cpi.x", family: "gdp", name: "x", unit: "index", aggregation: .index,
                                              range: PlausibleRange(negativesAllowed: false), additiveAcrossRegions: false)
        #expect(wrongFamily.problems() == ["code 'cpi.x' does not start with its family 'gdp'"])
    }

    @Test func definitionsAreCodableAndRedefinitionReplaces() throws {
        let data = try JSONEncoder().encode(catalogue.indicators)
        let decoded = try JSONDecoder().decode([IndicatorDefinition].self, from: data)
        #expect(decoded == catalogue.indicators)
        let renamed = IndicatorDefinition(code: "gdp.grdp", family: "gdp", name: "GRDP (renamed)", unit: "bn_vnd",
                                          aggregation: .flow, range: PlausibleRange(negativesAllowed: true),
                                          additiveAcrossRegions: true)
        let updated = IndicatorCatalogue(indicators: decoded + [renamed])
        #expect(updated.indicators.count == 8)
        #expect(updated.indicator(code: "gdp.grdp")?.name == "GRDP (renamed)")
    }
}
