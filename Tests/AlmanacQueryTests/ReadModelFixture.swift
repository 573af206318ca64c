import AlmanacDomain
import AlmanacSQLite
import Foundation

/// Builds small read-model databases for query tests by inserting rows straight into the
/// read-model schema, the way the projector would.
///
/// The DDL below duplicates `ReadModelSchema.statements` in
/// `Sources/AlmanacStore/ReadModelSchema.swift` (tables the query compiler reads only):
/// `AlmanacQuery` must not depend on `AlmanacStore`, and the compiler's contract is the
/// schema, not the projector. Keep the two in step when the schema version changes.
final class ReadModelFixture {
    static let schema = [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE indicators (code TEXT PRIMARY KEY, family TEXT NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL,
            aggregation TEXT NOT NULL, additive INTEGER NOT NULL, definition TEXT NOT NULL, seq INTEGER NOT NULL)
        """,
        """
        CREATE TABLE regions (code TEXT PRIMARY KEY, official_code TEXT NOT NULL, name TEXT NOT NULL, ascii_name TEXT NOT NULL,
            folded_name TEXT NOT NULL, level TEXT NOT NULL, parent TEXT, valid_from TEXT, valid_to TEXT, successor TEXT,
            definition TEXT NOT NULL, seq INTEGER NOT NULL)
        """,
        "CREATE INDEX regions_by_parent ON regions(parent)",
        "CREATE TABLE region_lineage (unit TEXT NOT NULL, predecessor TEXT NOT NULL, PRIMARY KEY (unit, predecessor)) WITHOUT ROWID",
        """
        CREATE TABLE series (id INTEGER PRIMARY KEY, indicator TEXT NOT NULL, region TEXT NOT NULL, dims TEXT NOT NULL,
            dims_json TEXT NOT NULL, UNIQUE (indicator, region, dims))
        """,
        """
        CREATE TABLE observations (series_id INTEGER NOT NULL, period TEXT NOT NULL, first_month INTEGER NOT NULL,
            last_month INTEGER NOT NULL, value TEXT NOT NULL, value_num REAL, unit TEXT NOT NULL, status TEXT NOT NULL,
            submission INTEGER NOT NULL, seq INTEGER NOT NULL, known_from TEXT NOT NULL, release_date TEXT,
            kind TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (series_id, period)) WITHOUT ROWID
        """,
        """
        CREATE TABLE observation_history (series_id INTEGER NOT NULL, period TEXT NOT NULL, first_month INTEGER NOT NULL,
            last_month INTEGER NOT NULL, seq_from INTEGER NOT NULL, seq_to INTEGER, kind TEXT NOT NULL, value TEXT,
            value_num REAL, unit TEXT NOT NULL, status TEXT NOT NULL, submission INTEGER NOT NULL, known_from TEXT NOT NULL,
            known_to TEXT, recorded_at TEXT NOT NULL, PRIMARY KEY (series_id, period, seq_from)) WITHOUT ROWID
        """,
        """
        CREATE VIEW observation_versions AS
            SELECT series_id, period, first_month, last_month, seq AS seq_from, NULL AS seq_to, kind, value, value_num,
                unit, status, submission, known_from, NULL AS known_to, recorded_at FROM observations
            UNION ALL
            SELECT series_id, period, first_month, last_month, seq_from, seq_to, kind, value, value_num,
                unit, status, submission, known_from, known_to, recorded_at FROM observation_history
        """,
    ]

    let path: String
    let db: Database
    /// The next log position handed out by ``observe``.
    var seq: Int64 = 100
    private var seriesIDs: [String: Int64] = [:]

    /// Creates an empty read model in a new temporary file.
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("almanac-query-\(UUID().uuidString).sqlite").path
        db = try Database(path: path, options: Database.Options(journalMode: .delete))
        for statement in Self.schema { try db.execute(statement) }
        try db.execute("BEGIN")
    }

    /// Commits what was inserted; the file is then ready for an engine.
    func commit() throws -> String {
        try db.execute("COMMIT")
        return path
    }

    func indicator(_ definition: IndicatorDefinition) throws {
        let json = String(decoding: try JSONEncoder().encode(definition), as: UTF8.self)
        try db.execute("INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, 1)", arguments: [
            .text(definition.code), .text(definition.family), .text(definition.name), .text(definition.unit),
            .text(definition.aggregation.rawValue), .integer(definition.additiveAcrossRegions ? 1 : 0), .text(json),
        ])
    }

    func region(_ region: Region) throws {
        let json = String(decoding: try JSONEncoder().encode(region), as: UTF8.self)
        try db.execute("INSERT INTO regions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", arguments: [
            .text(region.code), .text(region.officialCode), .text(region.name), .text(region.asciiName),
            .text(TextFolding.fold(region.name)), .text(region.level.rawValue), region.parentCode.map { .text($0) } ?? .null,
            region.validFrom.map { .text($0.description) } ?? .null, region.validTo.map { .text($0.description) } ?? .null,
            region.successorCode.map { .text($0) } ?? .null, .text(json),
        ])
        for predecessor in region.predecessorCodes {
            try db.execute("INSERT INTO region_lineage VALUES (?, ?)", arguments: [.text(region.code), .text(predecessor)])
        }
    }

    func seriesID(_ indicator: String, _ region: String, _ dims: [(String, String)]) throws -> Int64 {
        let sorted = dims.sorted { $0.0 < $1.0 }
        let key = sorted.map { "\($0.0)=\($0.1)" }.joined(separator: ";")
        if let id = seriesIDs["\(indicator)|\(region)|\(key)"] { return id }
        let json = "{" + sorted.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",") + "}"
        try db.execute("INSERT INTO series (indicator, region, dims, dims_json) VALUES (?, ?, ?, ?)",
                       arguments: [.text(indicator), .text(region), .text(key), .text(json)])
        seriesIDs["\(indicator)|\(region)|\(key)"] = db.lastInsertRowID
        return db.lastInsertRowID
    }

    /// Records a version of an observation as the projector would: closes the open version
    /// (moving the current row into the history, or closing an open retraction there), then
    /// writes the new one as the current row or, for a retraction, as an open version of the
    /// history.
    ///
    /// - Parameters:
    ///   - value: The decimal text, or nil to retract.
    ///   - known: When it became known, ISO-8601 UTC (`2021-07-05T00:00:00.000Z`).
    func observe(_ indicator: String, _ region: String, _ dims: [(String, String)] = [], period text: String,
                 value: String?, unit: String, known: String, status: String = "final") throws {
        seq += 1
        let series = try seriesID(indicator, region, dims)
        let period = try Period.parse(text)
        let first = Int64(period.firstMonth.ordinal), last = Int64(period.lastMonth.ordinal)
        let canonical = period.description
        let existing = try db.firstValue("SELECT count(*) FROM observation_versions WHERE series_id = ? AND period = ?",
                                         arguments: [.integer(series), .text(canonical)])
        let key: [SQLValue] = [.integer(series), .text(canonical)]
        try db.execute("""
            INSERT INTO observation_history SELECT series_id, period, first_month, last_month, seq, ?, kind, value, value_num,
                unit, status, submission, known_from, ?, recorded_at FROM observations WHERE series_id = ? AND period = ?
            """, arguments: [.integer(seq), .text(known)] + key)
        try db.execute("UPDATE observation_history SET seq_to = ?, known_to = ? WHERE series_id = ? AND period = ? AND seq_to IS NULL",
                       arguments: [.integer(seq), .text(known)] + key)
        let kind = value == nil ? "retracted" : existing == .integer(0) ? "reported" : "revised"
        let number: SQLValue = value.flatMap(Double.init).map { .real($0) } ?? .null
        if value == nil {
            try db.execute("INSERT INTO observation_history VALUES (?, ?, ?, ?, ?, NULL, ?, NULL, NULL, ?, ?, 1, ?, NULL, ?)", arguments: [
                .integer(series), .text(canonical), .integer(first), .integer(last), .integer(seq), .text(kind),
                .text(unit), .text(status), .text(known), .text(known),
            ])
            try db.execute("DELETE FROM observations WHERE series_id = ? AND period = ?", arguments: key)
        } else {
            try db.execute("INSERT OR REPLACE INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, NULL, ?, ?)", arguments: [
                .integer(series), .text(canonical), .integer(first), .integer(last), .text(value!), number, .text(unit),
                .text(status), .integer(seq), .text(known), .text(kind), .text(known),
            ])
        }
    }

    /// Counts of rows of every table, to check nothing was changed.
    static func tableCounts(_ path: String) throws -> [String: Int64] {
        let db = try Database(path: path, options: .readOnlyQueries)
        var counts: [String: Int64] = [:]
        for table in ["meta", "indicators", "regions", "region_lineage", "series", "observations", "observation_history"] {
            if case .integer(let n)? = try db.firstValue("SELECT count(*) FROM \(table)") { counts[table] = n }
        }
        if case .integer(let n)? = try db.firstValue("SELECT count(*) FROM sqlite_master") { counts["sqlite_master"] = n }
        return counts
    }
}
