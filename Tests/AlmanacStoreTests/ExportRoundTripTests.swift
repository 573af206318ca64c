import AlmanacDomain
import AlmanacGenerate
import AlmanacQuery
import AlmanacSQLite
import AlmanacStore
import AlmanacTesting
import Foundation
import Testing

/// Exports of a store built from generated data: SDMX-CSV read back by the ingest gives the
/// same current values; an as-of export equals the query language's `asof`; the SQLite
/// files open in the real `sqlite3` and pass `PRAGMA integrity_check`.
@Suite(.serialized) struct ExportRoundTripTests {
    /// One generated store for the suite (building it is the slow part).
    final class Fixture: @unchecked Sendable {
        let dir = TemporaryDirectory("export-roundtrip")
        let store: Store

        init() throws { store = try ExportSupport.generatedStore(dir, from: 2020, to: 2021) }

        static let shared = Result { try Fixture() }
    }

    static func fixture() throws -> Fixture { try Fixture.shared.get() }

    /// With the mapping file the export ships, and without one (the reader takes
    /// `INDICATOR` as the whole code when it starts with the dataflow's family).
    @Test(arguments: [true, false])
    func sdmxExportIngestsBackToTheSameCurrentValues(withMapping: Bool) throws {
        let f = try Self.fixture()
        let out = f.dir.file("sdmx-latest-\(withMapping ? "mapped" : "plain")")
        let report = try f.store.export(ExportRequest(format: .sdmxCSV, outputDirectory: out))
        let manifest = try ExportSupport.verify(out)
        #expect(manifest.formatVersion == "1.0")
        let dataFiles = manifest.files.filter { $0.agency != nil }
        let publishing = Set(try AlmanacGenerate.Generator(GeneratorOptions(from: 2020, to: 2021, seed: 1)).releases().map(\.agencyID))
        #expect(Set(dataFiles.compactMap(\.agency)) == publishing, "one file per agency that published")
        #expect(report.rows > 1000)

        // A fresh store with the same agencies and scopes; each file ingested as its agency.
        let fresh = Store(path: f.dir.file("fresh-\(UUID().uuidString)"))
        fresh.durability = .none
        try fresh.initialize()
        try fresh.registerAgencies(AlmanacGenerate.Generator.agencies)
        for file in dataFiles {
            let outcome = try fresh.ingest(IngestRequest(path: out + "/" + file.name, agency: file.agency!,
                                                         mappingPath: withMapping ? out + "/sdmx-mapping.json" : nil))
            guard case .accepted(_, let counts, _, _) = outcome else {
                Issue.record("\(file.name) was not accepted: \(outcome)")
                continue
            }
            #expect(counts.reported == file.rows, "\(file.name): every row is a new observation")
        }
        let original = try ExportSupport.currentValues(f.store)
        let reingested = try ExportSupport.currentValues(fresh)
        #expect(original.count == report.rows)
        #expect(reingested.count == original.count)
        let differing = original.filter { reingested[$0.key] != $0.value }.prefix(5)
        #expect(differing.isEmpty, "values differ after the round trip: \(Array(differing))")
    }

    @Test func asOfExportEqualsTheQueryLanguagesAsOf() throws {
        let f = try Self.fixture()
        let out = f.dir.file("asof-csv")
        let report = try f.store.export(ExportRequest(format: .csv, outputDirectory: out, asOf: "2021-07-12"))
        let manifest = try ExportSupport.verify(out)
        #expect(manifest.asOf == "2021-07-12")
        #expect(manifest.knownBefore == "2021-07-13T00:00:00.000Z")
        let rows = try ExportSupport.csvRows(out + "/observations.csv")
        #expect(rows.count == report.rows)

        _ = try f.store.readModel.openCaughtUp()
        let engine = try QueryEngine(readModelPath: try #require(f.store.readModel.current()?.path))
        let result = try engine.run("from budget.*, cpi.*, gdp.*, investment.* | asof 2021-07-12", limits: .unlimited)
        let dimensionNames = result.columns.map(\.name).filter {
            !["indicator", "region", "region_name", "level", "period", "value", "unit", "status", "known_from"].contains($0)
        }
        func key(_ cell: (String) -> String) -> String {
            ([cell("indicator"), cell("region"), cell("period")] + dimensionNames.map { "\($0)=\(cell($0))" }).joined(separator: "|")
        }
        var expected: [String: String] = [:]
        for row in result.rows {
            let cell = { (name: String) in row[result.columns.firstIndex { $0.name == name }!].description }
            expected[key(cell)] = cell("value") + "|" + cell("status") + "|" + cell("known_from")
        }
        var exported: [String: String] = [:]
        for row in rows {
            let cell = { (name: String) in row[name] ?? "" }
            exported[key(cell)] = cell("value") + "|" + cell("status") + "|" + cell("known_from")
        }
        #expect(result.rows.count > 1000, "the date falls inside the generated data")
        #expect(exported.count == rows.count, "no key twice")
        #expect(exported.count == expected.count)
        #expect(exported == expected)
    }

    @Test func asOfWithAQueryAddsTheAsofStep() throws {
        let f = try Self.fixture()
        let query = #"from gdp.grdp_growth | where region = "Thai Nguyen" | during 2021-H1"#
        let out = f.dir.file("asof-query")
        try f.store.export(ExportRequest(format: .csv, outputDirectory: out, asOf: "2021-07-12", query: query))
        let manifest = try ExportSupport.verify(out)
        #expect(manifest.effectiveQuery == #"from gdp.grdp_growth | asof 2021-07-12 | where region = "Thai Nguyen" | during 2021-H1"#)
        let rows = try ExportSupport.csvRows(out + "/result.csv")
        #expect(rows.first { $0["period"] == "2021-H1" }?["value"] == "6.5", "the figure as known on 12 July 2021")
        let latest = f.dir.file("latest-query")
        try f.store.export(ExportRequest(format: .csv, outputDirectory: latest, query: query))
        #expect(try ExportSupport.csvRows(latest + "/result.csv").first { $0["period"] == "2021-H1" }?["value"] == "6.52")
    }

    @Test func sqliteSnapshotsPassTheRealSqlite3IntegrityCheck() throws {
        let sqlite3 = try #require(Executables.which("sqlite3"), "the sqlite3 program is needed (apt-get install sqlite3)")
        let f = try Self.fixture()
        let latest = f.dir.file("sqlite-latest")
        let report = try f.store.export(ExportRequest(format: .sqlite, outputDirectory: latest))
        let manifest = try ExportSupport.verify(latest)
        #expect(manifest.content == "readmodel")
        let copy = latest + "/readmodel.sqlite"
        let check = try Executables.run(sqlite3, ["-readonly", copy, "PRAGMA integrity_check"])
        #expect(check.status == 0 && check.stdout == "ok\n", "\(check.stderr)")
        let meta = try Executables.run(sqlite3, ["-readonly", copy, "SELECT value FROM meta WHERE key = 'last_seq'; PRAGMA journal_mode; SELECT count(*) FROM observations"])
        #expect(meta.stdout == "\(report.logPosition)\ndelete\n\(report.rows)\n", "\(meta.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: latest).sorted() == ["manifest.json", "readmodel.sqlite"], "no -wal or -shm beside the copy")
        // The copy's content equals the live model's.
        let (live, _) = try f.store.readModel.openCaughtUp()
        let copied = try Database(path: copy, options: .readOnlyQueries)
        #expect(try ReadModel.digest(copied) == ReadModel.digest(live))

        let asOf = f.dir.file("sqlite-asof")
        let asOfReport = try f.store.export(ExportRequest(format: .sqlite, outputDirectory: asOf, asOf: "2021-07-12"))
        _ = try ExportSupport.verify(asOf)
        let table = asOf + "/observations.sqlite"
        let asOfCheck = try Executables.run(sqlite3, ["-readonly", table, "PRAGMA integrity_check; SELECT count(*) FROM observations; SELECT value FROM export_meta WHERE key = 'as_of'"])
        #expect(asOfCheck.stdout == "ok\n\(asOfReport.rows)\n2021-07-12\n", "\(asOfCheck.stderr)")
        // The same rows as the CSV export of the same instant.
        let csv = f.dir.file("sqlite-asof-csv")
        let csvReport = try f.store.export(ExportRequest(format: .csv, outputDirectory: csv, asOf: "2021-07-12"))
        #expect(csvReport.rows == asOfReport.rows)
    }

    @Test func exportsDuringIngestAreConsistentSnapshots() throws {
        // Exports run while another thread ingests; each export's rows are exactly the
        // values at its recorded log position (read back with `asof @position`).
        let t = try TestStore()
        var files: [String] = []
        for f in 0..<12 {
            var text = nativeHeader
            for region in ["01", "19", "79", "31"] {
                for m in 1...9 { text += "cpi.index,\(region),2021-0\(m),\(100 + f * 10 + m).5,index,final,2021-10-0\(1 + f % 9)\n" }
            }
            files.append(t.file("c\(f).csv", text))
        }
        let path = t.path
        let ingested = files
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let writer = Store(path: path)
            writer.durability = .none
            for file in ingested { _ = try? writer.ingest(IngestRequest(path: file, agency: "gso")) }
            done.signal()
        }
        // Export again and again until the ingests are done, then once more.
        var exports: [(String, ExportReport)] = []
        var finished = false
        while !finished && exports.count < 300 {
            finished = done.wait(timeout: .now()) == .success
            let out = t.dir.file("during-\(exports.count)")
            exports.append((out, try t.store.export(ExportRequest(format: .csv, outputDirectory: out))))
        }
        if !finished { done.wait() }
        #expect(exports.last?.1.logPosition == (try t.store.status()).logHead, "the last export saw every ingest")
        _ = try t.store.readModel.openCaughtUp()
        let engine = try QueryEngine(readModelPath: try #require(t.store.readModel.current()?.path))
        for (out, report) in exports {
            _ = try ExportSupport.verify(out)
            let rows = try ExportSupport.csvRows(out + "/observations.csv")
            let result = try engine.run("from cpi.index | asof @\(report.logPosition)", limits: .unlimited)
            let expected = Set(result.rows.map { row in
                ["region", "period", "value"].map { name in row[result.columns.firstIndex { $0.name == name }!].description }.joined(separator: "|")
            })
            let exported = Set(rows.map { "\($0["region"]!)|\($0["period"]!)|\($0["value"]!)" })
            #expect(exported == expected, "export at log position \(report.logPosition)")
        }
    }
}
