import AlmanacDomain
import AlmanacGenerate
import AlmanacQuery
import AlmanacSQLite
import AlmanacStore
import AlmanacTesting
import Crypto
import Foundation
import Testing

/// Helpers of the export suites.
enum ExportSupport {
    /// A small store: revisions, a retraction, a negative value, breakdowns, two agencies.
    static func smallStore() throws -> TestStore {
        let t = try TestStore()
        let first = String(nativeHeader.dropLast()) + ",measure,item\n"
            + "gdp.grdp_growth,19,2021-H1,6.50,percent,preliminary,2021-07-05,,\n"
            + "gdp.grdp_growth,01,2021-H1,-1.5,percent,preliminary,2021-07-05,,\n"
            + "gdp.grdp_growth,79,2021-H1,3.2,percent,preliminary,2021-07-05,,\n"
            + "cpi.index,19,2021-06,101.25,index,final,2021-07-06,,\n"
        #expect(try t.ingest("first.csv", first).counts != nil)
        t.clock.advance(seconds: 86_400)
        let budget = String(nativeHeader.dropLast()) + ",measure,item\n"
            + "budget.revenue,19,2021-06,1234.5,bn_vnd,final,2021-07-10,actual,total\n"
            + "budget.revenue,19,2021,15000,bn_vnd,final,2021-01-15,plan,total\n"
        #expect(try t.ingest("budget.csv", budget, agency: "mof").counts != nil)
        t.clock.advance(seconds: 86_400)
        // A revision after 12 July and a retraction.
        let second = String(nativeHeader.dropLast()) + ",action\n"
            + "gdp.grdp_growth,19,2021-H1,6.52,percent,revised,2021-08-20,report\n"
            + "gdp.grdp_growth,79,2021-H1,,percent,final,2021-08-20,retract\n"
        #expect(try t.ingest("second.csv", second).counts != nil)
        return t
    }

    /// The generated agency files for one year, ingested in release order into a new store.
    static func generatedStore(_ dir: TemporaryDirectory, from: Int = 2021, to: Int = 2021) throws -> Store {
        let files = URL(fileURLWithPath: dir.file("files"))
        let summary = try AlmanacGenerate.Generator(GeneratorOptions(from: from, to: to, seed: 1)).write(to: files)
        let manifest = try JSONDecoder().decode(GenerationManifest.self, from: Data(contentsOf: summary.manifest))
        let store = Store(path: dir.file("store"))
        store.durability = .none
        let clock = FixedClock("2022-06-01T00:00:00.000Z")
        store.clock = { clock.now() }
        try store.initialize()
        try store.registerAgencies(AlmanacGenerate.Generator.agencies)
        for f in manifest.files {
            let outcome = try store.ingest(IngestRequest(path: files.appendingPathComponent(f.path).path, agency: f.agency))
            if case .rejected(_, let issues, _, _, let name, _) = outcome {
                Issue.record("\(name) rejected: \(issues.first?.description ?? "")")
            }
        }
        return store
    }

    static func sha256(_ path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Recomputes the size and SHA-256 of every file the manifest lists, and checks that the
    /// directory holds nothing else but the manifest.
    static func verify(_ directory: String) throws -> ExportManifest {
        let manifest = try ExportManifest.read(directory: directory)
        for file in manifest.files {
            let path = directory + "/" + file.name
            #expect(try sha256(path) == file.sha256, "sha256 of \(file.name)")
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect(size == file.bytes, "size of \(file.name)")
        }
        let listed = Set(manifest.files.map(\.name) + [ExportManifest.fileName])
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        #expect(present == listed, "the snapshot holds exactly the listed files")
        return manifest
    }

    /// A CSV file's records (RFC 4180, CRLF), cells unquoted.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars = chars.dropFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\r" && chars.first == "\n" {
                chars = chars.dropFirst()
                record.append(field); field = ""
                records.append(record); record = []
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    /// The CSV rows as dictionaries keyed by the header.
    static func csvRows(_ path: String) throws -> [[String: String]] {
        let records = parseCSV(try String(contentsOfFile: path, encoding: .utf8))
        guard let header = records.first else { return [] }
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// Current observations of a store, straight from its read model:
    /// "indicator|region|dims|period" → "value|unit|status".
    static func currentValues(_ store: Store) throws -> [String: String] {
        let (db, _) = try store.readModel.openCaughtUp()
        var out: [String: String] = [:]
        for row in try db.rows("""
            SELECT se.indicator, se.region, se.dims, o.period, o.value, o.unit, o.status
            FROM observations o JOIN series se ON se.id = o.series_id
            """) {
            let t = row.map { value -> String in if case .text(let s) = value { return s } else { return value.description } }
            out["\(t[0])|\(t[1])|\(t[2])|\(t[3])"] = "\(t[4])|\(t[5])|\(t[6])"
        }
        return out
    }

    static func exportError(_ body: () throws -> Void) -> ExportError? {
        do {
            try body()
            return nil
        } catch let error as ExportError {
            return error
        } catch {
            Issue.record("expected an ExportError, got \(error)")
            return nil
        }
    }
}

/// The data files of each format, the manifest and its checksums, the CSV rules, and the
/// errors of a refused export.
@Suite struct ExportTests {
    @Test func csvHoldsEveryCurrentObservationExactly() throws {
        let t = try ExportSupport.smallStore()
        let out = t.dir.file("snapshots/latest")
        let report = try t.store.export(ExportRequest(format: .csv, outputDirectory: out),
                                        now: Date(timeIntervalSince1970: 1_626_048_000))
        let manifest = try ExportSupport.verify(out)
        #expect(manifest.format == "csv")
        #expect(manifest.content == "observations")
        #expect(manifest.createdAt == "2021-07-12T00:00:00.000Z")
        #expect(manifest.asOf == nil && manifest.query == nil)
        #expect(manifest.almanacExportVersion == ExportManifest.currentVersion)
        #expect(manifest.files.map(\.name) == ["observations.csv"])
        #expect(report.logPosition == manifest.logPosition)
        let status = try t.store.status()
        #expect(manifest.logPosition == status.logHead, "the read model was caught up to the log head")

        let rows = try ExportSupport.csvRows(out + "/observations.csv")
        #expect(rows.count == manifest.rows)
        #expect(rows.count == 5, "four first figures and two budget figures, one of them retracted: \(rows.count)")
        let current = try ExportSupport.currentValues(t.store)
        #expect(rows.count == current.count)
        let growth = try #require(rows.first { $0["indicator"] == "gdp.grdp_growth" && $0["region"] == "19" })
        #expect(growth["value"] == "6.52")
        #expect(growth["region_name"] == "Thái Nguyên")
        #expect(growth["status"] == "revised")
        #expect(growth["agency"] == "gso")
        #expect(growth["known_from"] == "2021-08-20T00:00:00.000Z")
        #expect(rows.contains { $0["region"] == "01" && $0["value"] == "-1.5" }, "a negative number stays a number")
        #expect(!rows.contains { $0["indicator"] == "gdp.grdp_growth" && $0["region"] == "79" }, "retracted values are not current")
        let cpi = try #require(rows.first { $0["indicator"] == "cpi.index" })
        #expect(cpi["value"] == "101.25")
        #expect(cpi["group"] == "general", "a breakdown column per dimension")
        let plan = try #require(rows.first { $0["measure"] == "plan" })
        #expect(plan["agency"] == "mof" && plan["item"] == "total" && plan["period"] == "2021")
        // Every value in the file is the read model's, exactly.
        #expect(growth["price"] == "constant_2010" && growth["sector"] == "total", "default breakdowns are filled in")
        for row in rows {
            let dims = ["base", "group", "item", "measure", "price", "sector"].compactMap { name in
                row[name].flatMap { $0.isEmpty ? nil : "\(name)=\($0)" }
            }.joined(separator: ";")
            let key = "\(row["indicator"]!)|\(row["region"]!)|\(dims)|\(row["period"]!)"
            #expect(current[key] == "\(row["value"]!)|\(row["unit"]!)|\(row["status"]!)", "\(key)")
        }
        let text = try String(contentsOfFile: out + "/observations.csv", encoding: .utf8)
        #expect(text.hasPrefix("indicator,region,region_name,"))
        #expect(text.components(separatedBy: "\r\n").count == rows.count + 2, "CRLF after every record")
    }

    @Test func asOfDatesReadTheValuesKnownAtTheEndOfThatDay() throws {
        let t = try ExportSupport.smallStore()
        func values(_ asOf: String) throws -> [String: String] {
            let out = t.dir.file("asof-\(asOf)")
            let report = try t.store.export(ExportRequest(format: .csv, outputDirectory: out, asOf: asOf))
            let manifest = try ExportSupport.verify(out)
            #expect(manifest.asOf == asOf && report.asOf == asOf)
            var out2: [String: String] = [:]
            for row in try ExportSupport.csvRows(out + "/observations.csv") {
                out2["\(row["indicator"]!)|\(row["region"]!)|\(row["measure"]!)|\(row["period"]!)"] = row["value"]!
            }
            #expect(out2.count == manifest.rows)
            return out2
        }
        let before = try values("2021-07-04")
        #expect(before == ["budget.revenue|19|plan|2021": "15000"])
        let july7 = try values("2021-07-07")
        #expect(july7.count == 5)
        #expect(july7["gdp.grdp_growth|19||2021-H1"] == "6.50")
        #expect(july7["budget.revenue|19|actual|2021-06"] == nil, "released on 10 July")
        let july12 = try values("2021-07-12")
        #expect(july12.count == 6)
        #expect(july12["gdp.grdp_growth|79||2021-H1"] == "3.2")
        let august19 = try values("2021-08-19")
        #expect(august19 == july12, "the revision was released on 20 August")
        let august20 = try values("2021-08-20")
        #expect(august20["gdp.grdp_growth|19||2021-H1"] == "6.52")
        #expect(august20["gdp.grdp_growth|79||2021-H1"] == nil, "retracted on 20 August")
        #expect(august20.count == 5)
        // A timestamp: the instant itself counts (known_from <= T).
        let instant = try values("2021-08-20T00:00:00Z")
        #expect(instant == august20)
        let justBefore = try values("2021-08-19T23:59:59.999Z")
        #expect(justBefore == july12)
    }

    @Test func jsonLinesHaveOneObjectPerRow() throws {
        let t = try ExportSupport.smallStore()
        let out = t.dir.file("jsonl")
        try t.store.export(ExportRequest(format: .jsonl, outputDirectory: out))
        let manifest = try ExportSupport.verify(out)
        let lines = try String(contentsOfFile: out + "/observations.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == manifest.rows)
        #expect(lines.count == 5)
        var values: [String: String] = [:]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let dims = try #require(object["dimensions"] as? [String: String])
            let region = try #require(object["region"] as? String)
            let value = try #require(object["value"] as? String, "value is decimal text")
            #expect(object["submission"] is Int)
            values["\(object["indicator"]!)|\(region)|\(dims.keys.sorted().map { "\($0)=\(dims[$0]!)" }.joined(separator: ";"))"] = value
        }
        #expect(values["gdp.grdp_growth|19|price=constant_2010;sector=total"] == "6.52")
        #expect(values["gdp.grdp_growth|01|price=constant_2010;sector=total"] == "-1.5")
        #expect(values["budget.revenue|19|item=total;measure=actual"] == "1234.5")
    }

    @Test func manifestChecksumsAndCountsMatchTheFiles() throws {
        let t = try ExportSupport.smallStore()
        for format in ExportRequest.Format.allCases {
            let out = t.dir.file("m-\(format.rawValue)")
            let report = try t.store.export(ExportRequest(format: format, outputDirectory: out))
            let manifest = try ExportSupport.verify(out)
            #expect(manifest.files == report.files, "\(format)")
            #expect(manifest.rows == report.rows)
            #expect(!manifest.files.isEmpty)
            for file in manifest.files {
                #expect(file.sha256.count == 64)
                #expect(file.sha256 == (try ExportSupport.sha256(out + "/" + file.name)))
            }
            // A changed byte no longer matches its checksum.
            let first = out + "/" + manifest.files[0].name
            var data = try Data(contentsOf: URL(fileURLWithPath: first))
            data[data.count / 2] ^= 0x01
            try data.write(to: URL(fileURLWithPath: first))
            #expect(try ExportSupport.sha256(first) != manifest.files[0].sha256)
        }
        let manifestText = try String(contentsOfFile: t.dir.file("m-csv/manifest.json"), encoding: .utf8)
        for key in ["\"asOf\" : null", "\"query\" : null", "\"logPosition\"", "\"formatVersion\"", "\"almanacExportVersion\"", "\"createdAt\""] {
            #expect(manifestText.contains(key), "manifest has \(key)")
        }
    }

    @Test func refusedExportsSayWhatIsWrong() throws {
        let t = try ExportSupport.smallStore()
        let existing = t.dir.file("exists")
        try FileManager.default.createDirectory(atPath: existing, withIntermediateDirectories: true)
        let exists = ExportSupport.exportError { try t.store.export(ExportRequest(format: .csv, outputDirectory: existing)) }
        #expect(exists?.kind == .outputExists)
        #expect(exists?.message.contains(existing) == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: existing).isEmpty, "an existing directory is left alone")

        let badDate = ExportSupport.exportError {
            try t.store.export(ExportRequest(format: .csv, outputDirectory: t.dir.file("x"), asOf: "2021-02-30"))
        }
        #expect(badDate?.kind == .badAsOf)
        #expect(badDate?.message.contains("2021-02-30") == true)
        #expect(!FileManager.default.fileExists(atPath: t.dir.file("x")))

        #expect(throws: ExportError.self) { try ExportRequest.Format(parsing: "xml") }
        do {
            _ = try ExportRequest.Format(parsing: "xml")
        } catch {
            #expect(error.message == "unknown export format 'xml' (csv, jsonl, sqlite, sdmx-csv)")
        }

        let query = ExportSupport.exportError {
            try t.store.export(ExportRequest(format: .csv, outputDirectory: t.dir.file("q"), query: "from gdp.grdp_growth | grwoth yoy"))
        }
        #expect(query?.kind == .badQuery)
        let rendered = try #require(query?.rendered)
        #expect(rendered.contains("unknown step \"grwoth\""))
        #expect(rendered.contains("^^^^^^"))
        #expect(rendered.contains("did you mean \"growth\"?"))
        #expect(!FileManager.default.fileExists(atPath: t.dir.file("q")))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: t.dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "a refused export leaves no temporary directory: \(leftovers)")

        let sdmxQuery = ExportSupport.exportError {
            try t.store.export(ExportRequest(format: .sdmxCSV, outputDirectory: t.dir.file("s"), query: "from cpi.index"))
        }
        #expect(sdmxQuery?.kind == .unsupported)
        let twice = ExportSupport.exportError {
            try t.store.export(ExportRequest(format: .csv, outputDirectory: t.dir.file("t"), asOf: "2021-07-12",
                                             query: "from cpi.index | asof 2021-07-01"))
        }
        #expect(twice?.kind == .unsupported)
        #expect(twice?.message.contains("asof") == true)
    }

    @Test func formulaCellsAreNeutralisedButNumbersStayNumbers() {
        let n = ExportEncoding.neutralised
        #expect(n("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")")
        #expect(n("+1+1") == "'+1+1")
        #expect(n("@SUM(A1)") == "'@SUM(A1)")
        #expect(n("-2+3") == "'-2+3")
        #expect(n("\tx") == "'\tx")
        #expect(n("\rx") == "'\rx")
        #expect(n("-") == "'-")
        #expect(n("+1.5") == "'+1.5", "only JSON-style numbers count as plain: a leading + is neutralised")
        for number in ["-1.5", "-0.25", "-3", "-3e5", "-1.5E-3", "0", "12.50"] {
            #expect(n(number) == number, "\(number) stays a number")
        }
        for text in ["Thái Nguyên", "a=b", "x-1", ""] { #expect(n(text) == text) }
        #expect(ExportEncoding.csvLine(["a,b", "say \"hi\"", "two\nlines", "=1", "-1.5"])
                == "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",'=1,-1.5\r\n")
        #expect(ExportEncoding.csvLine(["=1,2"]) == "\"'=1,2\"\r\n", "neutralised before quoting")
    }

    @Test func queryResultCellsAreNeutralisedInTheCSVFile() throws {
        let t = try ExportSupport.smallStore()
        let out = t.dir.file("formula")
        let query = #"from gdp.grdp_growth | during 2021-H1 | derive note = "=1+2", change = value - 10 | sort region"#
        let report = try t.store.export(ExportRequest(format: .csv, outputDirectory: out, query: query))
        _ = try ExportSupport.verify(out)
        let records = ExportSupport.parseCSV(try String(contentsOfFile: out + "/result.csv", encoding: .utf8))
        let header = try #require(records.first)
        let note = try #require(header.firstIndex(of: "note"))
        let change = try #require(header.firstIndex(of: "change"))
        #expect(records.count == report.rows + 1)
        for record in records.dropFirst() {
            #expect(record[note] == "'=1+2")
            #expect(ExportEncoding.isPlainNumber(record[change]) && record[change].hasPrefix("-"), "negative numbers are left alone: \(record[change])")
        }
    }

    @Test func queryExportHoldsTheQueryResult() throws {
        let t = try ExportSupport.smallStore()
        let query = #"from gdp.grdp_growth | during 2021-H1 | rank"#
        _ = try t.store.readModel.openCaughtUp()
        let engine = try QueryEngine(readModelPath: try #require(t.store.readModel.current()?.path))
        let expected = try engine.run(query)
        for format in [ExportRequest.Format.csv, .jsonl, .sqlite] {
            let out = t.dir.file("q-\(format.rawValue)")
            let report = try t.store.export(ExportRequest(format: format, outputDirectory: out, query: query))
            let manifest = try ExportSupport.verify(out)
            #expect(manifest.query == query && manifest.content == "query")
            #expect(manifest.columns == expected.columns.map(\.name))
            #expect(report.rows == expected.rows.count && report.rows == 2)
            switch format {
            case .csv:
                let rows = try ExportSupport.csvRows(out + "/result.csv")
                #expect(rows.map { $0["region"]! } == expected.values(of: "region").map(\.description))
                #expect(rows.map { $0["rank"]! } == expected.values(of: "rank").map(\.description))
                #expect(rows.map { $0["value"]! } == expected.values(of: "value").map(\.description))
            case .jsonl:
                let lines = try String(contentsOfFile: out + "/result.jsonl", encoding: .utf8).split(separator: "\n")
                #expect(lines.count == 2)
                let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
                #expect(first.keys.sorted() == expected.columns.map(\.name).sorted())
            default:
                let db = try Database(path: out + "/result.sqlite", options: .readOnlyQueries)
                #expect(try db.firstValue("SELECT count(*) FROM result") == .integer(2))
                #expect(try db.firstValue("SELECT value FROM export_meta WHERE key = 'query'") == .text(query))
            }
        }
    }

    @Test func retentionKeepsExactlyTheNewestN() throws {
        let t = try ExportSupport.smallStore()
        let root = t.dir.file("retention")
        // Names do not sort like creation times: newest is decided by the manifest.
        let order = ["daily-c", "daily-a", "daily-e", "daily-b", "daily-d"]
        for (i, name) in order.enumerated() {
            try t.store.export(ExportRequest(format: .jsonl, outputDirectory: root + "/" + name),
                               now: Date(timeIntervalSince1970: 1_600_000_000 + Double(i) * 86_400))
        }
        try t.store.export(ExportRequest(format: .jsonl, outputDirectory: root + "/weekly-1"), now: Date(timeIntervalSince1970: 1_500_000_000))
        try FileManager.default.createDirectory(atPath: root + "/daily-not-a-snapshot", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: root + "/daily-file", contents: Data("x".utf8))

        let removed = try SnapshotRetention.prune(root: root, prefix: "daily-", keep: 2)
        #expect(removed == ["daily-c", "daily-a", "daily-e"].map { root + "/" + $0 }, "the three oldest, oldest first")
        let left = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(left == ["daily-b", "daily-d", "daily-file", "daily-not-a-snapshot", "weekly-1"])
        for name in ["daily-b", "daily-d", "weekly-1"] { _ = try ExportSupport.verify(root + "/" + name) }
        #expect(try SnapshotRetention.prune(root: root, prefix: "daily-", keep: 2).isEmpty, "already at two")
        #expect(try SnapshotRetention.prune(root: root, prefix: "daily-", keep: 5).isEmpty)
        #expect(try SnapshotRetention.prune(root: root, prefix: "daily-", keep: 1) == [root + "/daily-b"])
        #expect(try SnapshotRetention.prune(root: root, prefix: "daily-", keep: 0) == [root + "/daily-d"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == ["daily-file", "daily-not-a-snapshot", "weekly-1"])
        #expect(throws: ExportError.self) { try SnapshotRetention.prune(root: root, prefix: "daily-", keep: -1) }
    }

    @Test func staleTemporaryDirectoriesAreRemovedByTheNextExport() throws {
        let t = try ExportSupport.smallStore()
        let parent = t.dir.file("parent")
        // The pid of a process that has exited.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let dead = gone.processIdentifier
        let live = ProcessInfo.processInfo.processIdentifier
        let names = [".old.tmp-\(dead)", ".older.deleting-\(dead)", ".busy.tmp-\(live)", ".keep", "tmp-\(dead)"]
        for name in names {
            try FileManager.default.createDirectory(atPath: parent + "/" + name, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: parent + "/" + name + "/part", contents: Data("half".utf8))
        }
        try t.store.export(ExportRequest(format: .csv, outputDirectory: parent + "/new"))
        let left = try FileManager.default.contentsOfDirectory(atPath: parent).sorted()
        #expect(left == [".busy.tmp-\(live)", ".keep", "new", "tmp-\(dead)"],
                "only temporary directories of processes that are gone are removed: \(left)")
    }
}
