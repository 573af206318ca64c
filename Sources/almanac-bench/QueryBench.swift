import AlmanacDomain
import AlmanacLog
import AlmanacQuery
import AlmanacSQLite
import AlmanacStore
import Foundation
import Glibc

/// `tools/bench query`: ten reference questions on a store of at least `--scale` million
/// observations (default 10), each answered three ways in the same run:
///
/// - **almanac**: `QueryEngine.run` in this process (parse, check, compile, execute, CSV
///   text), one engine opened before the clock starts, as `almanac repl` holds one;
/// - **sqlite3**: the equivalent SQL written by hand for the read-model schema, run by the
///   `sqlite3` command-line shell on the same read-model file, one process per run (the
///   process time, start-up included) with `.timer on` (the time SQLite spent inside the
///   process, so the start-up cost is visible);
/// - **duckdb** (for comparison only): `tools/bench-query-duckdb.py` over a CSV export of
///   the same tables, when `python3` with the `duckdb` module is there.
///
/// Each figure is the median of `--runs` runs (at least 5) after one warm-up run. Before
/// timing, the rows of almanac and of sqlite3 are compared cell by cell (numbers to the
/// rounding almanac shows), so both answer the same question. The target is almanac ≤ 1.2×
/// the sqlite3 process time of each question; the ratio to the in-process time is printed
/// too.
///
/// The store is built once and kept (`--store DIR`, default a directory under the
/// temporary directory named after the scale): observation events are written straight
/// into its log with the log writer (every indicator of the standard catalogue with every
/// combination of its breakdowns, for the nation, the six regions and the 63 provinces,
/// 27 periods a year — months, quarters, halves, the year and the cumulative runs
/// `YYYY-01..YYYY-MM` — back from 2024 as far as the scale needs, one observation in twenty
/// revised three months after its release), then projected with `ReadModel.rebuild()`. A
/// later run with the same scale reuses it; `--fresh` rebuilds it.
enum QueryBench {
    static func run(_ args: BenchArguments) throws {
        let scale = args.int("scale", default: 10)
        guard (1...200).contains(scale) else { throw BenchError("--scale must be 1...200 (millions of observations)") }
        let runs = max(5, args.int("runs", default: 7))
        let json = args.flags.contains("json")
        let directory = args.values["store"] ?? (NSTemporaryDirectory() + "almanac-bench-query-\(scale)m")
        let data = QueryBenchData(millions: scale)
        let store = try data.prepare(directory, fresh: args.flags.contains("fresh"))
        guard let path = store.readModel.current()?.path else { throw BenchError("no read model in \(directory)") }
        if args.flags.contains("build-only") {
            note("store ready: \(directory)")
            return
        }
        let sqlite3 = try shellOutput("command -v sqlite3").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !sqlite3.isEmpty else { throw BenchError("sqlite3 is not installed (tools/setup installs it)") }
        let work = directory + "/bench-query-sql"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let engine = try QueryEngine(readModelPath: path)
        let only = args.values["only"].map { Set($0.split(separator: ",").map(String.init)) }
        if args.flags.contains("explain") {
            // The SQL each question compiles to, and SQLite's plan for it.
            let plain = try Database(path: path, options: .readOnlyQueries)
            for question in QueryBenchQuestion.all where only?.contains(question.name) ?? true {
                let compiled = try engine.compile(question.almanac)
                print("-- \(question.name): \(question.almanac)\n\(compiled.explanation)\n-- plan:")
                for row in try plain.rows("EXPLAIN QUERY PLAN " + compiled.sql, arguments: compiled.parameters) {
                    print("--   " + row.map { "\($0)" }.joined(separator: " | "))
                }
                print("")
            }
            return
        }

        var results: [QueryBenchResult] = []
        for question in QueryBenchQuestion.all where only?.contains(question.name) ?? true {
            note("query \(question.name) …")
            var result = QueryBenchResult(question: question)
            // The answers first: the same rows, or the comparison means nothing.
            let answer = try engine.run(question.almanac, format: .csv)
            let script = work + "/\(question.name).sql"
            try (".timer on\n" + question.sql + "\n").write(toFile: script, atomically: true, encoding: .utf8)
            let output = work + "/\(question.name).out"
            _ = try runSQLite(sqlite3, path, script: script, output: output)
            let (reference, _) = try readSQLiteOutput(output)
            result.rows = answer.rows.count
            result.mismatch = compare(answer, reference)
            // A warm-up, then the timed runs, almanac and sqlite3 in turn so that both meet the
            // same load from whatever else the machine runs.
            var ours: [Double] = [], process: [Double] = [], inside: [Double] = []
            for run in 0...runs {
                var rows = 0
                let seconds = try measure { rows = try engine.run(question.almanac, format: .csv).rows.count }
                guard rows == result.rows else { throw BenchError("\(question.name): row count changed between runs") }
                let processSeconds = try runSQLite(sqlite3, path, script: script, output: output)
                let (_, timer) = try readSQLiteOutput(output)
                if run > 0 {
                    ours.append(seconds)
                    process.append(processSeconds)
                    inside.append(timer ?? .nan)
                }
            }
            if ProcessInfo.processInfo.environment["ALMANAC_BENCH_BREAKDOWN"] != nil {
                // Where almanac's time goes: parse + check + compile, then the statement.
                var compile: [Double] = [], statement: [Double] = [], execute: [Double] = []
                let executor = QueryExecutor(database: engine.database)
                for _ in 0..<runs {
                    var compiled: CompiledQuery?
                    compile.append(try measure { compiled = try engine.compile(question.almanac) })
                    statement.append(try measure { _ = try engine.database.rows(compiled!.sql, arguments: compiled!.parameters, limits: QueryLimits()) })
                    execute.append(try measure { _ = try executor.execute(compiled!, format: .csv) })
                }
                result.breakdown = (median(compile), median(statement), median(execute))
            }
            result.almanac = median(ours)
            result.sqliteProcess = median(process)
            result.sqliteInside = median(inside)
            results.append(result)
        }

        var duckdbNote = ""
        if let script = duckdbScript(args), (try? shellOutput("python3 -c 'import duckdb' 2>/dev/null && echo yes")) == "yes\n" {
            let export = try exportForDuckDB(sqlite3, path, directory: directory)
            note("duckdb over the CSV export …")
            let names = results.map(\.question.name).joined(separator: ",")
            let output = try shellOutput("python3 \(quote(script)) --export \(quote(export)) --runs \(runs) --only \(names)")
            let parsed = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] ?? [:]
            for entry in parsed["queries"] as? [[String: Any]] ?? [] {
                guard let name = entry["name"] as? String, let index = results.firstIndex(where: { $0.question.name == name }) else { continue }
                results[index].duckdb = (entry["median_seconds"] as? Double) ?? .nan
                results[index].duckdbRows = (entry["rows"] as? Int) ?? -1
            }
            let load = (parsed["loaded_now"] as? Bool) == true
                ? "tables loaded from the CSV export in \(String(format: "%.1f", parsed["load_seconds"] as? Double ?? .nan)) s (not counted)"
                : "tables from the database loaded earlier from the CSV export"
            duckdbNote = "duckdb \(parsed["duckdb_version"] as? String ?? "?") in python3 (\(parsed["threads"].map { "\($0)" } ?? "?") threads), \(load)"
        } else {
            duckdbNote = "duckdb: not measured (needs python3 with the duckdb module: pip install duckdb)"
        }
        let counts = try storeCounts(path)
        report(results, data: data, counts: counts, runs: runs, sqlite3: try shellOutput("\(quote(sqlite3)) -version"),
               duckdb: duckdbNote, json: json)
    }

    // MARK: - Running sqlite3

    /// Runs `sqlite3 -readonly -csv DB < script > output` as its own process and returns its
    /// wall-clock seconds, start-up included.
    static func runSQLite(_ sqlite3: String, _ database: String, script: String, output: String) throws -> Double {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, script, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = [sqlite3, "-readonly", "-csv", database]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        var status: Int32 = 0
        let seconds = try measure {
            let rc = posix_spawn(&pid, sqlite3, &actions, nil, &cArgs, environ)
            guard rc == 0 else { throw BenchError("cannot start sqlite3: \(String(cString: strerror(rc)))") }
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        guard status == 0 else { throw BenchError("sqlite3 failed (status \(status)) on \(script); see \(output)") }
        return seconds
    }

    /// The CSV rows sqlite3 printed and the `real` time of its `.timer` line.
    static func readSQLiteOutput(_ path: String) throws -> (rows: [[String]], seconds: Double?) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var rows: [[String]] = []
        var seconds: Double?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            if line.hasPrefix("Run Time: real ") {
                seconds = Double(line.dropFirst("Run Time: real ".count).prefix { $0 != " " })
                continue
            }
            rows.append(csvCells(line.hasSuffix("\r") ? line.dropLast() : line))
        }
        return (rows, seconds)
    }

    /// The cells of one CSV line (no line breaks inside cells in these answers).
    static func csvCells(_ line: Substring) -> [String] {
        var cells: [String] = [], cell = "", quoted = false, previousQuote = false
        for c in line {
            if quoted {
                if c == "\"" { quoted = false; previousQuote = true } else { cell.append(c) }
                continue
            }
            if c == "\"" {
                if previousQuote { cell.append("\"") }
                quoted = true
            } else if c == "," {
                cells.append(cell); cell = ""
            } else {
                cell.append(c)
            }
            previousQuote = false
        }
        cells.append(cell)
        return cells
    }

    /// Nil when almanac's rows equal sqlite3's (numbers within the rounding almanac shows
    /// computed values with), else what differs first.
    static func compare(_ answer: QueryResult, _ reference: [[String]]) -> String? {
        guard answer.rows.count == reference.count else { return "\(answer.rows.count) rows vs \(reference.count)" }
        for (index, (row, other)) in zip(answer.rows, reference).enumerated() {
            guard row.count == other.count else { return "row \(index + 1): \(row.count) columns vs \(other.count)" }
            for (column, (cell, text)) in zip(answer.columns, zip(row, other)) {
                let mine = cell.description
                if mine == text { continue }
                if let a = Double(mine), let b = Double(text), abs(a - b) <= max(0.0051, abs(b) * 0.005) { continue }
                return "row \(index + 1), \(column.name): \(mine) vs \(text)"
            }
        }
        return nil
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    static func note(_ s: String) { FileHandle.standardError.write(Data("almanac-bench: \(s)\n".utf8)) }

    static func storeCounts(_ path: String) throws -> (observations: Int, versions: Int, series: Int, bytes: Int) {
        let db = try Database(path: path, options: .readOnlyQueries)
        func count(_ table: String) throws -> Int {
            guard case .integer(let n)? = try db.firstValue("SELECT count(*) FROM \(table)") else { return -1 }
            return Int(n)
        }
        return (try count("observations"), try count("observation_versions"), try count("series"), IngestBench.fileBytes(path))
    }

    // MARK: - DuckDB

    static func duckdbScript(_ args: BenchArguments) -> String? {
        let path = args.values["duckdb-script"] ?? "tools/bench-query-duckdb.py"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// CSV files of the tables the questions read (series with one column per breakdown
    /// dimension), written by `sqlite3 -csv` from the read model once per store.
    static func exportForDuckDB(_ sqlite3: String, _ database: String, directory: String) throws -> String {
        let export = directory + "/export"
        let done = export + "/DONE"
        let stamp = database
        if (try? String(contentsOfFile: done, encoding: .utf8)) == stamp { return export }
        note("exporting the read model to CSV for duckdb (once per store) …")
        try? FileManager.default.removeItem(atPath: export)
        try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true)
        let dimensions = ["group", "base", "measure", "item", "source", "sector", "price"]
        let tables: [(String, String)] = [
            ("regions", "SELECT code, name, level, parent FROM regions"),
            ("indicators", "SELECT code, aggregation, additive FROM indicators"),
            ("series", "SELECT id, indicator, region, dims, "
                + dimensions.map { "json_extract(dims_json, '$.\($0)') AS \"\($0)\"" }.joined(separator: ", ") + " FROM series"),
            ("observations", "SELECT series_id, period, first_month, last_month, value, value_num, unit, status, known_from FROM observations"),
            ("observation_versions", "SELECT series_id, period, first_month, last_month, seq_from, seq_to, kind, value, value_num, unit, status, known_from, known_to FROM observation_versions"),
        ]
        for (name, sql) in tables {
            _ = try timeShell("\(quote(sqlite3)) -readonly -csv -header \(quote(database)) \(quote(sql)) > \(quote(export + "/" + name + ".csv"))")
        }
        try stamp.write(toFile: done, atomically: true, encoding: .utf8)
        return export
    }

    // MARK: - Report

    static func report(_ results: [QueryBenchResult], data: QueryBenchData,
                       counts: (observations: Int, versions: Int, series: Int, bytes: Int), runs: Int,
                       sqlite3: String, duckdb: String, json: Bool) {
        let target = 1.2
        let version = sqlite3.split(separator: " ").first.map(String.init) ?? "?"
        if json {
            func number(_ v: Double) -> String { v.isFinite ? String(round3(v * 1000) ) : "null" }
            let rows = results.map { r in
                "{\"name\":\"\(r.question.name)\",\"rows\":\(r.rows),\"almanac_ms\":\(number(r.almanac)),"
                    + "\"sqlite3_process_ms\":\(number(r.sqliteProcess)),\"sqlite3_inprocess_ms\":\(number(r.sqliteInside)),"
                    + "\"ratio_vs_process\":\(round3(r.almanac / r.sqliteProcess)),\"ratio_vs_inprocess\":\(round3(r.almanac / r.sqliteInside)),"
                    + "\"met\":\(r.almanac / r.sqliteProcess <= target),\"same_rows\":\(r.mismatch == nil),"
                    + "\"duckdb_ms\":\(number(r.duckdb)),\"duckdb_rows\":\(r.duckdbRows)}"
            }
            print("{\"benchmark\":\"query\",\"observations\":\(counts.observations),\"versions\":\(counts.versions),"
                  + "\"series\":\(counts.series),\"read_model_bytes\":\(counts.bytes),\"runs\":\(runs),\"target\":\(target),"
                  + "\"sqlite_version\":\"\(version)\",\"queries\":[" + rows.joined(separator: ",") + "]}")
            return
        }
        print("query benchmark: \(counts.observations) observations (\(counts.versions) versions, \(counts.series) series, years \(data.years.lowerBound)–\(data.years.upperBound)), read model \(counts.bytes / 1_048_576) MiB")
        print("median of \(runs) runs after a warm-up, milliseconds; ratio = almanac ÷ sqlite3; target ≤ \(target)x the sqlite3 process")
        print("")
        print(pad("query", 14) + lpad("rows", 7) + lpad("almanac", 10) + lpad("sqlite3", 10) + lpad("(in-proc)", 11)
              + lpad("ratio", 8) + lpad("(in-proc)", 11) + lpad("duckdb", 10) + "  target")
        for r in results {
            let ratio = r.almanac / r.sqliteProcess
            let verdict = r.mismatch.map { "ROWS DIFFER: \($0)" } ?? (ratio <= target ? "met" : "NOT met")
            print(pad(r.question.name, 14) + lpad(String(r.rows), 7) + lpad(ms(r.almanac), 10) + lpad(ms(r.sqliteProcess), 10)
                  + lpad(ms(r.sqliteInside), 11) + lpad(String(format: "%.2fx", ratio), 8)
                  + lpad(String(format: "%.2fx", r.almanac / r.sqliteInside), 11) + lpad(ms(r.duckdb), 10) + "  " + verdict)
        }
        print("")
        for r in results {
            guard let b = r.breakdown else { continue }
            print(pad(r.question.name, 14) + "breakdown: compile \(ms(b.compile)) ms, statement \(ms(b.statement)) ms, statement + rows + CSV \(ms(b.execute)) ms")
        }
        print("")
        for r in results { print(pad(r.question.name, 14) + r.question.almanac) }
        print("")
        print("sqlite3 \(version) CLI: -readonly -csv, one process per run, output to a file; (in-proc) is its .timer real time")
        print(duckdb)
    }

    static func ms(_ seconds: Double) -> String { seconds.isFinite ? String(format: "%.1f", seconds * 1000) : "–" }
}

/// One question's figures.
struct QueryBenchResult {
    var question: QueryBenchQuestion
    var rows = 0
    var mismatch: String?
    var almanac = Double.nan
    var sqliteProcess = Double.nan
    var sqliteInside = Double.nan
    var duckdb = Double.nan
    var duckdbRows = -1
    /// With ALMANAC_BENCH_BREAKDOWN: almanac's compile and execute times.
    var breakdown: (compile: Double, statement: Double, execute: Double)?
}

/// A reference question: the query in the pipeline language and the SQL an expert would
/// write by hand for the read-model schema (docs/read-models.md) to get the same rows,
/// in the same order, with the same columns.
struct QueryBenchQuestion {
    var name: String
    var almanac: String
    var sql: String

    /// The columns every row read by `from` starts with, for the hand-written SQL.
    static let lead = "s.indicator, s.region, r.name, r.level"
    static let tail = "o.period, o.value, o.unit, o.status, o.known_from"
    static let rows = "FROM series s JOIN regions r ON r.code = s.region JOIN observations o ON o.series_id = s.id"

    static let all: [QueryBenchQuestion] = [
        QueryBenchQuestion(
            name: "series",
            almanac: #"from budget.revenue(measure = "actual", item = "total") | where region = "Thai Nguyen""#,
            sql: """
                SELECT \(lead), 'actual', 'total', \(tail) \(rows)
                WHERE s.indicator = 'budget.revenue' AND s.dims = 'item=total;measure=actual' AND s.region IN ('19', '19N')
                ORDER BY s.region, o.first_month, o.last_month;
                """),
        QueryBenchQuestion(
            name: "growth-yoy",
            almanac: #"from cpi.index(group = "general", base = "base_2019") | during 2024-01..2024-12 | growth yoy"#,
            sql: """
                SELECT \(lead), 'general', 'base_2019', o.period, (o.value_num / p.value_num - 1) * 100, 'percent',
                    o.status, o.known_from
                \(rows) AND o.period >= '2024' AND o.period < '2025'
                LEFT JOIN observations p ON p.series_id = s.id AND p.period >= '2023' AND p.period < '2024'
                    AND p.first_month = o.first_month - 12 AND p.last_month = o.last_month - 12
                WHERE s.indicator = 'cpi.index' AND s.dims = 'base=base_2019;group=general'
                ORDER BY s.region, o.first_month, o.last_month;
                """),
        QueryBenchQuestion(
            name: "ytd",
            almanac: #"from budget.revenue(measure = "actual", item = "total") | during 2024 | ytd"#,
            sql: """
                SELECT \(lead), 'actual', 'total', o.period,
                    CASE WHEN o.last_month - o.first_month IN (0, 2, 5, 11)
                        AND count(*) OVER w = o.first_month % 12 / (o.last_month - o.first_month + 1) + 1
                        THEN sum(o.value_num) OVER w END,
                    o.unit, o.status, o.known_from
                \(rows) AND o.period >= '2024' AND o.period < '2025'
                WHERE s.indicator = 'budget.revenue' AND s.dims = 'item=total;measure=actual'
                WINDOW w AS (PARTITION BY s.id, o.last_month - o.first_month ORDER BY o.first_month)
                ORDER BY s.region, o.first_month, o.last_month;
                """),
        QueryBenchQuestion(
            name: "rank-region",
            almanac: #"from budget.revenue(measure = "actual", item = "total") | where region within "NMM" | during 2024-H1 | convert half | rank"#,
            sql: """
                SELECT \(lead), 'actual', 'total', \(tail), rank() OVER (ORDER BY o.value_num DESC)
                \(rows) AND o.period = '2024-H1'
                WHERE s.indicator = 'budget.revenue' AND s.dims = 'item=total;measure=actual' AND r.parent = 'NMM'
                ORDER BY s.region;
                """),
        QueryBenchQuestion(
            name: "share",
            almanac: #"from budget.expenditure(measure = "actual", item = "total") | during 2023 | convert annual | share"#,
            sql: """
                SELECT \(lead), 'actual', 'total', \(tail),
                    CASE WHEN r.level = 'province'
                        THEN o.value_num * 100 / sum(CASE WHEN r.level = 'province' THEN o.value_num END) OVER () END
                \(rows) AND o.period = '2023'
                WHERE s.indicator = 'budget.expenditure' AND s.dims = 'item=total;measure=actual'
                ORDER BY s.region;
                """),
        QueryBenchQuestion(
            name: "convert",
            almanac: #"from budget.expenditure(measure = "actual") | during 2023..2024 | convert quarterly"#,
            sql: """
                SELECT \(lead), 'actual', json_extract(s.dims_json, '$.item') AS item, \(tail)
                \(rows) AND o.period >= '2023' AND o.period < '2025' AND o.last_month - o.first_month = 2
                WHERE s.indicator = 'budget.expenditure' AND s.dims LIKE '%;measure=actual'
                ORDER BY s.region, item, o.first_month;
                """),
        QueryBenchQuestion(
            name: "group-sum",
            almanac: #"from budget.revenue(measure = "actual") | during 2024 | group by item"#,
            sql: """
                SELECT json_extract(s.dims_json, '$.item') AS item, o.period, sum(o.value_num), 'bn_vnd'
                \(rows) AND o.period >= '2024' AND o.period < '2025'
                WHERE s.indicator = 'budget.revenue' AND s.dims LIKE '%;measure=actual' AND r.level = 'province'
                GROUP BY item, o.first_month, o.last_month
                ORDER BY item, o.first_month, o.last_month;
                """),
        QueryBenchQuestion(
            name: "asof-vs",
            almanac: #"from gdp.grdp_growth(sector = "total", price = "constant_2010") | during 2023 | asof 2023-06-30 vs latest"#,
            sql: """
                SELECT \(lead), 'total', 'constant_2010', o.period, a.value, COALESCE(a.unit, o.unit), COALESCE(a.status, o.status),
                    COALESCE(a.known_from, o.known_from), o.value, o.value_num - a.value_num
                \(rows) AND o.period >= '2023' AND o.period < '2024'
                LEFT JOIN observation_versions a ON a.series_id = s.id AND a.period = o.period AND a.kind <> 'retracted'
                    AND a.known_from < '2023-07-01' AND (a.known_to IS NULL OR a.known_to >= '2023-07-01')
                WHERE s.indicator = 'gdp.grdp_growth' AND s.dims = 'price=constant_2010;sector=total'
                ORDER BY s.region, o.first_month, o.last_month;
                """),
        QueryBenchQuestion(
            name: "top-10",
            almanac: #"from gdp.grdp(sector = "total", price = "current") | during 2024 | convert annual | sort -value | take 10"#,
            sql: """
                SELECT \(lead), 'total', 'current', \(tail)
                \(rows) AND o.period = '2024'
                WHERE s.indicator = 'gdp.grdp' AND s.dims = 'price=current;sector=total'
                ORDER BY o.value_num DESC, s.region LIMIT 10;
                """),
        QueryBenchQuestion(
            name: "wide-scan",
            almanac: #"from budget.revenue(measure = "actual") | during 2000..2024 | convert annual | group by item over period"#,
            sql: """
                SELECT json_extract(s.dims_json, '$.item') AS item, sum(o.value_num), 'bn_vnd'
                \(rows) AND o.period >= '2000' AND o.period < '2025' AND o.last_month - o.first_month = 11
                WHERE s.indicator = 'budget.revenue' AND s.dims LIKE '%;measure=actual' AND r.level = 'province'
                GROUP BY item ORDER BY item;
                """),
    ]
}

/// The synthetic store of the query benchmark, and its building.
struct QueryBenchData {
    /// Bump when the generated events change, so kept stores are rebuilt.
    static let version = 1
    static let lastYear = 2024
    static let eventsPerBatch = 10_000
    static let clockMs: Int64 = 1_735_689_600_000  // 2025-01-01T00:00:00Z

    enum Kind { case flow(decimals: Int), index, rate }

    struct Combo {
        var indicator: String
        var unit: String
        var dims: [(name: String, value: String)]
        var kind: Kind
        var weight: Double
        var releaseDay: Int
    }

    /// One of the 27 periods of a year: months, quarters, halves, the year, cumulative runs.
    struct YearPeriod { var first: Int; var last: Int }

    let combos: [Combo]
    /// Province codes, and the index in `regions` of each one's socio-economic region.
    let provinces: [(code: String, parent: Int)]
    let regions: [String]
    let years: ClosedRange<Int>
    let periods: [YearPeriod]

    init(millions: Int) {
        var combos: [Combo] = []
        for d in IndicatorCatalogue.standard.indicators {
            var product: [[(name: String, value: String)]] = [[]]
            for dimension in d.dimensions {
                product = product.flatMap { prefix in dimension.values.map { prefix + [(dimension.name, $0.code)] } }
            }
            let kind: Kind = d.unit == "index" ? .index : d.unit == "percent" ? .rate
                : .flow(decimals: d.unit == "count" ? 0 : d.unit == "mn_usd" ? 2 : 1)
            let releaseDay = d.family == "budget" ? 6 : d.family == "gdp" ? 15 : 28
            for (n, dims) in product.enumerated() {
                let total = dims.allSatisfy { $0.value == "total" || $0.name == "measure" || $0.name == "price" }
                let weight = total ? 1.0 : 0.05 + Double(QueryBenchData.mix(UInt64(n) &+ 77) % 40) / 100
                combos.append(Combo(indicator: d.code, unit: d.unit, dims: dims.sorted { $0.name < $1.name }, kind: kind,
                                    weight: d.family == "investment" ? weight / 20 : weight, releaseDay: releaseDay))
            }
        }
        self.combos = combos
        let catalogue = RegionCatalogue.standard
        regions = catalogue.regions.filter { $0.level == .region }.map(\.code)
        let regionIndex = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1, $0) })
        provinces = catalogue.regions.filter { $0.level == .province && $0.validTo != nil }
            .map { ($0.code, regionIndex[$0.parentCode ?? ""] ?? 0) }
        var periods: [YearPeriod] = (1...12).map { YearPeriod(first: $0, last: $0) }
        periods += (1...4).map { YearPeriod(first: $0 * 3 - 2, last: $0 * 3) }
        periods += [YearPeriod(first: 1, last: 6), YearPeriod(first: 7, last: 12), YearPeriod(first: 1, last: 12)]
        periods += [2, 4, 5, 7, 8, 9, 10, 11].map { YearPeriod(first: 1, last: $0) }
        self.periods = periods
        let perYear = combos.count * (provinces.count + regions.count + 1) * periods.count
        let count = (millions * 1_000_000 + perYear - 1) / perYear
        years = (QueryBenchData.lastYear - count + 1)...QueryBenchData.lastYear
    }

    var observations: Int { combos.count * (provinces.count + regions.count + 1) * periods.count * years.count }

    static func mix(_ v: UInt64) -> UInt64 {
        var x = v &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 31
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 29
        return x
    }

    static func unit(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
        Double(mix(UInt64(a) << 48 ^ UInt64(b) << 32 ^ UInt64(c) << 16 ^ UInt64(d)) % 10_000) / 10_000
    }

    /// The store in `directory`, built unless a store of this scale and version is there.
    func prepare(_ directory: String, fresh: Bool) throws -> Store {
        let marker = directory + "/bench-query.json"
        let stamp = "{\"version\":\(QueryBenchData.version),\"years\":\"\(years.lowerBound)-\(years.upperBound)\",\"observations\":\(observations)}"
        let store = Store(path: directory + "/store")
        store.durability = .none
        store.clock = { QueryBenchData.clockMs }
        if !fresh, (try? String(contentsOfFile: marker, encoding: .utf8)) == stamp, store.readModel.current() != nil {
            QueryBench.note("reusing the store in \(directory)")
            _ = try store.readModel.openCaughtUp()
            return store
        }
        QueryBench.note("building a store of \(observations) observations in \(directory) (once; kept for later runs)")
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try store.initialize()
        var options = LogOptions()
        options.durability = .none
        options.clock = { QueryBenchData.clockMs }
        let writer = try LogWriter(path: store.layout.log, options: options)
        var pending: [ObservationEvent] = []
        pending.reserveCapacity(QueryBenchData.eventsPerBatch)
        func flush() throws {
            guard !pending.isEmpty else { return }
            let submission = writer.nextSequence
            try writer.append { enc in
                for var e in pending {
                    e.submission = submission
                    enc.add(type: e.type.rawValue) { e.write(to: $0) }
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
        let seconds = try measure {
            for year in years {
                var revisions: [ObservationEvent] = []
                try events(of: year) { event, revise in
                    pending.append(event)
                    if pending.count == QueryBenchData.eventsPerBatch { try flush() }
                    if let revise { revisions.append(revise) }
                }
                for r in revisions {
                    pending.append(r)
                    if pending.count == QueryBenchData.eventsPerBatch { try flush() }
                }
                try flush()
            }
            try writer.close()
        }
        QueryBench.note(String(format: "log written in %.1f s; projecting …", seconds))
        let projection = try measure { _ = try store.readModel.rebuild() }
        QueryBench.note(String(format: "read model built in %.1f s", projection))
        try stamp.write(toFile: marker, atomically: true, encoding: .utf8)
        return store
    }

    /// Every observation of `year`, in order of indicator combination, region and period;
    /// with each one chosen for revision, its revision too.
    func events(of year: Int, _ body: (ObservationEvent, ObservationEvent?) throws -> Void) throws {
        let regionCount = provinces.count + regions.count + 1
        var months = [[Int64]](repeating: [Int64](repeating: 0, count: 12), count: regionCount)
        let status = year >= QueryBenchData.lastYear - 1 ? "preliminary" : "final"
        for (c, combo) in combos.enumerated() {
            // Provinces' months, then each region's and the nation's, summed (flows) or
            // averaged (indices) from them.
            for row in months.indices { for m in 0..<12 { months[row][m] = 0 } }
            for (p, province) in provinces.enumerated() {
                let size = province.code == "79" || province.code == "01" ? 40.0 : 1 + Double(QueryBenchData.mix(UInt64(p) &+ 5) % 300) / 30
                for m in 0..<12 {
                    let noise = QueryBenchData.unit(c, p, year, m)
                    let v: Int64
                    switch combo.kind {
                    case .flow(let decimals):
                        let season = 0.8 + 0.4 * Double(m) / 11
                        let scale = pow(10, Double(decimals)) * (decimals == 0 ? 2 : 100)
                        v = Int64((size * combo.weight * pow(1.06, Double(year - 1990)) * season * (0.85 + 0.3 * noise) * scale).rounded())
                    case .index:
                        let monthsFrom2019 = Double((year - 2019) * 12 + m)
                        v = Int64((10_000 * pow(1 + 0.002 + combo.weight / 200, monthsFrom2019) * (0.99 + 0.02 * noise)).rounded())
                    case .rate:
                        v = 200 + Int64(noise * 800)
                    }
                    months[p][m] = v
                    let parent = provinces.count + province.parent
                    months[parent][m] += v
                    months[regionCount - 1][m] += v
                }
            }
            if case .index = combo.kind {
                var members = [Int64](repeating: 0, count: regions.count)
                for province in provinces { members[province.parent] += 1 }
                for r in 0..<regions.count { for m in 0..<12 { months[provinces.count + r][m] /= max(1, members[r]) } }
                for m in 0..<12 { months[regionCount - 1][m] /= Int64(provinces.count) }
            }
            for row in 0..<regionCount {
                let code = row < provinces.count ? provinces[row].code : row < regionCount - 1 ? regions[row - provinces.count] : "VN"
                for (n, period) in periods.enumerated() {
                    let units: Int64
                    var decimals = 2
                    switch combo.kind {
                    case .flow(let d):
                        decimals = d
                        units = months[row][(period.first - 1)...(period.last - 1)].reduce(0, +)
                    case .index:
                        let sum = months[row][(period.first - 1)...(period.last - 1)].reduce(0, +)
                        units = (sum + Int64(period.last - period.first + 1) / 2) / Int64(period.last - period.first + 1)
                    case .rate:
                        units = period.first == period.last ? months[row][period.first - 1]
                            : 200 + Int64(QueryBenchData.unit(c, row, year, 100 + n) * 800)
                    }
                    let text = Period.months(year, period.first, period.last)!.description
                    let release = QueryBenchData.release(year, period.last, day: combo.releaseDay, monthsLater: 1)
                    let value = QueryBenchData.decimal(units, decimals)
                    let event = ObservationEvent(kind: .reported, submission: 0, indicator: combo.indicator, region: code,
                                                 period: text, dims: combo.dims, value: value, unit: combo.unit, status: status,
                                                 releaseDate: release)
                    var revision: ObservationEvent?
                    if QueryBenchData.mix(UInt64(c) << 40 ^ UInt64(row) << 24 ^ UInt64(year) << 8 ^ UInt64(n)) % 20 == 0 {
                        let revised = units + max(1, units / 50) * (units % 2 == 0 ? 1 : -1)
                        revision = ObservationEvent(kind: .revised, submission: 0, indicator: combo.indicator, region: code,
                                                    period: text, dims: combo.dims, value: QueryBenchData.decimal(revised, decimals),
                                                    unit: combo.unit, status: "revised",
                                                    releaseDate: QueryBenchData.release(year, period.last, day: combo.releaseDay, monthsLater: 4),
                                                    previousValue: value, previousStatus: status)
                    }
                    try body(event, revision)
                }
            }
        }
    }

    /// `units` with `decimals` decimal places, as text.
    static func decimal(_ units: Int64, _ decimals: Int) -> String {
        guard decimals > 0 else { return String(units) }
        var p: Int64 = 1
        for _ in 0..<decimals { p *= 10 }
        let sign = units < 0 ? "-" : ""
        let a = abs(units)
        let fraction = String(a % p)
        return sign + String(a / p) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// Day `day` of the month `monthsLater` months after `year`-`month`, `YYYY-MM-DD`.
    static func release(_ year: Int, _ month: Int, day: Int, monthsLater: Int) -> String {
        let ordinal = year * 12 + month - 1 + monthsLater
        return pad(ordinal / 12, 4) + "-" + pad(ordinal % 12 + 1, 2) + "-" + pad(day, 2)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
