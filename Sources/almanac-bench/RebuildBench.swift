import AlmanacDomain
import AlmanacLog
import AlmanacSQLite
import AlmanacStore
import Foundation
import Glibc

/// `tools/bench rebuild`: a store whose log holds N observation events (realistic keys, one
/// event in twenty a revision), then `ReadModel.rebuild()` (read + decompress + decode +
/// project into a new generation), beside inserting the same rows into the same schema
/// with prepared statements in the same run: no log, no decoding, rows precomputed in
/// memory before the clock starts, the statements a loader that knows the rows needs
/// (series row when new, close the open version for a revision, insert the version,
/// upsert the current value), the same transaction size, connection options and final WAL
/// checkpoint.
enum RebuildBench {
    /// Events per appended batch, and per projector transaction (ReadModel.catchUp).
    static let batch = 10_000
    static let rowsPerTransaction = 250_000
    /// The `time` of every appended batch (fixed, so the reference knows `recorded_at`).
    static let clockMs: Int64 = 1_626_076_800_000  // 2021-07-12T08:00:00Z

    static func run(_ args: BenchArguments) throws {
        let events = args.int("events", default: 5_000_000)
        let json = args.flags.contains("json")
        guard events > 0 else { throw BenchError("--events must be positive") }
        let keep = args.values["store"] != nil
        let work = args.values["store"] ?? (NSTemporaryDirectory() + "almanac-bench-rebuild-\(getpid())")
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: work) } }

        // The store and its log (not timed).
        let store = Store(path: work + "/store")
        store.durability = .none
        store.clock = { RebuildBench.clockMs }
        try store.initialize()
        let keys = ObservationKeys(events: events)
        var options = LogOptions()
        options.durability = .none
        options.clock = { RebuildBench.clockMs }
        let writer = try LogWriter(path: store.layout.log, options: options)
        let firstSeq = writer.nextSequence
        var plan = ReferencePlan(keys: keys, firstSeq: firstSeq, recordedAt: Timestamp.iso8601(ms: clockMs))
        var done = 0
        while done < events {
            let n = min(batch, events - done)
            let submission = firstSeq + UInt64(done)
            try writer.append { enc in
                for i in done..<(done + n) {
                    let e = keys.event(i, submission: submission)
                    enc.add(type: e.type.rawValue) { e.write(to: $0) }
                    plan.add(e, seq: firstSeq + UInt64(i))
                }
            }
            done += n
        }
        try writer.close()
        let logBytes = IngestBench.directoryBytes(store.layout.log)

        // Ours: replay the whole log into a new generation.
        var rebuilt = 0
        let rebuildSeconds = try measure { rebuilt = try store.readModel.rebuild().events }
        guard rebuilt >= events else { throw BenchError("rebuild applied \(rebuilt) events, expected at least \(events)") }
        let (db, _) = try store.readModel.openCaughtUp()
        let projected = try count(db, "observation_history")
        let projectedCurrent = try count(db, "observations")
        let projectedSeries = try count(db, "series")

        // Reference: the same rows, precomputed, through prepared statements.
        let referencePath = work + "/reference.sqlite"
        var phases = ReferencePlan.Phases()
        let referenceSeconds = try measure { phases = try plan.insert(into: referencePath) }
        let reference = try Database(path: referencePath, options: .init(readOnly: true, create: false, journalMode: nil))
        let referenceVersions = try count(reference, "observation_history")
        let referenceCurrent = try count(reference, "observations")
        let referenceSeries = try count(reference, "series")
        guard referenceVersions == projected, referenceCurrent == projectedCurrent, referenceSeries == projectedSeries else {
            throw BenchError("row counts differ: projector \(projected)/\(projectedCurrent)/\(projectedSeries), reference \(referenceVersions)/\(referenceCurrent)/\(referenceSeries)")
        }

        var extras: [(String, String)] = [
            ("events replayed (incl. reference data)", String(rebuilt)),
            ("series / current / versions rows", "\(projectedSeries)/\(projectedCurrent)/\(projected)"),
            ("log bytes per event", String(format: "%.1f", Double(logBytes) / Double(events))),
            ("read model bytes per event", String(format: "%.1f", Double(IngestBench.fileBytes(store.readModel.current()!.path)) / Double(events))),
        ]
        if ProcessInfo.processInfo.environment["ALMANAC_BENCH_BREAKDOWN"] != nil {
            // The projection alone: ReadModel.catchUp into a fresh file with the same schema
            // and options, no WAL checkpoint, no fsync.
            let bare = work + "/catchup.sqlite"
            var applied = 0
            let catchUpSeconds = try measure {
                let db = try Database(path: bare, options: .init(readOnly: false, create: true, journalMode: .wal, synchronous: .off))
                try db.transaction(.immediate) {
                    for statement in ReadModelSchema.statements { try db.execute(statement) }
                    try db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?), ('last_seq', '0')",
                                   arguments: [.text(String(ReadModelSchema.version))])
                }
                applied = try ReadModel.catchUp(db, logPath: store.layout.log)
            }
            for suffix in ["", "-wal", "-shm"] { unlink(bare + suffix) }
            extras.append(("breakdown: catchUp only (\(applied) events), s", String(format: "%.3f", catchUpSeconds)))
            extras.append(("breakdown: reference inserts only, s", String(format: "%.3f", phases.inserts)))
            extras.append(("breakdown: reference checkpoint + journal DELETE, s", String(format: "%.3f", phases.checkpoint)))
            extras.append(("breakdown: reference fsync, s", String(format: "%.3f", phases.fsync)))
        }

        let rows = [
            BenchRow(name: "rebuild (log → read model)", subject: "almanac", seconds: rebuildSeconds, items: rebuilt, bytes: logBytes),
            BenchRow(name: "prepared INSERTs", subject: "sqlite (same rows)", seconds: referenceSeconds, items: rebuilt, bytes: logBytes),
        ]
        let ratios = [
            BenchRatio(name: "rebuild vs prepared inserts (events/s)", ours: rows[0], reference: rows[1], target: 0.8),
        ]
        printReport(title: "rebuild benchmark: \(events) observation events (\(plan.revisions) revisions) in batches of \(batch)",
                    rows: rows, ratios: ratios, extras: extras, json: json)
    }

    static func count(_ db: Database, _ table: String) throws -> Int {
        guard case .integer(let n)? = try db.firstValue("SELECT count(*) FROM \(table)") else { return -1 }
        return Int(n)
    }
}

/// Deterministic observation keys and events: every indicator of the standard catalogue
/// with every combination of its dimension values, for the 63 provinces, for the 19
/// periods of a year (months, quarters, halves, the year), years ascending up to 2024.
/// Event i is, in each run of 20, nineteen first reports and one revision of a key
/// reported earlier (about 5%).
struct ObservationKeys {
    struct Combo {
        var indicator: String
        var unit: String
        var dims: [(name: String, value: String)]
        var kind: Int
    }

    let combos: [Combo]
    let regions: [String]
    let firstYear: Int
    let periodsPerYear = 19

    init(events: Int) {
        var combos: [Combo] = []
        for d in IndicatorCatalogue.standard.indicators {
            var product: [[(name: String, value: String)]] = [[]]
            for dimension in d.dimensions {
                product = product.flatMap { prefix in dimension.values.map { prefix + [(dimension.name, $0.code)] } }
            }
            let kind = d.unit == "index" ? 0 : d.unit == "bn_vnd" ? 1 : d.unit == "count" ? 3 : 2
            for dims in product { combos.append(Combo(indicator: d.code, unit: d.unit, dims: dims.sorted { $0.name < $1.name }, kind: kind)) }
        }
        self.combos = combos
        regions = NativeCSVFile.provinces()
        let keys = events - events / 20 + 1
        let perYear = combos.count * regions.count * periodsPerYear
        firstYear = 2024 - (keys + perYear - 1) / perYear + 1
    }

    /// The key number of event i, and whether it is a revision.
    static func key(ofEvent i: Int) -> (key: Int, revision: Bool) {
        let r = i / 20, j = i % 20
        return j < 19 ? (r * 19 + j, false) : ((r * 19 + 7) / 2, true)
    }

    func key(_ k: Int) -> (combo: Combo, region: String, period: String) {
        let c = k % combos.count
        let rest = k / combos.count
        let region = regions[rest % regions.count]
        let p = rest / regions.count
        let year = firstYear + p / periodsPerYear
        let within = p % periodsPerYear
        let period: String
        switch within {
        case 0..<12: period = String(format: "%04d-%02d", year, within + 1)
        case 12..<16: period = "\(year)-Q\(within - 11)"
        case 16..<18: period = "\(year)-H\(within - 15)"
        default: period = String(year)
        }
        return (combos[c], region, period)
    }

    func event(_ i: Int, submission: UInt64) -> ObservationEvent {
        let (k, revision) = ObservationKeys.key(ofEvent: i)
        let (combo, region, period) = key(k)
        let reportedBy = revision ? ObservationKeys.reportingEvent(ofKey: k) : i
        let value = NativeCSVFile.value(i, kind: combo.kind)
        if revision {
            return ObservationEvent(kind: .revised, submission: submission, indicator: combo.indicator, region: region,
                                    period: period, dims: combo.dims, value: value, unit: combo.unit, status: "final",
                                    previousValue: NativeCSVFile.value(reportedBy, kind: combo.kind), previousStatus: "preliminary",
                                    previousSubmission: UInt64(reportedBy / RebuildBench.batch))
        }
        return ObservationEvent(kind: .reported, submission: submission, indicator: combo.indicator, region: region,
                                period: period, dims: combo.dims, value: value, unit: combo.unit, status: "preliminary")
    }

    /// The event that first reported key k.
    static func reportingEvent(ofKey k: Int) -> Int { (k / 19) * 20 + k % 19 }
}

/// The rows the projector writes, precomputed (outside the timed part), and their insertion
/// with prepared statements.
struct ReferencePlan {
    struct Row {
        /// Negative: a new series (its id is -seriesID), inserted before the row.
        var series: Int64
        var period: Int32
        var revision: Bool
        var seq: Int64
        var submission: Int64
        var valueNum: Double
        var value: String
        var unit: Int32
    }

    struct Series { var indicator: String; var region: String; var dims: String; var json: String }

    let keys: ObservationKeys
    let firstSeq: UInt64
    let recordedAt: String
    var rows: [Row] = []
    var series: [Series] = [Series(indicator: "", region: "", dims: "", json: "")]  // ids from 1
    var seriesIDs: [String: Int64] = [:]
    var periods: [String] = []
    var periodIndex: [String: Int32] = [:]
    var periodMonths: [(Int64, Int64)] = []
    var units: [String] = []
    var revisions = 0

    init(keys: ObservationKeys, firstSeq: UInt64, recordedAt: String) {
        self.keys = keys
        self.firstSeq = firstSeq
        self.recordedAt = recordedAt
    }

    mutating func add(_ e: ObservationEvent, seq: UInt64) {
        if rows.isEmpty { rows.reserveCapacity(1 << 20) }
        let dimsKey = e.dimsKey
        let key = e.indicator + "\u{1F}" + e.region + "\u{1F}" + dimsKey
        var id: Int64
        if let known = seriesIDs[key] {
            id = known
        } else {
            id = Int64(series.count)
            series.append(Series(indicator: e.indicator, region: e.region, dims: dimsKey,
                                 json: "{" + e.dims.map { "\"\($0.name)\":\"\($0.value)\"" }.joined(separator: ",") + "}"))
            seriesIDs[key] = id
            id = -id
        }
        var p = periodIndex[e.period]
        if p == nil {
            let parsed = try! Period.parse(e.period)
            p = Int32(periods.count)
            periods.append(e.period)
            periodIndex[e.period] = p
            periodMonths.append((Int64(ReadModelSchema.monthOrdinal(year: parsed.firstMonth.year, month: parsed.firstMonth.month)),
                                 Int64(ReadModelSchema.monthOrdinal(year: parsed.lastMonth.year, month: parsed.lastMonth.month))))
        }
        var u = units.firstIndex(of: e.unit).map(Int32.init)
        if u == nil { u = Int32(units.count); units.append(e.unit) }
        if e.kind == .revised { revisions += 1 }
        rows.append(Row(series: id, period: p!, revision: e.kind == .revised, seq: Int64(seq), submission: Int64(e.submission),
                        valueNum: Double(e.value!)!, value: e.value!, unit: u!))
    }

    /// Creates the schema in a new file and inserts every row, in transactions of the
    /// projector's size; the same connection options and final checkpoint as a rebuild.
    struct Phases { var inserts = 0.0, checkpoint = 0.0, fsync = 0.0 }

    func insert(into path: String) throws -> Phases {
        var phases = Phases()
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        do {
            let db = try Database(path: path, options: .init(readOnly: false, create: true, journalMode: .wal, synchronous: .off))
            try db.transaction(.immediate) {
                for statement in ReadModelSchema.statements { try db.execute(statement) }
            }
            // The same page cache the projector uses, so the comparison stays fair.
            try db.execute("PRAGMA cache_size = -\(ReadModel.projectionCacheKiB)")
            let insertSeries = try db.prepare("INSERT INTO series (id, indicator, region, dims, dims_json) VALUES (?, ?, ?, ?, ?)")
            let retireCurrent = try db.prepare("""
                INSERT INTO observation_history (series_id, period, first_month, last_month, seq_from, seq_to, kind, value,
                    value_num, unit, status, submission, known_from, known_to, recorded_at)
                SELECT series_id, period, first_month, last_month, seq, ?1, kind, value, value_num, unit, status, submission,
                    known_from, ?2, recorded_at
                  FROM observations WHERE series_id = ?3 AND period = ?4
                """)
            let upsertCurrent = try db.prepare("""
                INSERT OR REPLACE INTO observations (series_id, period, first_month, last_month, value, value_num, unit, status,
                    submission, seq, known_from, release_date, kind, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
                """)
            var i = 0
            phases.inserts = try measure {
            while i < rows.count {
                let end = min(rows.count, i + RebuildBench.rowsPerTransaction)
                try db.transaction(.immediate) {
                    for r in rows[i..<end] {
                        var id = r.series
                        if id < 0 {
                            id = -id
                            let s = series[Int(id)]
                            try insertSeries.bind(id, at: 1); try insertSeries.bind(s.indicator, at: 2)
                            try insertSeries.bind(s.region, at: 3); try insertSeries.bind(s.dims, at: 4); try insertSeries.bind(s.json, at: 5)
                            _ = try insertSeries.step(); insertSeries.reset()
                        }
                        let period = periods[Int(r.period)]
                        let (first, last) = periodMonths[Int(r.period)]
                        let kind = r.revision ? "revised" : "reported"
                        let status = r.revision ? "final" : "preliminary"
                        let unit = units[Int(r.unit)]
                        // A first report has no version to close (the projector skips that
                        // too when it knows the key is new); a revision moves the current
                        // row into the history, closed.
                        if r.revision {
                            try retireCurrent.bind(r.seq, at: 1); try retireCurrent.bind(recordedAt, at: 2)
                            try retireCurrent.bind(id, at: 3); try retireCurrent.bind(period, at: 4)
                            _ = try retireCurrent.step(); retireCurrent.reset()
                        }

                        try upsertCurrent.bind(id, at: 1); try upsertCurrent.bind(period, at: 2)
                        try upsertCurrent.bind(first, at: 3); try upsertCurrent.bind(last, at: 4)
                        try upsertCurrent.bind(r.value, at: 5); try upsertCurrent.bind(r.valueNum, at: 6)
                        try upsertCurrent.bind(unit, at: 7); try upsertCurrent.bind(status, at: 8)
                        try upsertCurrent.bind(r.submission, at: 9); try upsertCurrent.bind(r.seq, at: 10)
                        try upsertCurrent.bind(recordedAt, at: 11); try upsertCurrent.bind(kind, at: 12)
                        try upsertCurrent.bind(recordedAt, at: 13)
                        _ = try upsertCurrent.step(); upsertCurrent.reset()
                    }
                }
                i = end
            }
            }
            phases.checkpoint = try measure {
                _ = try db.checkpoint(truncate: true)
                try db.execute("PRAGMA journal_mode = DELETE")
            }
        }
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { throw BenchError("cannot open \(path)") }
        defer { Glibc.close(fd) }
        phases.fsync = measure { _ = fsync(fd) }
        return phases
    }
}
