import AlmanacSQLite
import Foundation

/// One exported observation: a value of a series for a period, as current or as known at
/// the export's knowledge time.
struct ExportObservation {
    var indicator: String
    var region: String
    var regionName: String
    /// Breakdown dimensions, names sorted.
    var dimensions: [(name: String, value: String)]
    var period: String
    /// Exactly as reported (decimal text).
    var value: String
    var valueNumber: Double?
    var unit: String
    var status: String
    /// The agency of the submission that reported this value.
    var agency: String
    /// The sequence number of that submission's `SubmissionAccepted` event.
    var submission: Int64
    var knownFrom: String
}

/// Reads the observations to export from a read-model connection (inside the caller's read
/// transaction): `observations` for the latest values, its rows and `observation_history` for the
/// values known before `knownBefore` (the rule of `docs/read-models.md` and of the query
/// language's `asof`: `known_from < T` and `known_to` open or `>= T`; retractions are no value).
struct ObservationSelection {
    let knownBefore: String?

    /// FROM and WHERE of the rows, with the bound arguments.
    private var source: (sql: String, arguments: [SQLValue]) {
        if let knownBefore {
            // The open versions of `observations` (never retractions, `known_to` open) and
            // the versions of `observation_history`.
            let columns = "series_id, period, first_month, last_month, value, value_num, unit, status, submission, known_from"
            return ("""
                FROM (SELECT \(columns) FROM observations WHERE known_from < ?1
                      UNION ALL
                      SELECT \(columns) FROM observation_history
                       WHERE kind <> 'retracted' AND known_from < ?1 AND (known_to IS NULL OR known_to >= ?1)) o
                  JOIN series se ON se.id = o.series_id
                  LEFT JOIN regions r ON r.code = se.region LEFT JOIN submissions s ON s.seq = o.submission
                """, [.text(knownBefore)])
        }
        return ("""
            FROM observations o JOIN series se ON se.id = o.series_id
              LEFT JOIN regions r ON r.code = se.region LEFT JOIN submissions s ON s.seq = o.submission
            """, [])
    }

    /// What the rows hold: the breakdown dimensions present (sorted), the indicators, and
    /// per agency its dimensions and row count.
    struct Survey {
        var dimensions: [String]
        var indicators: [String]
        var byAgency: [String: (dimensions: [String], rows: Int)]
    }

    func survey(_ db: Database) throws -> Survey {
        let (from, arguments) = source
        let statement = try db.prepare("SELECT COALESCE(s.agency, ''), se.indicator, se.dims_json, count(*) \(from) GROUP BY 1, 2, 3")
        try statement.bind(arguments)
        var all = Set<String>()
        var indicators = Set<String>()
        var byAgency: [String: (names: Set<String>, rows: Int)] = [:]
        var cache = DimensionCache()
        try statement.forEachRow { row in
            let agency = row.text(at: 0) ?? ""
            indicators.insert(row.text(at: 1) ?? "")
            let names = cache.parse(row.text(at: 2) ?? "{}").map(\.name)
            all.formUnion(names)
            byAgency[agency, default: ([], 0)].names.formUnion(names)
            byAgency[agency, default: ([], 0)].rows += row.int(at: 3)
        }
        return Survey(dimensions: all.sorted(), indicators: indicators.sorted(),
                      byAgency: byAgency.mapValues { ($0.names.sorted(), $0.rows) })
    }

    /// Calls `body` for every row, ordered by agency (when `byAgency`), indicator, region,
    /// dimensions and period.
    func forEach(_ db: Database, byAgency: Bool, _ body: (ExportObservation) throws -> Void) throws {
        let (from, arguments) = source
        let order = (byAgency ? "COALESCE(s.agency, ''), " : "") + "se.indicator, se.region, se.dims, o.first_month, o.last_month, o.period"
        let statement = try db.prepare("""
            SELECT se.indicator, se.region, COALESCE(r.name, se.region), se.dims_json, o.period, o.value, o.value_num,
                   o.unit, o.status, COALESCE(s.agency, ''), o.submission, o.known_from
            \(from)
            ORDER BY \(order)
            """)
        try statement.bind(arguments)
        var cache = DimensionCache()
        try statement.forEachRow { row in
            try body(ExportObservation(
                indicator: row.text(at: 0) ?? "", region: row.text(at: 1) ?? "", regionName: row.text(at: 2) ?? "",
                dimensions: cache.parse(row.text(at: 3) ?? "{}"), period: row.text(at: 4) ?? "", value: row.text(at: 5) ?? "",
                valueNumber: row.isNull(at: 6) ? nil : row.double(at: 6), unit: row.text(at: 7) ?? "",
                status: row.text(at: 8) ?? "", agency: row.text(at: 9) ?? "", submission: row.int64(at: 10),
                knownFrom: row.text(at: 11) ?? ""))
        }
    }
}

/// `series.dims_json` parsed once per distinct text.
struct DimensionCache {
    private var parsed: [String: [(name: String, value: String)]] = [:]

    mutating func parse(_ json: String) -> [(name: String, value: String)] {
        if let known = parsed[json] { return known }
        var result: [(name: String, value: String)] = []
        if let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] {
            for (name, value) in object {
                result.append((name, (value as? String) ?? "\(value)"))
            }
        }
        result.sort { $0.name < $1.name }
        if parsed.count > 100_000 { parsed.removeAll() }
        parsed[json] = result
        return result
    }
}
