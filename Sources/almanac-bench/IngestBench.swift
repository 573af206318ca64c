import AlmanacDomain
import AlmanacIngest
import AlmanacLog
import AlmanacStore
import Foundation
import Glibc

/// `tools/bench ingest`: durable ingest of one native CSV of N valid observations into a
/// fresh store (read → validate → diff → events → log with fsync → read model), beside
/// `sqlite3`'s `.import` of the same file in the same run (DESIGN.md §9). Two figures from
/// the one ingest: the time until the events are durable in the log (target 1.0x), and the
/// whole ingest with the projection into the read model (target 0.5x). Also bytes per
/// observation in the log vs `zstd -19` of the source CSV. ALMANAC_BENCH_BREAKDOWN=1 adds
/// the wall and CPU time of each ingest stage.
enum IngestBench {
    static func run(_ args: BenchArguments) throws {
        let rows = args.int("rows", default: 1_000_000)
        let json = args.flags.contains("json")
        guard rows > 0 else { throw BenchError("--rows must be positive") }
        let keep = args.values["store"] != nil
        let work = args.values["store"] ?? (NSTemporaryDirectory() + "almanac-bench-ingest-\(getpid())")
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: work) } }

        // The source file (not timed).
        let csv = work + "/observations.csv"
        let csvBytes = try NativeCSVFile.write(rows: rows, to: csv)

        // Each repetition: a fresh store and our ingest, then sqlite3's .import into a fresh
        // file, one after the other, so that both meet the same load. The machine's speed
        // drifts between seconds (the .import alone has taken 2.6 s and 4.4 s in runs
        // minutes apart), so each ratio is the median of the repetitions' own ratios.
        let repeats = max(1, args.int("repeat", default: 3))
        var runs: [(durable: Double, ingest: Double, reference: Double)] = []
        var setupSeconds = 0.0, logBytes = 0, modelBytes = 0
        var store: Store!
        var stages = StageTimes()
        for k in 1...repeats {
            if k > 1 { try? FileManager.default.removeItem(atPath: work + "/store-\(k - 1)") }
            // A fresh store: init + agency (timed apart, reported as an extra).
            store = Store(path: work + "/store-\(k)")
            store.durability = .everyBatch
            setupSeconds = try measure {
                try store.initialize()
                try store.registerAgency(try Agency(id: "gso", name: "General Statistics Office"))
            }
            let logBytesBefore = directoryBytes(store.layout.log)

            // Ours: the whole ingest, durable, with the time of each stage.
            stages = StageTimes()
            let observer = stages
            Store.ingestStageObserver = IngestStageObserver { stage, seconds, cpu in observer.add(stage, seconds, cpu: cpu) }
            defer { Store.ingestStageObserver = nil }
            var outcome: IngestOutcome?
            let ingestSeconds = try measure {
                outcome = try store.ingest(IngestRequest(path: csv, agency: "gso"))
            }
            Store.ingestStageObserver = nil
            guard case .accepted(_, let counts, _, _)? = outcome else {
                throw BenchError("the benchmark file was not accepted: \(String(describing: outcome))")
            }
            guard counts.reported == rows else { throw BenchError("reported \(counts.reported) observations, expected \(rows)") }
            logBytes = directoryBytes(store.layout.log) - logBytesBefore
            modelBytes = directoryBytes(store.layout.readModelDirectory)
            // Durable events: from the start of the ingest to the end of the append's fsync
            // (copy, checks, validation, decisions, archive, append); the projection into the
            // read model (and closing it) comes after.
            let durableSeconds = [IngestStage.copy, .prepare, .validate, .decide, .archive, .append].map(stages.seconds).reduce(0, +)

            // Reference: sqlite3 CLI .import of the same CSV (one transaction, default journal).
            let sqliteDB = work + "/import-\(k).sqlite"
            let importSeconds = try timeShell("sqlite3 '\(sqliteDB)' '.mode csv' '.import \(csv) t'")
            let imported = Int(try shellOutput("sqlite3 '\(sqliteDB)' 'SELECT count(*) FROM t'").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            guard imported == rows else { throw BenchError("sqlite3 imported \(imported) rows, expected \(rows)") }
            try? FileManager.default.removeItem(atPath: sqliteDB)
            runs.append((durableSeconds, ingestSeconds, importSeconds))
        }

        // Size reference: zstd -19 of the source CSV.
        let zst = csv + ".zst"
        _ = try timeShell("zstd -19 -T2 -q -f '\(csv)' -o '\(zst)'")
        let zstBytes = fileBytes(zst)

        let durableRatios = runs.map { $0.reference / $0.durable }, endToEndRatios = runs.map { $0.reference / $0.ingest }
        func list(_ values: [Double]) -> String { values.map { String(format: "%.2f", $0) }.joined(separator: " ") }
        var extras: [(String, String)] = [
            ("repetitions (each ratio is the median of theirs)", String(repeats)),
            ("durable events ratio of each repetition", list(durableRatios)),
            ("end to end ratio of each repetition", list(endToEndRatios)),
            ("store setup (init + agency), s", String(format: "%.3f", setupSeconds)),
            ("bytes per observation in the log", String(format: "%.1f", Double(logBytes) / Double(rows))),
            ("bytes per observation, zstd -19 of the CSV", String(format: "%.1f", Double(zstBytes) / Double(rows))),
            ("bytes per observation, CSV", String(format: "%.1f", Double(csvBytes) / Double(rows))),
            ("log size / zstd -19 size", String(format: "%.2f", Double(logBytes) / Double(zstBytes))),
            ("read model bytes per observation", String(format: "%.1f", Double(modelBytes) / Double(rows))),
        ]

        if ProcessInfo.processInfo.environment["ALMANAC_BENCH_BREAKDOWN"] != nil {
            // The stages of the last repetition's ingest (the projection runs on a thread of
            // its own while the batch is appended: its wall time is the wait after the append).
            for stage in IngestStage.allCases {
                extras.append(("breakdown: ingest stage \(stage.rawValue), s (CPU s)",
                               String(format: "%.3f (%.3f)", stages.seconds(stage), stages.cpuSeconds(stage))))
            }
            extras.append(("breakdown: ingest outside the stages, s",
                           String(format: "%.3f", runs.last!.ingest - IngestStage.allCases.map(stages.seconds).reduce(0, +))))
            // Validation alone (read + parse + check every row), on the same file.
            let agency = try Agency(id: "gso", name: "General Statistics Office")
            let validator = SubmissionValidator(indicators: .standard, regions: .standard, agency: agency)
            var accepted = 0
            let validateSeconds = measure {
                let result = validator.validate(path: csv)
                accepted = result.observations.count
            }
            guard accepted == rows else { throw BenchError("validation accepted \(accepted) rows, expected \(rows)") }
            // Projection from the log: a rebuild of the read model from the log just written.
            var rebuilt = 0
            let rebuildSeconds = try measure { rebuilt = try store.readModel.rebuild().events }
            extras.append(("breakdown: validate only (again), s", String(format: "%.3f", validateSeconds)))
            extras.append(("breakdown: rebuild read model from the log (\(rebuilt) events), s", String(format: "%.3f", rebuildSeconds)))
        }

        // The rows show the median seconds of each side; the ratios, the median ratio.
        let reportRows = [
            BenchRow(name: "ingest to durable events", subject: "almanac", seconds: QueryBench.median(runs.map(\.durable)), items: rows, bytes: csvBytes),
            BenchRow(name: "ingest end to end", subject: "almanac", seconds: QueryBench.median(runs.map(\.ingest)), items: rows, bytes: csvBytes),
            BenchRow(name: ".import (one transaction)", subject: "sqlite3", seconds: QueryBench.median(runs.map(\.reference)), items: rows, bytes: csvBytes),
        ]
        let ratios = [
            BenchRatio(name: "durable events vs sqlite3 .import (observations/s)", ours: reportRows[0], reference: reportRows[2], target: 1.0,
                       measured: QueryBench.median(durableRatios)),
            BenchRatio(name: "end to end (read models) vs sqlite3 .import", ours: reportRows[1], reference: reportRows[2], target: 0.5,
                       measured: QueryBench.median(endToEndRatios)),
        ]
        printReport(title: "ingest benchmark: \(rows) observations, \(csvBytes) bytes of native CSV, \(repeats) repetition(s)",
                    rows: reportRows, ratios: ratios, extras: extras, json: json)
    }

    static func fileBytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// Total size of the regular files under `path`.
    static func directoryBytes(_ path: String) -> Int {
        guard let e = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total = 0
        while let name = e.nextObject() as? String {
            let attributes = e.fileAttributes
            if attributes?[.type] as? FileAttributeType == .typeRegular { total += (attributes?[.size] as? Int) ?? 0 }
        }
        return total
    }
}

/// Seconds per ingest stage, filled by `Store.ingestStageObserver` (which may be called
/// from any thread).
final class StageTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [IngestStage: Double] = [:]
    private var cpu: [IngestStage: Double] = [:]

    func add(_ stage: IngestStage, _ seconds: Double, cpu c: Double) {
        lock.lock(); times[stage, default: 0] += seconds; cpu[stage, default: 0] += c; lock.unlock()
    }
    func seconds(_ stage: IngestStage) -> Double { lock.lock(); defer { lock.unlock() }; return times[stage] ?? 0 }
    func cpuSeconds(_ stage: IngestStage) -> Double { lock.lock(); defer { lock.unlock() }; return cpu[stage] ?? 0 }
}

/// A native CSV (DESIGN.md §5) of N distinct, valid observations against the standard
/// catalogue: CPI by group and base, budget revenue and expenditure by measure and item,
/// FDI; for the 63 provinces; monthly, quarterly, half-yearly and annual periods of the
/// years before the 2025 merger, newest year first (a year holds about 105,000 keys).
enum NativeCSVFile {
    struct Combo {
        var indicator: String
        var unit: String
        /// group, base, measure, item (empty when the indicator has no such dimension).
        var dims: [String]
        var kind: Int
    }

    static func combos() -> [Combo] {
        let catalogue = IndicatorCatalogue.standard
        var out: [Combo] = []
        let cpi = catalogue.indicator(code: "cpi.index")!
        for g in cpi.dimension("group")!.values {
            for b in cpi.dimension("base")!.values { out.append(Combo(indicator: cpi.code, unit: cpi.unit, dims: [g.code, b.code, "", ""], kind: 0)) }
        }
        for code in ["budget.revenue", "budget.expenditure"] {
            let d = catalogue.indicator(code: code)!
            for m in d.dimension("measure")!.values {
                for i in d.dimension("item")!.values { out.append(Combo(indicator: d.code, unit: d.unit, dims: ["", "", m.code, i.code], kind: 1)) }
            }
        }
        let fdi = catalogue.indicator(code: "investment.fdi_registered")!
        out.append(Combo(indicator: fdi.code, unit: fdi.unit, dims: ["", "", "", ""], kind: 2))
        let projects = catalogue.indicator(code: "investment.fdi_projects")!
        out.append(Combo(indicator: projects.code, unit: projects.unit, dims: ["", "", "", ""], kind: 3))
        return out
    }

    /// The 19 periods of a year: 12 months, 4 quarters, 2 halves, the year.
    static func periods(of year: Int) -> [String] {
        var p: [String] = []
        for m in 1...12 { p.append(String(format: "%04d-%02d", year, m)) }
        for q in 1...4 { p.append("\(year)-Q\(q)") }
        for h in 1...2 { p.append("\(year)-H\(h)") }
        p.append(String(year))
        return p
    }

    /// Province codes valid before the merger.
    static func provinces() -> [String] {
        RegionCatalogue.standard.regions.filter { $0.level == .province && $0.validTo != nil }.map(\.code)
    }

    /// Writes the file; returns its size in bytes.
    @discardableResult
    static func write(rows: Int, to path: String) throws -> Int {
        let combos = combos()
        let regions = provinces()
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw BenchError("cannot write \(path)") }
        defer { try? handle.close() }
        var out = "indicator,region,period,group,base,measure,item,value,unit,status\n"
        out.reserveCapacity(4 << 20)
        var total = 0
        var n = 0
        var year = 2024
        outer: while true {
            for period in periods(of: year) {
                for region in regions {
                    for c in combos {
                        if n == rows { break outer }
                        out += c.indicator; out += ","; out += region; out += ","; out += period; out += ","
                        out += c.dims[0]; out += ","; out += c.dims[1]; out += ","; out += c.dims[2]; out += ","; out += c.dims[3]; out += ","
                        out += value(n, kind: c.kind); out += ","; out += c.unit; out += ","
                        out += n % 7 == 0 ? "preliminary\n" : "final\n"
                        n += 1
                        if out.utf8.count > (4 << 20) - 512 {
                            total += out.utf8.count
                            handle.write(Data(out.utf8)); out.removeAll(keepingCapacity: true)
                        }
                    }
                }
            }
            year -= 1
            guard year > 1900 else { throw BenchError("too many rows for the generator") }
        }
        total += out.utf8.count
        handle.write(Data(out.utf8))
        return total
    }

    /// A plausible decimal for the kind of indicator: CPI 80–150 with two decimals,
    /// billions of VND with one, millions of USD with two, a count of projects.
    static func value(_ i: Int, kind: Int) -> String {
        var x = UInt64(i) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 31
        switch kind {
        case 0: return "\(80 + x % 70).\(twoDigits(x >> 20))"
        case 1: return "\(1 + x % 60_000).\((x >> 24) % 10)"
        case 2: return "\(x % 5_000).\(twoDigits(x >> 20))"
        default: return "\(x % 400)"
        }
    }

    static func twoDigits(_ x: UInt64) -> String {
        let v = x % 100
        return v < 10 ? "0\(v)" : "\(v)"
    }
}
