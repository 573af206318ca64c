import AlmanacDomain
import AlmanacLog
import AlmanacSQLite
import Foundation

/// Applies events to the read models. One projector per connection; the caller holds the
/// transaction, so rows and the checkpoint (`meta.last_seq`) always commit together:
/// exactly once, and a crash anywhere leaves the model at a batch boundary.
final class Projector {
    let db: Database
    private let insertVersion: Statement
    private let closeVersion: Statement
    private let upsertCurrent: Statement
    private let deleteCurrent: Statement
    private let findSeries: Statement
    private let insertSeries: Statement
    private let insertSubmission: Statement
    private var seriesIDs: [String: Int64] = [:]
    private var periodMonths: [String: (Int, Int)] = [:]

    init(db: Database) throws {
        self.db = db
        insertVersion = try db.prepare("""
            INSERT INTO observation_versions (series_id, period, first_month, last_month, seq_from, seq_to, kind, value,
                value_num, unit, status, submission, known_from, known_to, recorded_at)
            VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
            """, persistent: true)
        closeVersion = try db.prepare("""
            UPDATE observation_versions SET seq_to = ?, known_to = ?
            WHERE series_id = ? AND period = ? AND seq_to IS NULL
            """, persistent: true)
        upsertCurrent = try db.prepare("""
            INSERT OR REPLACE INTO observations (series_id, period, first_month, last_month, value, value_num, unit, status,
                submission, seq, known_from, release_date)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, persistent: true)
        deleteCurrent = try db.prepare("DELETE FROM observations WHERE series_id = ? AND period = ?", persistent: true)
        findSeries = try db.prepare("SELECT id FROM series WHERE indicator = ? AND region = ? AND dims = ?", persistent: true)
        insertSeries = try db.prepare("INSERT INTO series (indicator, region, dims, dims_json) VALUES (?, ?, ?, ?)", persistent: true)
        insertSubmission = try db.prepare("""
            INSERT OR REPLACE INTO submissions (seq, status, agency, file, sha256, format, bytes, rows, reported, revised,
                unchanged, retracted, rejected_rows, issue_count, release_date, archive, quarantine, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, persistent: true)
    }

    /// The last sequence applied (0 when none).
    static func checkpoint(_ db: Database) throws -> UInt64 {
        guard case .text(let t)? = try db.firstValue("SELECT value FROM meta WHERE key = 'last_seq'") else { return 0 }
        return UInt64(t) ?? 0
    }

    static func setCheckpoint(_ db: Database, _ seq: UInt64) throws {
        try db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_seq', ?)", arguments: [.text(String(seq))])
    }

    /// Applies every event of a batch.
    func apply(_ batch: LogBatch) throws {
        let recordedAt = Timestamp.iso8601(ms: batch.header.recordedAtMs)
        try batch.forEachEventView { e in
            try apply(e, recordedAt: recordedAt)
        }
    }

    func apply(_ e: EventView, recordedAt: String) throws {
        if e.isType("ObservationReported") || e.isType("ObservationRevised") || e.isType("ObservationRetracted") {
            let type: EventType = e.isType("ObservationReported") ? .observationReported : e.isType("ObservationRevised") ? .observationRevised : .observationRetracted
            try applyObservation(try ObservationEvent.decode(type: type, data: e.data), seq: e.sequence, recordedAt: recordedAt)
        } else if e.isType("SubmissionAccepted") {
            let s = try PayloadCoding.decode(SubmissionAccepted.self, from: e.data)
            try insertSubmission.execute([
                .integer(Int64(e.sequence)), "accepted", .text(s.agency), .text(s.file), .text(s.sha256), .text(s.format),
                .integer(Int64(s.bytes)), .integer(Int64(s.rows)), .integer(Int64(s.reported)), .integer(Int64(s.revised)),
                .integer(Int64(s.unchanged)), .integer(Int64(s.retracted)), .integer(Int64(s.rejectedRows)), .integer(0),
                s.releaseDate.map { .text($0) } ?? .null, .text(s.archive), .null, .text(recordedAt),
            ])
        } else if e.isType("SubmissionRejected") {
            let s = try PayloadCoding.decode(SubmissionRejected.self, from: e.data)
            try insertSubmission.execute([
                .integer(Int64(e.sequence)), "rejected", .text(s.agency), .text(s.file), .text(s.sha256), s.format.map { .text($0) } ?? .null,
                .integer(Int64(s.bytes)), .null, .null, .null, .null, .null, .null, .integer(Int64(s.issueCount)),
                .null, .null, .text(s.quarantine), .text(recordedAt),
            ])
        } else if e.isType("IndicatorDefined") {
            let d = try PayloadCoding.decode(IndicatorDefinition.self, from: e.data)
            try db.execute("""
                INSERT OR REPLACE INTO indicators (code, family, name, unit, aggregation, additive, definition, seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [.text(d.code), .text(d.family), .text(d.name), .text(d.unit), .text(d.aggregation.rawValue),
                                 .integer(d.additiveAcrossRegions ? 1 : 0), .text(String(decoding: e.data, as: UTF8.self)), .integer(Int64(e.sequence))])
        } else if e.isType("RegionDefined") {
            let r = try PayloadCoding.decode(Region.self, from: e.data)
            try db.execute("""
                INSERT OR REPLACE INTO regions (code, official_code, name, ascii_name, folded_name, level, parent, valid_from,
                    valid_to, successor, definition, seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [.text(r.code), .text(r.officialCode), .text(r.name), .text(r.asciiName), .text(TextFolding.fold(r.name)),
                                 .text(r.level.rawValue), r.parentCode.map { .text($0) } ?? .null,
                                 r.validFrom.map { .text($0.description) } ?? .null, r.validTo.map { .text($0.description) } ?? .null,
                                 r.successorCode.map { .text($0) } ?? .null, .text(String(decoding: e.data, as: UTF8.self)),
                                 .integer(Int64(e.sequence))])
            try db.execute("DELETE FROM region_lineage WHERE unit = ?", arguments: [.text(r.code)])
            for p in r.predecessorCodes {
                try db.execute("INSERT OR IGNORE INTO region_lineage (unit, predecessor) VALUES (?, ?)", arguments: [.text(r.code), .text(p)])
            }
        } else if e.isType("AgencyRegistered") {
            let a = try PayloadCoding.decode(Agency.self, from: e.data)
            try db.execute("""
                INSERT OR REPLACE INTO agencies (id, name, families, regions, public_key, definition, seq) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [.text(a.id), .text(a.name), a.families.map { .text($0.sorted().joined(separator: ",")) } ?? .null,
                                 a.regions.map { .text($0.sorted().joined(separator: ",")) } ?? .null,
                                 a.publicKey.map { .text($0.base64EncodedString()) } ?? .null,
                                 .text(String(decoding: e.data, as: UTF8.self)), .integer(Int64(e.sequence))])
        }
        // Unknown event types are skipped: a newer writer's events stay in the log, and a
        // newer projection version will read them.
    }

    private func months(of period: String) throws -> (Int, Int) {
        if let m = periodMonths[period] { return m }
        let p = try Period.parse(period)
        let m = (ReadModelSchema.monthOrdinal(year: p.firstMonth.year, month: p.firstMonth.month),
                 ReadModelSchema.monthOrdinal(year: p.lastMonth.year, month: p.lastMonth.month))
        if periodMonths.count > 100_000 { periodMonths.removeAll() }
        periodMonths[period] = m
        return m
    }

    func seriesID(indicator: String, region: String, dims: [(name: String, value: String)]) throws -> Int64 {
        let dimsKey = ObservationEvent.dimsKey(dims)
        let key = indicator + "\u{1F}" + region + "\u{1F}" + dimsKey
        if let id = seriesIDs[key] { return id }
        findSeries.reset()
        try findSeries.bind([.text(indicator), .text(region), .text(dimsKey)])
        var id: Int64
        if try findSeries.step() {
            id = findSeries.int64(at: 0)
            findSeries.reset()
        } else {
            findSeries.reset()
            let json = "{" + dims.map { "\"\($0.name)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
            try insertSeries.execute([.text(indicator), .text(region), .text(dimsKey), .text(json)])
            id = db.lastInsertRowID
        }
        if seriesIDs.count > 1_000_000 { seriesIDs.removeAll() }
        seriesIDs[key] = id
        return id
    }

    private func applyObservation(_ o: ObservationEvent, seq: UInt64, recordedAt: String) throws {
        let series = try seriesID(indicator: o.indicator, region: o.region, dims: o.dims)
        let (first, last) = try months(of: o.period)
        let knownFrom = o.releaseDate.map { $0 + "T00:00:00.000Z" } ?? recordedAt
        // Typed binds, no [SQLValue] arrays: this runs once per observation event.
        closeVersion.reset()
        try closeVersion.bind(Int64(seq), at: 1)
        try closeVersion.bind(knownFrom, at: 2)
        try closeVersion.bind(series, at: 3)
        try closeVersion.bind(o.period, at: 4)
        _ = try closeVersion.step()
        let kind: String = o.kind == .reported ? "reported" : o.kind == .revised ? "revised" : "retracted"
        let numeric = o.value.flatMap { Double($0) }
        insertVersion.reset()
        try insertVersion.bind(series, at: 1)
        try insertVersion.bind(o.period, at: 2)
        try insertVersion.bind(Int64(first), at: 3)
        try insertVersion.bind(Int64(last), at: 4)
        try insertVersion.bind(Int64(seq), at: 5)
        try insertVersion.bind(kind, at: 6)
        if let v = o.value { try insertVersion.bind(v, at: 7) } else { try insertVersion.bindNull(at: 7) }
        if let n = numeric { try insertVersion.bind(n, at: 8) } else { try insertVersion.bindNull(at: 8) }
        try insertVersion.bind(o.unit, at: 9)
        try insertVersion.bind(o.status, at: 10)
        try insertVersion.bind(Int64(o.submission), at: 11)
        try insertVersion.bind(knownFrom, at: 12)
        try insertVersion.bind(recordedAt, at: 13)
        _ = try insertVersion.step()
        if o.kind == .retracted {
            deleteCurrent.reset()
            try deleteCurrent.bind(series, at: 1)
            try deleteCurrent.bind(o.period, at: 2)
            _ = try deleteCurrent.step()
        } else {
            upsertCurrent.reset()
            try upsertCurrent.bind(series, at: 1)
            try upsertCurrent.bind(o.period, at: 2)
            try upsertCurrent.bind(Int64(first), at: 3)
            try upsertCurrent.bind(Int64(last), at: 4)
            try upsertCurrent.bind(o.value ?? "", at: 5)
            if let n = numeric { try upsertCurrent.bind(n, at: 6) } else { try upsertCurrent.bindNull(at: 6) }
            try upsertCurrent.bind(o.unit, at: 7)
            try upsertCurrent.bind(o.status, at: 8)
            try upsertCurrent.bind(Int64(o.submission), at: 9)
            try upsertCurrent.bind(Int64(seq), at: 10)
            try upsertCurrent.bind(knownFrom, at: 11)
            if let r = o.releaseDate { try upsertCurrent.bind(r, at: 12) } else { try upsertCurrent.bindNull(at: 12) }
            _ = try upsertCurrent.step()
        }
    }
}
