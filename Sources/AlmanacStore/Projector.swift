import AlmanacDomain
import AlmanacIngest
import AlmanacLog
import AlmanacSQLite
import Foundation

/// Applies events to the read models. One projector per connection; the caller holds the
/// transaction, so rows and the checkpoint (`meta.last_seq`) always commit together:
/// exactly once, and a crash anywhere leaves the model at a batch boundary.
///
/// Observation events are not written one by one as they come: each is resolved to its
/// series at once (so series ids are given in event order, as before) and kept as a small
/// row; ``flush()`` (which the caller runs before writing the checkpoint) then writes them
/// sorted by key, (series, period, sequence), so that SQLite's B-trees are filled in
/// order rather than at random, many rows per INSERT statement. For the events of one key
/// in a flush the result is the one of applying them one at a time: each version but the
/// last goes into `observation_history` closed by the next (its `seq_to` and `known_to`
/// are written with it rather than by an UPDATE afterwards); the last is the current row
/// of `observations`, or for a retraction an open version of the history; only the first
/// closes the version the model already had (moving its current row into the history, or
/// closing an open retraction there). That closing is skipped when the key certainly has
/// no version: its series was created by this projector and the key was never written by
/// it. So a first report is one row, in `observations` only.
///
/// Payloads are read from their bytes (``JSONObjectScanner``) and every repeated text
/// (period, unit, status, release date, series identity) is looked up by its raw bytes,
/// so a rebuild allocates almost nothing per event; anything unusual (escapes, a missing
/// or repeated field, a value that is not a string) goes through
/// ``ObservationEvent/decode(type:data:)`` as before.
final class Projector {
    let db: Database
    let insertVersion: Statement
    let closeVersion: Statement
    let retireCurrent: Statement
    let upsertCurrent: Statement
    let deleteCurrent: Statement
    private let findSeries: Statement
    private let insertSeries: Statement
    private let insertSubmission: Statement
    /// Rows per multi-row INSERT.
    static let chunkRows = 32
    private var insertVersionChunkStatement: Statement?
    private var upsertCurrentChunkStatement: Statement?

    // Properties below are used for every event: class properties pay a dynamic
    // exclusivity check on each access unless told not to (one projector, one thread).
    /// Series ids by `indicator \u{1F} region \u{1F} dims-key`.
    @exclusivity(unchecked) private var seriesIDs: [String: Int64] = [:]
    /// Series ids by the raw bytes of indicator, region and the `dims` object of a payload.
    private let seriesByRaw = ByteKeyMap(entriesMax: 1 << 20)
    @exclusivity(unchecked) private var seriesList: [Int64] = []
    private let rawKey = ByteBuffer(capacity: 512)

    /// Texts of the pending rows (units, statuses, release dates, known-from and recorded-at
    /// times), numbered by their bytes.
    let textMap = ByteKeyMap(entriesMax: 1 << 20)
    @exclusivity(unchecked) var texts: [String] = []
    /// For a release-date text: the number of its known-from text (`-1` until made).
    @exclusivity(unchecked) var knownFromOfText: [Int32] = []

    struct PeriodEntry {
        var text: String
        var first: Int64
        var last: Int64
        /// A hash of the text that stays the same across flushes (for `seen`).
        var hash: UInt64
    }
    let periodMap = ByteKeyMap(entriesMax: 1 << 20)
    @exclusivity(unchecked) var periods: [PeriodEntry] = []

    /// One observation event waiting for `flush()`.
    struct Pending {
        var series: Int64
        var seq: Int64
        var submission: Int64
        var value: String?
        var numeric: Double?
        var period: Int32
        var unit: Int32
        var status: Int32
        /// Text number of the release date, or -1.
        var release: Int32
        var knownFrom: Int32
        var recordedAt: Int32
        var kind: ObservationEvent.Kind
    }
    @exclusivity(unchecked) var pending: [Pending] = []

    /// Series this projector created since `epochStart` (no version of theirs existed).
    @exclusivity(unchecked) var freshSeries: Set<Int64> = []
    /// Keys (series, period) this projector wrote since `epochStart`, as a Bloom filter.
    let seen = SeenKeys()
    /// Whether flushes remember the keys they wrote (for later flushes of this projector);
    /// a projector used for one flush only need not.
    var remembersKeys = true
    /// The checkpoint after this projector's last committed transaction: when the next
    /// one starts elsewhere, another process wrote in between and what this projector
    /// knows of fresh series no longer holds.
    @exclusivity(unchecked) private var committedThrough: UInt64?

    init(db: Database) throws {
        self.db = db
        insertVersion = try db.prepare("""
            INSERT INTO observation_history (series_id, period, first_month, last_month, seq_from, seq_to, kind, value,
                value_num, unit, status, submission, known_from, known_to, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, persistent: true)
        closeVersion = try db.prepare("""
            UPDATE observation_history SET seq_to = ?, known_to = ?
            WHERE series_id = ? AND period = ? AND seq_to IS NULL
            """, persistent: true)
        retireCurrent = try db.prepare("""
            INSERT INTO observation_history (series_id, period, first_month, last_month, seq_from, seq_to, kind, value,
                value_num, unit, status, submission, known_from, known_to, recorded_at)
            SELECT series_id, period, first_month, last_month, seq, ?1, kind, value, value_num, unit, status, submission,
                known_from, ?2, recorded_at
              FROM observations WHERE series_id = ?3 AND period = ?4
            """, persistent: true)
        upsertCurrent = try db.prepare("""
            INSERT OR REPLACE INTO observations (series_id, period, first_month, last_month, value, value_num, unit, status,
                submission, seq, known_from, release_date, kind, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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

    func insertVersionChunk() throws -> Statement {
        if let st = insertVersionChunkStatement { return st }
        let row = "(" + Array(repeating: "?", count: 15).joined(separator: ", ") + ")"
        let st = try db.prepare("""
            INSERT INTO observation_history (series_id, period, first_month, last_month, seq_from, seq_to, kind, value,
                value_num, unit, status, submission, known_from, known_to, recorded_at)
            VALUES \(Array(repeating: row, count: Projector.chunkRows).joined(separator: ", "))
            """, persistent: true)
        insertVersionChunkStatement = st
        return st
    }

    func upsertCurrentChunk() throws -> Statement {
        if let st = upsertCurrentChunkStatement { return st }
        let row = "(" + Array(repeating: "?", count: 14).joined(separator: ", ") + ")"
        let st = try db.prepare("""
            INSERT OR REPLACE INTO observations (series_id, period, first_month, last_month, value, value_num, unit, status,
                submission, seq, known_from, release_date, kind, recorded_at)
            VALUES \(Array(repeating: row, count: Projector.chunkRows).joined(separator: ", "))
            """, persistent: true)
        upsertCurrentChunkStatement = st
        return st
    }

    /// The last sequence applied (0 when none).
    static func checkpoint(_ db: Database) throws -> UInt64 {
        guard case .text(let t)? = try db.firstValue("SELECT value FROM meta WHERE key = 'last_seq'") else { return 0 }
        return UInt64(t) ?? 0
    }

    static func setCheckpoint(_ db: Database, _ seq: UInt64) throws {
        try db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_seq', ?)", arguments: [.text(String(seq))])
    }

    // MARK: - Transactions

    /// Called at the start of each transaction with the checkpoint read inside it.
    func begin(checkpoint: UInt64) {
        pending.removeAll(keepingCapacity: true)
        if committedThrough != checkpoint {
            freshSeries.removeAll()
            seen.clear()
        }
        committedThrough = nil
    }

    /// Called once the transaction that ended at `checkpoint` has committed.
    func committed(through checkpoint: UInt64) {
        committedThrough = checkpoint
    }

    // MARK: - Applying events

    /// Applies every event of a batch (observations wait for `flush()`).
    func apply(_ batch: LogBatch) throws {
        let recordedAt = Timestamp.iso8601(ms: batch.header.recordedAtMs)
        let recordedAtText = text(recordedAt)
        try batch.forEachEventView { e in
            try apply(e, recordedAt: recordedAt, recordedAtText: recordedAtText)
        }
    }

    func apply(_ e: EventView, recordedAt: String) throws {
        try apply(e, recordedAt: recordedAt, recordedAtText: text(recordedAt))
    }

    private func apply(_ e: EventView, recordedAt: String, recordedAtText: Int32) throws {
        if e.isType("ObservationReported") || e.isType("ObservationRevised") || e.isType("ObservationRetracted") {
            let kind: ObservationEvent.Kind = e.isType("ObservationReported") ? .reported : e.isType("ObservationRevised") ? .revised : .retracted
            if try bufferRaw(e, kind: kind, recordedAt: recordedAtText) { return }
            let type: EventType = kind == .reported ? .observationReported : kind == .revised ? .observationRevised : .observationRetracted
            let o = try ObservationEvent.decode(type: type, data: e.data)
            try add(o, seq: e.sequence, recordedAt: recordedAtText)
        } else if e.isType("SubmissionAccepted") {
            try insertAccepted(try PayloadCoding.decode(SubmissionAccepted.self, from: e.data), seq: e.sequence, recordedAt: recordedAt)
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

    /// The `submissions` row of an accepted file.
    func insertAccepted(_ s: SubmissionAccepted, seq: UInt64, recordedAt: String) throws {
        try insertSubmission.execute([
            .integer(Int64(seq)), "accepted", .text(s.agency), .text(s.file), .text(s.sha256), .text(s.format),
            .integer(Int64(s.bytes)), .integer(Int64(s.rows)), .integer(Int64(s.reported)), .integer(Int64(s.revised)),
            .integer(Int64(s.unchanged)), .integer(Int64(s.retracted)), .integer(Int64(s.rejectedRows)), .integer(0),
            s.releaseDate.map { .text($0) } ?? .null, .text(s.archive), .null, .text(recordedAt),
        ])
    }

    // MARK: - Observation events

    /// The number of a text (interned by its bytes).
    func text(_ s: String) -> Int32 {
        var s = s
        return s.withUTF8 { text(bytes: UnsafeRawBufferPointer($0)) }
    }

    private func text(bytes: UnsafeRawBufferPointer) -> Int32 {
        if let t = textMap.find(bytes) { return t }
        let t = Int32(texts.count)
        texts.append(String(decoding: bytes, as: UTF8.self))
        knownFromOfText.append(-1)
        if !textMap.insert(bytes, value: t) {
            // Full (only with a million distinct texts before a flush): the text is kept
            // unshared; correct, just not deduplicated.
        }
        return t
    }

    /// The known-from text of a row: the release date at midnight UTC, else the batch time.
    private func knownFrom(release: Int32, recordedAt: Int32) -> Int32 {
        guard release >= 0 else { return recordedAt }
        let k = knownFromOfText[Int(release)]
        if k >= 0 { return k }
        let made = text(texts[Int(release)] + "T00:00:00.000Z")
        knownFromOfText[Int(release)] = made
        return made
    }

    private func period(bytes: UnsafeRawBufferPointer) throws -> Int32 {
        let h = ByteKeyMap.hash(bytes)
        if let p = periodMap.find(bytes, hash: h) { return p }
        let text = String(decoding: bytes, as: UTF8.self)
        let parsed = try Period.parse(text)
        let p = Int32(periods.count)
        periods.append(PeriodEntry(text: text,
                                   first: Int64(ReadModelSchema.monthOrdinal(year: parsed.firstMonth.year, month: parsed.firstMonth.month)),
                                   last: Int64(ReadModelSchema.monthOrdinal(year: parsed.lastMonth.year, month: parsed.lastMonth.month)),
                                   hash: h))
        periodMap.insert(bytes, value: p)
        return p
    }

    private func period(_ s: String) throws -> Int32 {
        var s = s
        return try s.withUTF8 { try period(bytes: UnsafeRawBufferPointer($0)) }
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
            freshSeries.insert(id)
        }
        if seriesIDs.count > 1_000_000 { seriesIDs.removeAll() }
        seriesIDs[key] = id
        return id
    }

    /// Buffers an observation event decoded in full.
    func add(_ o: ObservationEvent, seq: UInt64, recordedAt: Int32) throws {
        let series = try seriesID(indicator: o.indicator, region: o.region, dims: o.dims)
        try add(kind: o.kind, seq: seq, submission: o.submission, series: series, period: o.period, value: o.value,
                unit: o.unit, status: o.status, releaseDate: o.releaseDate, recordedAt: recordedAt)
    }

    /// Buffers an observation of a known series (the ingest's own batch, straight from memory).
    func add(kind: ObservationEvent.Kind, seq: UInt64, submission: UInt64, series: Int64, period: String, value: String?,
             unit: String, status: String, releaseDate: String?, recordedAt: Int32) throws {
        let release = releaseDate.map { text($0) } ?? -1
        pending.append(Pending(series: series, seq: Int64(seq), submission: Int64(submission), value: value,
                               numeric: value.flatMap { Double($0) }, period: try self.period(period), unit: text(unit),
                               status: text(status), release: release,
                               knownFrom: knownFrom(release: release, recordedAt: recordedAt), recordedAt: recordedAt, kind: kind))
    }

    /// Buffers an observation event read straight from its payload bytes; false when the
    /// payload needs the full decoder (then nothing was buffered).
    private func bufferRaw(_ e: EventView, kind: ObservationEvent.Kind, recordedAt: Int32) throws -> Bool {
        var submission: UnsafeRawBufferPointer?, indicator: UnsafeRawBufferPointer?, region: UnsafeRawBufferPointer?
        var period: UnsafeRawBufferPointer?, dims: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?
        var unit: UnsafeRawBufferPointer?, status: UnsafeRawBufferPointer?, release: UnsafeRawBufferPointer?
        var repeated = false
        @inline(__always) func take(_ slot: inout UnsafeRawBufferPointer?, _ v: UnsafeRawBufferPointer) {
            if slot != nil { repeated = true }
            slot = v
        }
        try JSONObjectScanner.forEachMember(e.data) { key, v in
            switch key.count {
            case 4:
                if JSONObjectScanner.key(key, is: "dims") { take(&dims, v) } else if JSONObjectScanner.key(key, is: "unit") { take(&unit, v) }
            case 5:
                if JSONObjectScanner.key(key, is: "value") { take(&value, v) }
            case 6:
                if JSONObjectScanner.key(key, is: "region") { take(&region, v) } else if JSONObjectScanner.key(key, is: "period") { take(&period, v) }
                else if JSONObjectScanner.key(key, is: "status") { take(&status, v) }
            case 9:
                if JSONObjectScanner.key(key, is: "indicator") { take(&indicator, v) }
            case 10:
                if JSONObjectScanner.key(key, is: "submission") { take(&submission, v) }
            case 12:
                if JSONObjectScanner.key(key, is: "release_date") { take(&release, v) }
            default:
                break
            }
        }
        guard !repeated,
              let indicatorBytes = indicator.flatMap(JSONObjectScanner.plainStringBytes), indicatorBytes.count > 0,
              let regionBytes = region.flatMap(JSONObjectScanner.plainStringBytes), regionBytes.count > 0,
              let periodBytes = period.flatMap(JSONObjectScanner.plainStringBytes), periodBytes.count > 0
        else { return false }
        // Optional strings: absent, or a plain string.
        var valueBytes: UnsafeRawBufferPointer?, unitBytes: UnsafeRawBufferPointer?
        var statusBytes: UnsafeRawBufferPointer?, releaseBytes: UnsafeRawBufferPointer?
        if let value { guard let b = JSONObjectScanner.plainStringBytes(value) else { return false }; valueBytes = b }
        if let unit { guard let b = JSONObjectScanner.plainStringBytes(unit) else { return false }; unitBytes = b }
        if let status { guard let b = JSONObjectScanner.plainStringBytes(status) else { return false }; statusBytes = b }
        if let release { guard let b = JSONObjectScanner.plainStringBytes(release) else { return false }; releaseBytes = b }
        var submissionValue: Int64 = 0
        if let submission {
            guard submission.count > 0, submission.count <= 18 else { return false }
            for b in submission {
                guard b &- UInt8(ascii: "0") < 10 else { return false }
                submissionValue = submissionValue * 10 + Int64(b &- UInt8(ascii: "0"))
            }
        }
        // The series, by the raw bytes of its identity.
        rawKey.removeAll()
        rawKey.append(indicatorBytes)
        rawKey.append(UInt8(0x1F))
        rawKey.append(regionBytes)
        rawKey.append(UInt8(0x1F))
        if let dims { rawKey.append(dims) }
        let series: Int64
        if let s = seriesByRaw.find(rawKey.bytes) {
            series = seriesList[Int(s)]
        } else {
            var list: [(name: String, value: String)] = []
            if let dims {
                try JSONObjectScanner.forEachMember(dims) { k, v in
                    list.append((String(decoding: k, as: UTF8.self), JSONObjectScanner.string(v) ?? ""))
                }
            }
            let sorted = list.sorted { $0.name < $1.name }
            series = try seriesID(indicator: String(decoding: indicatorBytes, as: UTF8.self),
                                  region: String(decoding: regionBytes, as: UTF8.self), dims: sorted)
            if seriesByRaw.insert(rawKey.bytes, value: Int32(seriesList.count)) { seriesList.append(series) }
        }
        let valueText = valueBytes.map { String(decoding: $0, as: UTF8.self) }
        let releaseText = releaseBytes.map { text(bytes: $0) } ?? -1
        pending.append(Pending(series: series, seq: Int64(e.sequence), submission: submissionValue, value: valueText,
                               numeric: valueText.flatMap { Double($0) }, period: try self.period(bytes: periodBytes),
                               unit: unitBytes.map { text(bytes: $0) } ?? text(""),
                               status: statusBytes.map { text(bytes: $0) } ?? text(""),
                               release: releaseText, knownFrom: knownFrom(release: releaseText, recordedAt: recordedAt),
                               recordedAt: recordedAt, kind: kind))
        return true
    }
}
