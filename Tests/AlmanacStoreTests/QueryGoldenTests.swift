import AlmanacDomain
import AlmanacGenerate
import AlmanacQuery
import AlmanacStore
import AlmanacTesting
import Foundation
import Testing

/// Every query in `queries/*.aq` runs on a fixed data set — the generated agency files for
/// 2020–2021, seed 1, ingested in release order — and its table output must equal
/// `queries/<name>.out`. Re-record on purpose with `ALMANAC_RECORD_GOLDEN=1`.
@Suite struct QueryGoldenTests {
    static let queries = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("queries")

    /// Builds the fixed store: the same bytes every run (seeded generator, fixed clock,
    /// release dates on every row).
    static func fixedStore(_ dir: TemporaryDirectory) throws -> Store {
        let files = URL(fileURLWithPath: dir.file("files"))
        let summary = try Generator(GeneratorOptions(from: 2020, to: 2021, seed: 1)).write(to: files)
        let manifest = try JSONDecoder().decode(GenerationManifest.self, from: Data(contentsOf: summary.manifest))
        let store = Store(path: dir.file("store"))
        store.durability = .none
        let clock = FixedClock("2022-06-01T00:00:00.000Z")
        store.clock = { clock.now() }
        try store.initialize()
        try store.registerAgencies(Generator.agencies)
        for f in manifest.files {
            let outcome = try store.ingest(IngestRequest(path: files.appendingPathComponent(f.path).path, agency: f.agency))
            if case .rejected(_, let issues, _, _, let name, _) = outcome {
                Issue.record("\(name) rejected: \(issues.first?.description ?? "")")
            }
        }
        return store
    }

    @Test func everyExampleQueryMatchesItsGoldenOutput() throws {
        let dir = TemporaryDirectory("queries")
        let store = try Self.fixedStore(dir)
        _ = try store.readModel.openCaughtUp()
        let engine = try QueryEngine(readModelPath: try #require(store.readModel.current()?.path))
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.queries.path).filter { $0.hasSuffix(".aq") }.sorted()
        #expect(names.count >= 9)
        let record = ProcessInfo.processInfo.environment["ALMANAC_RECORD_GOLDEN"] != nil
        for name in names {
            let text = try String(contentsOf: Self.queries.appendingPathComponent(name), encoding: .utf8)
            let result = try engine.run(text, format: .table)
            var output = result.text.hasSuffix("\n") ? result.text : result.text + "\n"
            for w in result.warnings { output += "warning: \(w)\n" }
            let golden = Self.queries.appendingPathComponent(String(name.dropLast(3)) + ".out")
            if record {
                try output.write(to: golden, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            #expect(output == expected, "\(name) differs from its golden output")
        }
    }

    @Test func theStoryHolds() throws {
        let dir = TemporaryDirectory("story")
        let store = try Self.fixedStore(dir)
        _ = try store.readModel.openCaughtUp()
        let engine = try QueryEngine(readModelPath: try #require(store.readModel.current()?.path))
        // Thái Nguyên's H1 2021 growth: 6.5 as known on 12 July 2021, revised later.
        let known = try engine.run(#"from gdp.grdp_growth | where region = "Thai Nguyen" | during 2021-H1 | asof 2021-07-12 vs latest | where period = "2021-H1""#)
        #expect(known.values(of: "value") == [.number("6.5")])
        #expect(known.values(of: "value_vs") == [.number("6.52")])
        // Its H1 2021 budget revenue ranks within the top 20 of 63, and first in its region.
        let rank = try engine.run(#"from budget.revenue(measure = "actual") | during 2021-H1 | convert half | rank | where region = "Thai Nguyen""#)
        let position = try #require(rank.values(of: "rank").first?.doubleValue)
        #expect(position <= 20)
        let inRegion = try engine.run(#"from budget.revenue(measure = "actual") | where region within "NMM" | during 2021-H1 | convert half | rank | where region = "Thai Nguyen""#)
        #expect(inRegion.values(of: "rank").first?.doubleValue == 1)
    }
}
