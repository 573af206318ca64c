import AlmanacDomain
import AlmanacLog
import AlmanacSQLite
@testable import AlmanacStore
import AlmanacTesting
import Foundation
import Testing

/// The projector buffers observation events, writes them sorted by key, closes versions
/// as it inserts them and skips the UPDATE for keys it knows are new; the in-process
/// projection of an ingest skips the log altogether. Each must give, table for table, what
/// applying the events one at a time in log order gives (the projector as it was first
/// written, kept here as the reference: every version in one table, from which the split
/// into current rows and history is then derived by its definition).
@Suite struct ProjectionEquivalenceTests {
    static let observationTables = ["series", "observations", "observation_history", "observation_versions"]

    /// The reference: every observation event decoded in full and applied on its own, in
    /// log order, with the original statements into a table of every version; the history
    /// is then every version that is not a current row.
    static func naiveProjection(logPath: String, into path: String) throws -> Database {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        let db = try Database(path: path, options: .init(readOnly: false, create: true, journalMode: .wal, synchronous: .off))
        try ReadModel.createSchema(db)
        try db.execute("""
            CREATE TABLE all_versions (series_id INTEGER NOT NULL, period TEXT NOT NULL, first_month INTEGER NOT NULL,
                last_month INTEGER NOT NULL, seq_from INTEGER NOT NULL, seq_to INTEGER, kind TEXT NOT NULL, value TEXT,
                value_num REAL, unit TEXT NOT NULL, status TEXT NOT NULL, submission INTEGER NOT NULL, known_from TEXT NOT NULL,
                known_to TEXT, recorded_at TEXT NOT NULL, PRIMARY KEY (series_id, period, seq_from)) WITHOUT ROWID
            """)
        let closeVersion = try db.prepare("UPDATE all_versions SET seq_to = ?, known_to = ? WHERE series_id = ? AND period = ? AND seq_to IS NULL")
        let insertVersion = try db.prepare("""
            INSERT INTO all_versions (series_id, period, first_month, last_month, seq_from, seq_to, kind, value,
                value_num, unit, status, submission, known_from, known_to, recorded_at)
            VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
            """)
        let upsert = try db.prepare("""
            INSERT OR REPLACE INTO observations (series_id, period, first_month, last_month, value, value_num, unit, status,
                submission, seq, known_from, release_date, kind, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let delete = try db.prepare("DELETE FROM observations WHERE series_id = ? AND period = ?")
        let find = try db.prepare("SELECT id FROM series WHERE indicator = ? AND region = ? AND dims = ?")
        let insertSeries = try db.prepare("INSERT INTO series (indicator, region, dims, dims_json) VALUES (?, ?, ?, ?)")
        try db.transaction(.immediate) {
            try LogReader(path: logPath).forEachEvent { e, header in
                let type: EventType
                switch e.type {
                case "ObservationReported": type = .observationReported
                case "ObservationRevised": type = .observationRevised
                case "ObservationRetracted": type = .observationRetracted
                default: return
                }
                let recordedAt = Timestamp.iso8601(ms: header.recordedAtMs)
                let o = try e.data.withUnsafeBytes { try ObservationEvent.decode(type: type, data: $0) }
                let dimsKey = o.dimsKey
                find.reset()
                try find.bind([.text(o.indicator), .text(o.region), .text(dimsKey)])
                var series: Int64
                if try find.step() {
                    series = find.int64(at: 0)
                    find.reset()
                } else {
                    find.reset()
                    let json = "{" + o.dims.map { "\"\($0.name)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
                    try insertSeries.execute([.text(o.indicator), .text(o.region), .text(dimsKey), .text(json)])
                    series = db.lastInsertRowID
                }
                let p = try Period.parse(o.period)
                let first = Int64(ReadModelSchema.monthOrdinal(year: p.firstMonth.year, month: p.firstMonth.month))
                let last = Int64(ReadModelSchema.monthOrdinal(year: p.lastMonth.year, month: p.lastMonth.month))
                let knownFrom = o.releaseDate.map { $0 + "T00:00:00.000Z" } ?? recordedAt
                let numeric: SQLValue = o.value.flatMap { Double($0) }.map { .real($0) } ?? .null
                try closeVersion.execute([.integer(Int64(e.sequence)), .text(knownFrom), .integer(series), .text(o.period)])
                let kind = o.kind == .reported ? "reported" : o.kind == .revised ? "revised" : "retracted"
                // A report without a value (hand-written payloads) reads '' in every table.
                try insertVersion.execute([.integer(series), .text(o.period), .integer(first), .integer(last), .integer(Int64(e.sequence)),
                                           .text(kind), (o.value ?? (o.kind == .retracted ? nil : "")).map { .text($0) } ?? .null, numeric, .text(o.unit), .text(o.status),
                                           .integer(Int64(o.submission)), .text(knownFrom), .text(recordedAt)])
                if o.kind == .retracted {
                    try delete.execute([.integer(series), .text(o.period)])
                } else {
                    try upsert.execute([.integer(series), .text(o.period), .integer(first), .integer(last), .text(o.value ?? ""), numeric,
                                        .text(o.unit), .text(o.status), .integer(Int64(o.submission)), .integer(Int64(e.sequence)),
                                        .text(knownFrom), o.releaseDate.map { .text($0) } ?? .null, .text(kind), .text(recordedAt)])
                }
            }
            try db.execute("""
                INSERT INTO observation_history SELECT * FROM all_versions v
                 WHERE NOT EXISTS (SELECT 1 FROM observations o WHERE o.series_id = v.series_id AND o.period = v.period AND o.seq = v.seq_from)
                """)
            try db.execute("DROP TABLE all_versions")
        }
        return db
    }

    /// A fresh model of the log through `ReadModel.catchUp` with transactions of about `size` events.
    static func catchUp(logPath: String, into path: String, eventsPerTransaction size: Int) throws -> Database {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        let db = try Database(path: path, options: .init(readOnly: false, create: true, journalMode: .wal, synchronous: .off))
        try ReadModel.createSchema(db)
        _ = try ReadModel.catchUp(db, logPath: logPath, progress: nil, eventsPerTransaction: size)
        return db
    }

    static func sameObservations(_ a: Database, _ b: Database) throws -> Bool {
        let differing = try observationTables.filter { try a.digest(tables: [$0]) != b.digest(tables: [$0]) }
        if !differing.isEmpty { print("tables that differ: \(differing)") }
        return differing.isEmpty
    }

    /// Random events on a small key space: reports, revisions, retractions of keys with
    /// and without versions, several events of one key in one batch, payloads in the
    /// writer's own form and in hand-written forms (unsorted dims, escapes, missing or
    /// repeated fields).
    static func writeRandomLog(_ store: Store, batches: Int, seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        let indicators = ["cpi.index", "budget.revenue", "gdp.grdp"]
        let regions = ["01", "19", "79"]
        let periods = ["2021", "2021-Q1", "2021-07", "2021-01..2021-09", "2020-H2"]
        let dimsChoices: [[(name: String, value: String)]] = [[], [("group", "general"), ("base", "base_2019")], [("item", "total")]]
        try store.withWriter { w in
            for b in 0..<batches {
                _ = try w.append { enc in
                    let submission = enc.firstSequence
                    let n = 1 + Int(rng.next() % 12)
                    for _ in 0..<n {
                        let kindRoll = rng.next() % 10
                        let kind: ObservationEvent.Kind = kindRoll < 5 ? .reported : kindRoll < 8 ? .revised : .retracted
                        let value: String? = kind == .retracted ? nil : "\(rng.next() % 1000).\(rng.next() % 100)"
                        let release: String? = rng.next() % 3 == 0 ? "2021-0\(1 + rng.next() % 9)-1\(rng.next() % 9)" : nil
                        let e = ObservationEvent(kind: kind, submission: submission, indicator: rng.pick(indicators), region: rng.pick(regions),
                                                 period: rng.pick(periods), dims: dimsChoices[Int(rng.next() % 3)], value: value,
                                                 unit: rng.next() % 2 == 0 ? "bn_vnd" : "index", status: rng.next() % 2 == 0 ? "final" : "preliminary",
                                                 releaseDate: release, previousValue: kind == .reported ? nil : "1", previousStatus: nil,
                                                 previousSubmission: kind == .reported ? nil : 3)
                        let type = e.type.rawValue
                        switch rng.next() % 8 {
                        case 0:
                            // Hand-written: dims unsorted, keys in another order, an escape in the value.
                            let dims = e.dims.reversed().map { "\"\($0.name)\":\"\($0.value)\"" }.joined(separator: ",")
                            let v = e.value.map { ",\"value\":\"\($0)\\u0030\"" } ?? ""
                            let json = "{\"period\":\"\(e.period)\",\"region\":\"\(e.region)\",\"indicator\":\"\(e.indicator)\",\"dims\":{\(dims)}\(v),\"submission\":\(submission),\"status\":\"\(e.status)\"}"
                            enc.add(PendingEvent(type: type, json: json))
                        case 1:
                            // No unit, no status, a null value, an unknown field.
                            let json = "{\"submission\":\(submission),\"indicator\":\"\(e.indicator)\",\"region\":\"\(e.region)\",\"period\":\"\(e.period)\",\"value\":null,\"extra\":[1,{\"a\":2}]}"
                            enc.add(PendingEvent(type: type, json: json))
                        case 2:
                            // A repeated field: the last one counts.
                            let json = "{\"submission\":\(submission),\"indicator\":\"\(e.indicator)\",\"region\":\"\(e.region)\",\"period\":\"2019\",\"period\":\"\(e.period)\",\"value\":\"7\",\"unit\":\"index\",\"status\":\"final\"}"
                            enc.add(PendingEvent(type: type, json: json))
                        default:
                            enc.add(type: type) { e.write(to: $0) }
                        }
                    }
                    if b % 5 == 0 {
                        // Something that is not an observation between them.
                        let a = try! PayloadCoding.encode(try! Agency(id: "a\(b)", name: "A \(b)"))
                        enc.add(PendingEvent(type: "AgencyRegistered", data: a))
                    }
                }
            }
        }
    }

    @Test func catchUpMatchesEventByEventApplication() throws {
        for seed in [1, 2, 3] as [UInt64] {
            let t = try TestStore(agencies: false)
            try Self.writeRandomLog(t.store, batches: seed == 3 ? 400 : 60, seed: seed)
            let reference = try Self.naiveProjection(logPath: t.store.layout.log, into: t.dir.file("naive-\(seed).sqlite"))
            for size in [1, 7, 50, 250_000] {
                let db = try Self.catchUp(logPath: t.store.layout.log, into: t.dir.file("new-\(seed)-\(size).sqlite"), eventsPerTransaction: size)
                #expect(try Self.sameObservations(db, reference), "seed \(seed), transactions of \(size)")
                let open = try db.firstValue("SELECT count(*) FROM (SELECT series_id, period FROM observation_versions WHERE seq_to IS NULL GROUP BY 1, 2 HAVING count(*) > 1)")
                #expect(open == .integer(0))
            }
            #expect(try t.store.verify().isClean)
        }
    }

    @Test func ingestsProjectInProcessAsTheLogWould() throws {
        let t = try TestStore()
        let header = "indicator,region,period,value,unit,status,release_date,action\n"
        var rows = ""
        for (i, region) in ["01", "19", "79", "31"].enumerated() {
            for m in 1...12 {
                rows += "cpi.index,\(region),2021-\(m < 10 ? "0" : "")\(m),\(100 + i).\(m),index,preliminary,2021-\(m < 10 ? "0" : "")\(m)-28,\n"
            }
            rows += "budget.revenue,\(region),2021,\(1000 + i),bn_vnd,final,,\n"
        }
        _ = try t.ingest("a.csv", header + rows)
        // Revisions, unchanged rows, retractions, and new keys of known and new series.
        _ = try t.ingest("b.csv", header + """
            cpi.index,01,2021-01,100.10,index,preliminary,2021-01-28,
            cpi.index,01,2021-02,111,index,final,2021-03-28,
            cpi.index,19,2021-03,,index,final,,retract
            budget.revenue,79,2021,,bn_vnd,final,,retract
            cpi.index,19,2022-01,99,index,final,,
            budget.expenditure,19,2021,5,bn_vnd,final,,

            """)
        // A key reported again after its retraction, and a revision of a revision.
        _ = try t.ingest("c.csv", header + """
            cpi.index,19,2021-03,98.5,index,final,2021-06-01,
            cpi.index,01,2021-02,112,index,revised,,

            """)
        // Partial mode: one bad row, the rest accepted.
        let partial = try t.store.ingest(IngestRequest(path: t.file("d.csv", header + """
            cpi.index,79,2021-05,1,index,final,,
            cpi.index,79,2021-13,1,index,final,,
            cpi.index,31,2023-01,104,index,final,,

            """), agency: "gso", acceptValidRows: true))
        #expect(partial.counts?.rejectedRows == 1)
        let (live, _) = try t.store.readModel.openCaughtUp()
        let reference = try Self.naiveProjection(logPath: t.store.layout.log, into: t.dir.file("naive.sqlite"))
        #expect(try Self.sameObservations(live, reference))
        #expect(try t.store.verify().isClean)
        let versions = try live.firstValue("SELECT count(*) FROM observation_versions WHERE series_id IN (SELECT id FROM series WHERE region = '19') AND period = '2021-03'")
        #expect(versions == .integer(3))
    }

    /// Another process projecting between two transactions of this one: what this
    /// projector knew of fresh series no longer holds, and it must close their versions.
    @Test func anotherWriterBetweenTransactionsIsNoticed() throws {
        let t = try TestStore(agencies: false)
        func batch(_ kind: ObservationEvent.Kind, _ period: String, _ value: String) throws {
            try t.store.withWriter { w in
                _ = try w.append { enc in
                    let e = ObservationEvent(kind: kind, submission: enc.firstSequence, indicator: "budget.revenue", region: "01", period: period,
                                             dims: [("item", "total"), ("measure", "actual")], value: value, unit: "bn_vnd", status: "final")
                    enc.add(type: e.type.rawValue) { e.write(to: $0) }
                }
            }
        }
        let path = t.dir.file("shared.sqlite")
        let a = try Database(path: path, options: .init(readOnly: false, create: true, journalMode: .wal, synchronous: .off))
        try ReadModel.createSchema(a)
        let b = try Database(path: path, options: .init(readOnly: false, create: false, journalMode: .wal, synchronous: .off))
        let log = t.store.layout.log
        // A projects the reference data and a first report (the series is new to A).
        try batch(.reported, "2021", "1")
        let projectorA = try Projector(db: a)
        func step(_ p: Projector, _ db: Database) throws {
            let cp = try db.transaction(.immediate) { () -> UInt64 in
                let from = try Projector.checkpoint(db)
                p.begin(checkpoint: from)
                let cursor = try LogReader(path: log).cursor(from: from + 1)
                var last = from
                while let batch = try cursor.next() { try p.apply(batch); last = batch.header.nextSequence - 1 }
                try p.flush()
                try Projector.setCheckpoint(db, last)
                return last
            }
            p.committed(through: cp)
        }
        try step(projectorA, a)
        // B projects a report of another period of that series.
        try batch(.reported, "2022", "2")
        try step(try Projector(db: b), b)
        // A projects a revision of B's key: it must close B's version.
        try batch(.revised, "2022", "3")
        try step(projectorA, a)
        let reference = try Self.naiveProjection(logPath: log, into: t.dir.file("naive.sqlite"))
        #expect(try Self.sameObservations(a, reference))
        #expect(try a.firstValue("SELECT count(*) FROM observation_versions WHERE period = '2022' AND seq_to IS NULL") == .integer(1))
    }

    @Test func sortedOrderIsStableByKey() {
        let keys: [(UInt64, UInt64)] = [(3, 1), (1, 2), (3, 0), (1, 2), (0, 5000), (1 << 40, 1), (3, 1)]
        let order = Projector.sortedOrder(keys.count) { keys[$0] }
        #expect(order == [4, 1, 3, 2, 0, 6, 5])
    }
}

/// A batch larger than the model is projected into a new generation (a copy of the model
/// plus the batch, switched to after the append), while the file is validated when it is
/// big enough (streaming); the result must be the live path's.
@Suite(.serialized) struct BulkGenerationTests {
    /// Runs `body` with the thresholds lowered so that test-sized files take those paths.
    static func withThresholds<T>(streaming: Bool, _ body: () throws -> T) rethrows -> T {
        let (bulk, stream) = (Store.bulkEventsMin, Store.streamingBytesMin)
        Store.bulkEventsMin = 10
        Store.streamingBytesMin = streaming ? 0 : Int.max
        defer { Store.bulkEventsMin = bulk; Store.streamingBytesMin = stream }
        return try body()
    }

    /// A file of 1,260 CPI observations for five provinces.
    static let smallFile: String = {
        var rows = "indicator,region,period,value,unit,status,release_date\n"
        for (i, region) in ["01", "19", "79", "31", "48"].enumerated() {
            for year in 2000...2020 {
                for m in 1...12 { rows += "cpi.index,\(region),\(year)-\(m < 10 ? "0" : "")\(m),\(100 + i).\(m),index,final,\n" }
            }
        }
        return rows
    }()

    /// 16,800 new observations, period by period as agencies send them, then 13 rows on the
    /// keys of `smallFile`: revised (odd months), unchanged (even months), one retracted.
    static let bigFile: String = {
        var big = "indicator,region,period,value,group,unit,status,action\n"
        for region in ["01", "19", "79", "31", "48", "26", "27", "22"] {
            for year in 1990...2024 {
                for m in 1...12 {
                    for group in ["food_catering", "health", "transport", "education", "other"] {
                        big += "cpi.index,\(region),\(year)-\(m < 10 ? "0" : "")\(m),1\(m).5,\(group),index,preliminary,\n"
                    }
                }
            }
        }
        for m in 1...12 { big += "cpi.index,19,2005-\(m < 10 ? "0" : "")\(m),\(m % 2 == 1 ? "99" : "101.\(m)"),general,index,final,\n" }
        big += "cpi.index,19,2006-01,,general,index,final,retract\n"
        return big
    }()

    @Test(arguments: [false, true]) func aLargeBatchMakesANewGenerationWithTheSameContent(streaming: Bool) throws {
        try Self.withThresholds(streaming: streaming) {
            let t = try TestStore()
            let generation = try #require(t.store.readModel.current()?.generation)
            _ = try t.ingest("small.csv", Self.smallFile)
            let afterSmall = try #require(t.store.readModel.current()?.generation)
            #expect(afterSmall >= generation)
            let big = Self.bigFile
            let bulk = try Store.isBulk(events: 8 * 35 * 12 * 5, model: t.store.readModel.openCaughtUp().db)
            #expect(bulk)
            let outcome = try t.ingest("big.csv", big)
            #expect(outcome.counts == IngestOutcome.Counts(rows: 8 * 35 * 12 * 5 + 13, reported: 8 * 35 * 12 * 5, revised: 6, unchanged: 6, retracted: 1))
            #expect(t.store.readModel.current()?.generation == afterSmall + (bulk ? 1 : 0))
            // Revisions of both files, through the live path of the new generation.
            _ = try t.ingest("rev.csv", "indicator,region,period,value,group,unit,status\ncpi.index,19,2001-03,99,general,index,revised\ncpi.index,19,2001-03,98,health,index,revised\n")
            let (live, _) = try t.store.readModel.openCaughtUp()
            let reference = try ProjectionEquivalenceTests.naiveProjection(logPath: t.store.layout.log, into: t.dir.file("naive.sqlite"))
            #expect(try ProjectionEquivalenceTests.sameObservations(live, reference))
            #expect(try t.store.verify().isClean)
            #expect(try live.integrityCheck() == ["ok"])
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: t.store.layout.readModelDirectory).filter { $0.contains(".ingest-") }
            #expect(leftovers.isEmpty)
        }
    }

    /// The streaming projection writes the batch's events while the file is read; the
    /// append takes them as they are. The log must be the one the append writes itself:
    /// the same stores built both ways give the same bytes out of the real `zstdcat`.
    @Test func eventsWrittenWhileStreamingAreTheAppendsOwn() throws {
        func logText(streaming: Bool) throws -> String {
            try Self.withThresholds(streaming: streaming) {
                let t = try TestStore()
                _ = try t.ingest("small.csv", Self.smallFile)
                let outcome = try t.ingest("big.csv", Self.bigFile)
                #expect(outcome.counts?.revised == 6 && outcome.counts?.retracted == 1)
                _ = try t.ingest("rev.csv", "indicator,region,period,value,group,unit,status\ncpi.index,19,2001-03,99,general,index,revised\n")
                #expect(try t.store.verify().isClean)
                let segments = try FileManager.default.contentsOfDirectory(atPath: t.store.layout.log).filter { $0.hasSuffix(".zst") }.sorted()
                #expect(!segments.isEmpty)
                let run = try Executables.run("/usr/bin/env", ["zstdcat"] + segments.map { t.store.layout.log + "/" + $0 })
                #expect(run.status == 0)
                return run.stdout
            }
        }
        let streamed = try logText(streaming: true), appended = try logText(streaming: false)
        #expect(streamed.components(separatedBy: "\n").count > 16_800)
        #expect(streamed.contains("\"type\":\"ObservationRevised\""))
        #expect(streamed == appended)
    }

    /// Streaming, then the file turns out bad (rejected whole) or has rows that contradict
    /// each other (partial mode: both left out, the streamed rows are not used as they are).
    @Test func streamedFilesThatAreRejectedOrFilteredLeaveNoTrace() throws {
        try Self.withThresholds(streaming: true) {
            let t = try TestStore()
            var good = "indicator,region,period,value,group,unit,status\n"
            for region in ["01", "19", "79", "31"] {
                for year in 1990...2024 {
                    for m in 1...12 { good += "cpi.index,\(region),\(year)-\(m < 10 ? "0" : "")\(m),1\(m).5,health,index,final\n" }
                }
            }
            let generation = try #require(t.store.readModel.current()?.generation)
            let head = try LogReader(path: t.store.layout.log).headSequence()
            // One bad row at the end: rejected, nothing projected.
            let rejected = try t.ingest("bad.csv", good + "cpi.index,19,2021-13,1,health,index,final\n")
            #expect(rejected.rejectedIssues?.map(\.code) == ["bad_period"])
            #expect(t.store.readModel.current()?.generation == generation)
            #expect(try t.store.status().lag == 0)
            #expect(try LogReader(path: t.store.layout.log).headSequence() == head + 1)
            // Partial mode with a conflict: the two rows are left out, the rest accepted.
            let partial = try t.store.ingest(IngestRequest(path: t.file("partial.csv", good + "cpi.index,19,2021-01,1,health,index,final\n"),
                                                           agency: "gso", acceptValidRows: true))
            #expect(partial.counts?.reported == 4 * 35 * 12 - 1)
            let (live, _) = try t.store.readModel.openCaughtUp()
            let reference = try ProjectionEquivalenceTests.naiveProjection(logPath: t.store.layout.log, into: t.dir.file("naive.sqlite"))
            #expect(try ProjectionEquivalenceTests.sameObservations(live, reference))
            #expect(try t.store.verify().isClean)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: t.store.layout.readModelDirectory).filter { $0.contains(".ingest-") }
            #expect(leftovers.isEmpty)
        }
    }
}
