import AlmanacDomain
import AlmanacQuery
import AlmanacSQLite
import Foundation

/// Writes the data files of one snapshot into its temporary directory, reading everything
/// from one connection inside the caller's read transaction.
struct SnapshotWriter {
    let db: Database
    let directory: String
    let request: ExportRequest
    let asOf: ExportAsOf?

    struct Written {
        var files: [ExportReport.File]
        var columns: [String]
        var content: String
        var formatVersion: String
        var logPosition: UInt64
        var effectiveQuery: String?
        var warnings: [String]
    }

    /// The version of Almanac's own CSV and JSON Lines layouts (their columns and keys).
    static let layoutVersion = "1"

    func write() throws -> Written {
        // The first read fixes the transaction's snapshot: the position and the rows agree.
        let logPosition = try Projector.checkpoint(db)
        if let query = request.query {
            return try writeQuery(query, logPosition: logPosition)
        }
        let selection = ObservationSelection(knownBefore: asOf?.knownBefore)
        switch request.format {
        case .csv:
            return try writeObservationsCSV(selection, logPosition: logPosition)
        case .jsonl:
            return try writeObservationsJSONL(selection, logPosition: logPosition)
        case .sqlite:
            if asOf == nil { return try writeReadModelCopy(logPosition: logPosition) }
            return try writeObservationsSQLite(selection, logPosition: logPosition)
        case .sdmxCSV:
            return try writeObservationsSDMX(selection, logPosition: logPosition)
        }
    }

    private func path(_ name: String) -> String { directory + "/" + name }

    // MARK: - Observations

    static let fixedColumns = (before: ["indicator", "region", "region_name"],
                               after: ["period", "value", "unit", "status", "agency", "submission", "known_from"])

    /// Column names of the dimensions: the dimension's own name, or `dim_<name>` when it
    /// would clash with a fixed column.
    static func dimensionColumns(_ names: [String]) -> [String] {
        let fixed = Set(fixedColumns.before + fixedColumns.after + ["value_num"])
        return names.map { fixed.contains($0) ? "dim_" + $0 : $0 }
    }

    private func writeObservationsCSV(_ selection: ObservationSelection, logPosition: UInt64) throws -> Written {
        let dimensions = try selection.survey(db).dimensions
        let columns = Self.fixedColumns.before + Self.dimensionColumns(dimensions) + Self.fixedColumns.after
        let name = "observations.csv"
        let out = try HashingFileWriter(path: path(name))
        try out.write(ExportEncoding.csvLine(columns))
        var rows = 0
        try selection.forEach(db, byAgency: false) { o in
            var cells = [o.indicator, o.region, o.regionName]
            for d in dimensions { cells.append(o.dimensions.first { $0.name == d }?.value ?? "") }
            cells += [o.period, o.value, o.unit, o.status, o.agency, String(o.submission), o.knownFrom]
            try out.write(ExportEncoding.csvLine(cells))
            rows += 1
        }
        let (bytes, sha) = try out.finish()
        return Written(files: [.init(name: name, rows: rows, bytes: bytes, sha256: sha)], columns: columns,
                       content: "observations", formatVersion: Self.layoutVersion, logPosition: logPosition, warnings: [])
    }

    private func writeObservationsJSONL(_ selection: ObservationSelection, logPosition: UInt64) throws -> Written {
        let name = "observations.jsonl"
        let out = try HashingFileWriter(path: path(name))
        var rows = 0
        let j = ExportEncoding.jsonString
        try selection.forEach(db, byAgency: false) { o in
            let dims = o.dimensions.map { "\(j($0.name)):\(j($0.value))" }.joined(separator: ",")
            try out.write("{\"indicator\":\(j(o.indicator)),\"region\":\(j(o.region)),\"region_name\":\(j(o.regionName)),"
                          + "\"dimensions\":{\(dims)},\"period\":\(j(o.period)),\"value\":\(j(o.value)),\"unit\":\(j(o.unit)),"
                          + "\"status\":\(j(o.status)),\"agency\":\(j(o.agency)),\"submission\":\(o.submission),"
                          + "\"known_from\":\(j(o.knownFrom))}\n")
            rows += 1
        }
        let (bytes, sha) = try out.finish()
        let columns = Self.fixedColumns.before + ["dimensions"] + Self.fixedColumns.after
        return Written(files: [.init(name: name, rows: rows, bytes: bytes, sha256: sha)], columns: columns,
                       content: "observations", formatVersion: Self.layoutVersion, logPosition: logPosition, warnings: [])
    }

    /// A whole, consistent copy of the read model: SQLite's online backup of the snapshot
    /// this transaction reads, switched to rollback-journal mode so the file stands alone.
    private func writeReadModelCopy(logPosition: UInt64) throws -> Written {
        let name = "readmodel.sqlite"
        let file = path(name)
        var rows = 0
        do {
            let copy = try Database(path: file, options: .init(readOnly: false, create: true, journalMode: nil,
                                                               synchronous: .full, foreignKeys: false))
            try db.backup(to: copy)
            _ = try copy.firstValue("PRAGMA journal_mode = DELETE")
            if case .integer(let n)? = try copy.firstValue("SELECT count(*) FROM observations") { rows = Int(n) }
            let copied = try Projector.checkpoint(copy)
            guard copied == logPosition else {
                throw ExportError(.io, "the copy of the read model is at log position \(copied), not \(logPosition)")
            }
        }
        try SnapshotFiles.fsync(path: file)
        let (bytes, sha) = try SnapshotFiles.sha256(ofFile: file)
        let columns = ReadModelSchema.digestTables.map(\.table)
        return Written(files: [.init(name: name, rows: rows, bytes: bytes, sha256: sha, table: "observations")], columns: columns,
                       content: "readmodel", formatVersion: String(ReadModelSchema.version), logPosition: logPosition,
                       warnings: [])
    }

    /// A SQLite file with one table `observations` of the rows known at `asOf`, and a table
    /// `export_meta` saying what it is.
    private func writeObservationsSQLite(_ selection: ObservationSelection, logPosition: UInt64) throws -> Written {
        let dimensions = try selection.survey(db).dimensions
        let dimensionColumns = Self.dimensionColumns(dimensions)
        let columns = Self.fixedColumns.before + dimensionColumns + Self.fixedColumns.after + ["value_num"]
        let types = Dictionary(uniqueKeysWithValues: columns.map { ($0, "TEXT") })
            .merging(["submission": "INTEGER", "value_num": "REAL"]) { $1 }
        let name = "observations.sqlite"
        let file = path(name)
        var rows = 0
        do {
            let out = try Self.createTableFile(file, table: "observations", columns: columns.map { ($0, types[$0]!) })
            let insert = try out.prepare("INSERT INTO observations VALUES (" + columns.map { _ in "?" }.joined(separator: ", ") + ")")
            try out.transaction(.immediate) {
                try selection.forEach(db, byAgency: false) { o in
                    var values: [SQLValue] = [.text(o.indicator), .text(o.region), .text(o.regionName)]
                    for d in dimensions { values.append(o.dimensions.first { $0.name == d }.map { .text($0.value) } ?? .null) }
                    values += [.text(o.period), .text(o.value), .text(o.unit), .text(o.status), .text(o.agency),
                               .integer(o.submission), .text(o.knownFrom), o.valueNumber.map { .real($0) } ?? .null]
                    try insert.execute(values)
                    rows += 1
                }
                try Self.writeMeta(out, request: request, asOf: asOf, logPosition: logPosition)
            }
        }
        try SnapshotFiles.fsync(path: file)
        let (bytes, sha) = try SnapshotFiles.sha256(ofFile: file)
        return Written(files: [.init(name: name, rows: rows, bytes: bytes, sha256: sha, table: "observations")], columns: columns,
                       content: "observations", formatVersion: Self.layoutVersion, logPosition: logPosition, warnings: [])
    }

    /// SDMX-CSV 1.0, one file per agency (`observations-<agency>.csv`), so each file can be
    /// ingested back under the agency whose scope it is in. See `docs/exports.md`.
    private func writeObservationsSDMX(_ selection: ObservationSelection, logPosition: UInt64) throws -> Written {
        let survey = try selection.survey(db)
        var files: [ExportReport.File] = []
        var current: (agency: String, name: String, writer: HashingFileWriter, dimensions: [String], rows: Int)?
        func close() throws {
            guard let c = current else { return }
            let (bytes, sha) = try c.writer.finish()
            files.append(.init(name: c.name, rows: c.rows, bytes: bytes, sha256: sha, agency: c.agency))
            current = nil
        }
        try selection.forEach(db, byAgency: true) { o in
            if current?.agency != o.agency {
                try close()
                let dimensions = survey.byAgency[o.agency]?.dimensions ?? []
                let name = "observations-\(SDMXExport.fileLabel(o.agency)).csv"
                let writer = try HashingFileWriter(path: path(name))
                try writer.write(SDMXExport.header(dimensions: dimensions))
                current = (o.agency, name, writer, dimensions, 0)
            }
            try current!.writer.write(SDMXExport.line(o, dimensions: current!.dimensions))
            current!.rows += 1
        }
        try close()
        if !files.isEmpty {
            let mapping = try HashingFileWriter(path: path(SDMXExport.mappingFileName))
            try mapping.write(SDMXExport.mapping(indicators: survey.indicators))
            let (bytes, sha) = try mapping.finish()
            files.append(.init(name: SDMXExport.mappingFileName, rows: 0, bytes: bytes, sha256: sha))
        }
        return Written(files: files, columns: SDMXExport.columns(dimensions: survey.dimensions), content: "observations",
                       formatVersion: SDMXExport.version, logPosition: logPosition, warnings: [])
    }

    // MARK: - Query results

    private func writeQuery(_ query: String, logPosition: UInt64) throws -> Written {
        let limits = Store.exportQueryLimits
        let engine: QueryEngine
        do {
            engine = try QueryEngine(database: db)
        } catch let error as QueryRuntimeError {
            throw ExportError(.io, error.message)
        }
        // Check the query as written first, so an error points into the user's own text.
        do {
            _ = try engine.compile(query, limits: limits)
        } catch let error as QueryError {
            throw ExportError(.badQuery, "query error at \(error.description)", rendered: error.rendered(in: query))
        } catch let error as QueryRuntimeError {
            throw ExportError(.badQuery, "query failed: \(error.message)")
        }
        let text = try asOf.map { try ExportQueryText.addingAsOf($0, to: query) } ?? query
        let result: QueryResult
        do {
            result = try engine.run(text, format: .csv, limits: limits)
        } catch let error as QueryError {
            throw ExportError(.badQuery, "query error at \(error.description)", rendered: error.rendered(in: text))
        } catch let error as QueryRuntimeError {
            throw ExportError(.badQuery, "query failed: \(error.message)")
        }
        let columns = result.columns.map(\.name)
        let file: ExportReport.File
        switch request.format {
        case .csv:
            let name = "result.csv"
            let out = try HashingFileWriter(path: path(name))
            try out.write(ExportEncoding.csvLine(columns))
            for row in result.rows { try out.write(ExportEncoding.csvLine(row.map(\.description))) }
            let (bytes, sha) = try out.finish()
            file = .init(name: name, rows: result.rows.count, bytes: bytes, sha256: sha)
        case .jsonl:
            let name = "result.jsonl"
            let out = try HashingFileWriter(path: path(name))
            let keys = columns.map(ExportEncoding.jsonString)
            for row in result.rows {
                let members = zip(keys, row).map { key, value -> String in
                    switch value {
                    case .null: return key + ":null"
                    case .text(let t): return key + ":" + ExportEncoding.jsonString(t)
                    case .number(let t): return key + ":" + (ExportEncoding.isPlainNumber(t) ? t : ExportEncoding.jsonString(t))
                    }
                }
                try out.write("{" + members.joined(separator: ",") + "}\n")
            }
            let (bytes, sha) = try out.finish()
            file = .init(name: name, rows: result.rows.count, bytes: bytes, sha256: sha)
        case .sqlite:
            let name = "result.sqlite"
            let path = path(name)
            do {
                let typed = result.columns.map { ($0.name, $0.kind == .text ? "TEXT" : "NUMERIC") }
                let out = try Self.createTableFile(path, table: "result", columns: typed)
                let insert = try out.prepare("INSERT INTO result VALUES (" + columns.map { _ in "?" }.joined(separator: ", ") + ")")
                try out.transaction(.immediate) {
                    for row in result.rows {
                        try insert.execute(row.map { value -> SQLValue in
                            switch value {
                            case .null: return .null
                            case .text(let t), .number(let t): return .text(t)
                            }
                        })
                    }
                    try Self.writeMeta(out, request: request, asOf: asOf, logPosition: logPosition)
                }
            }
            try SnapshotFiles.fsync(path: path)
            let (bytes, sha) = try SnapshotFiles.sha256(ofFile: path)
            file = .init(name: name, rows: result.rows.count, bytes: bytes, sha256: sha, table: "result")
        case .sdmxCSV:
            throw ExportError(.unsupported, "an SDMX-CSV export holds observations, not a query's result")
        }
        return Written(files: [file], columns: columns, content: "query", formatVersion: Self.layoutVersion,
                       logPosition: logPosition, effectiveQuery: text, warnings: result.warnings)
    }

    // MARK: - SQLite files of exported rows

    /// A new SQLite file (rollback journal, full sync) with one table of the given columns.
    static func createTableFile(_ path: String, table: String, columns: [(name: String, type: String)]) throws -> Database {
        let db = try Database(path: path, options: .init(readOnly: false, create: true, journalMode: .delete, synchronous: .full,
                                                         foreignKeys: false))
        let definitions = columns.map { Database.quoteIdentifier($0.name) + " " + $0.type }.joined(separator: ", ")
        try db.execute("CREATE TABLE \(Database.quoteIdentifier(table)) (\(definitions))")
        try db.execute("CREATE TABLE export_meta (key TEXT PRIMARY KEY, value TEXT)")
        return db
    }

    static func writeMeta(_ db: Database, request: ExportRequest, asOf: ExportAsOf?, logPosition: UInt64) throws {
        let entries: [(String, SQLValue)] = [
            ("log_position", .text(String(logPosition))), ("as_of", asOf.map { .text($0.text) } ?? .null),
            ("known_before", asOf.map { .text($0.knownBefore) } ?? .null), ("query", request.query.map { .text($0) } ?? .null),
            ("read_model_schema_version", .text(String(ReadModelSchema.version))),
        ]
        for (key, value) in entries {
            try db.execute("INSERT INTO export_meta (key, value) VALUES (?, ?)", arguments: [.text(key), value])
        }
    }
}
