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
///   text), one engine opened before the clock starts, as `almanac repl` holds one, with
///   its statement cache (the warm-up prepares each statement; `--no-statement-cache`
///   prepares it on every run, as a single `almanac query` process does);
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
        let statementCache = !args.flags.contains("no-statement-cache")
        let engine = try QueryEngine(readModelPath: path, statementCacheCapacity: statementCache ? 32 : 0)
        let only = args.values["only"].map { Set($0.split(separator: ",").map(String.init)) }
        if let files = args.values["sql"] {
            // Statements from files (`--sql a.sql,b.sql`), run in turn on the engine's
            // connection and read as almanac reads rows: for comparing plans by hand.
            let paths = files.split(separator: ",").map(String.init)
            let texts = try paths.map { try String(contentsOfFile: $0, encoding: .utf8).replacingOccurrences(of: ".timer on", with: "") }
            var times = [[Double]](repeating: [], count: texts.count)
            for round in 0...runs {
                for (index, text) in texts.enumerated() {
                    let seconds = try measure { _ = try engine.database.rows(text, limits: QueryLimits()) }
                    if round > 0 { times[index].append(seconds) }
                }
            }
            for (index, path) in paths.enumerated() {
                print(pad(path, 24) + " median \(ms(median(times[index]))) ms, min \(ms(times[index].min() ?? .nan)) ms")
            }
            return
        }
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
                var compile: [Double] = [], statement: [Double] = [], execute: [Double] = [], reference: [Double] = [], prepare: [Double] = []
                let executor = QueryExecutor(database: engine.database)
                for _ in 0..<runs {
                    // The hand-written SQL through the same connection and row reading.
                    reference.append(try measure { _ = try engine.database.rows(question.sql, limits: QueryLimits()) })
                    var compiled: CompiledQuery?
                    compile.append(try measure { compiled = try engine.compile(question.almanac) })
                    prepare.append(try measure { _ = try engine.database.prepare(compiled!.sql) })
                    statement.append(try measure { _ = try engine.database.rows(compiled!.sql, arguments: compiled!.parameters, limits: QueryLimits()) })
                    execute.append(try measure { _ = try executor.execute(compiled!, format: .csv) })
                }
                result.breakdown = (median(compile), median(prepare), median(statement), median(execute), median(reference))
            }
            result.almanac = median(ours)
            result.sqliteProcess = median(process)
            result.sqliteInside = median(inside)
            // Each almanac run beside the sqlite3 run right after it: the machine's speed
            // drifts over seconds, and the two runs of a pair meet the same drift.
            result.paired = median(zip(ours, process).map { $0 / $1 })
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
               duckdb: duckdbNote, json: json, statementCache: statementCache)
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
        let current = try count("observations")
        return (current, current + (try count("observation_history")), try count("series"), IngestBench.fileBytes(path))
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
            ("observation_history", "SELECT series_id, period, first_month, last_month, seq_from, seq_to, kind, value, value_num, unit, status, known_from, known_to FROM observation_history"),
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
                       sqlite3: String, duckdb: String, json: Bool, statementCache: Bool) {
        let target = 1.2
        let version = sqlite3.split(separator: " ").first.map(String.init) ?? "?"
        if json {
            func number(_ v: Double) -> String { v.isFinite ? String(round3(v * 1000) ) : "null" }
            let rows = results.map { r in
                "{\"name\":\"\(r.question.name)\",\"rows\":\(r.rows),\"almanac_ms\":\(number(r.almanac)),"
                    + "\"sqlite3_process_ms\":\(number(r.sqliteProcess)),\"sqlite3_inprocess_ms\":\(number(r.sqliteInside)),"
                    + "\"ratio_vs_process\":\(round3(r.almanac / r.sqliteProcess)),\"ratio_vs_inprocess\":\(round3(r.almanac / r.sqliteInside)),"
                    + "\"paired_ratio\":\(round3(r.paired)),"
                    + "\"met\":\(r.almanac / r.sqliteProcess <= target),\"same_rows\":\(r.mismatch == nil),"
                    + "\"duckdb_ms\":\(number(r.duckdb)),\"duckdb_rows\":\(r.duckdbRows)}"
            }
            print("{\"benchmark\":\"query\",\"observations\":\(counts.observations),\"versions\":\(counts.versions),"
                  + "\"series\":\(counts.series),\"read_model_bytes\":\(counts.bytes),\"runs\":\(runs),\"target\":\(target),"
                  + "\"sqlite_version\":\"\(version)\",\"statement_cache\":\(statementCache),\"queries\":[" + rows.joined(separator: ",") + "]}")
            return
        }
        print("query benchmark: \(counts.observations) observations (\(counts.versions) versions, \(counts.series) series, years \(data.years.lowerBound)–\(data.years.upperBound)), read model \(counts.bytes / 1_048_576) MiB")
        print("median of \(runs) runs after a warm-up, milliseconds; ratio = almanac ÷ sqlite3; target ≤ \(target)x the sqlite3 process")
        print("(paired): the median of the ratios of each almanac run to the sqlite3 run right after it")
        print("almanac: one engine, " + (statementCache ? "statements kept prepared between runs (as in almanac repl)"
                                                       : "every statement prepared on every run (--no-statement-cache)"))
        print("")
        print(pad("query", 14) + lpad("rows", 7) + lpad("almanac", 10) + lpad("sqlite3", 10) + lpad("(in-proc)", 11)
              + lpad("ratio", 8) + lpad("(in-proc)", 11) + lpad("(paired)", 10) + lpad("duckdb", 10) + "  target")
        for r in results {
            let ratio = r.almanac / r.sqliteProcess
            let verdict = r.mismatch.map { "ROWS DIFFER: \($0)" } ?? (ratio <= target ? "met" : "NOT met")
            print(pad(r.question.name, 14) + lpad(String(r.rows), 7) + lpad(ms(r.almanac), 10) + lpad(ms(r.sqliteProcess), 10)
                  + lpad(ms(r.sqliteInside), 11) + lpad(String(format: "%.2fx", ratio), 8)
                  + lpad(String(format: "%.2fx", r.almanac / r.sqliteInside), 11) + lpad(String(format: "%.2fx", r.paired), 10)
                  + lpad(ms(r.duckdb), 10) + "  " + verdict)
        }
        print("")
        for r in results {
            guard let b = r.breakdown else { continue }
            print(pad(r.question.name, 14) + "breakdown: compile \(ms(b.compile)) ms, SQLite's prepare \(ms(b.prepare)) ms, statement \(ms(b.statement)) ms, statement + rows + CSV \(ms(b.execute)) ms; the hand-written SQL on the same connection \(ms(b.reference)) ms")
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
    /// The median of almanac ÷ sqlite3 process over the runs, pair by pair.
    var paired = Double.nan
    var duckdb = Double.nan
    var duckdbRows = -1
    /// With ALMANAC_BENCH_BREAKDOWN: almanac's compile and execute times.
    var breakdown: (compile: Double, prepare: Double, statement: Double, execute: Double, reference: Double)?
}
