import AlmanacLog
import AlmanacQuery
import AlmanacSQLite
import Foundation
import Glibc

/// Snapshot exports (`almanac export`, the daemon's export schedules); see `docs/exports.md`.
///
/// Order of work, so that a kill at any moment leaves either no snapshot or a whole one:
/// 1. check the request (the target must not exist; the as-of time and the query must be
///    well formed) and catch the read model up with the log;
/// 2. remove what killed exports left in the target's parent (`.<name>.tmp-<pid>` of dead
///    processes) and create `.<name>.tmp-<pid>` beside the target;
/// 3. on a read-only connection, inside one read transaction (a WAL snapshot: ingest goes
///    on meanwhile), read the log position and write every data file, each fsynced;
/// 4. write `manifest.json` (fsynced) and fsync the temporary directory;
/// 5. rename it to the target (refusing to replace anything), then fsync the parent.
extension Store {
    /// Limits on a query export: far above the interactive defaults, still bounded.
    public static let exportQueryLimits = QueryLimits(timeLimit: .seconds(600), rowLimit: 10_000_000)

    /// Writes a snapshot directory; see the extension's discussion.
    ///
    /// - Parameters:
    ///   - request: the format, the directory to create, the knowledge time and the query.
    ///   - now: the time recorded as `createdAt`.
    /// - Returns: what was written (also in the snapshot's `manifest.json`).
    /// - Throws: ``ExportError`` (an existing output directory, a bad as-of time, a query
    ///   error rendered with its caret in `rendered`), `StoreError`, `SQLiteError`.
    @discardableResult
    public func export(_ request: ExportRequest, now: Date = Date()) throws -> ExportReport {
        try requireInitialised()
        let (parent, name) = try SnapshotFiles.split(request.outputDirectory)
        let target = parent + "/" + name
        if SnapshotFiles.exists(target) {
            throw ExportError(.outputExists, "output directory \(request.outputDirectory) already exists; choose a new name")
        }
        let asOf = try request.asOf.map { text throws(ExportError) in try ExportAsOf(parsing: text) }
        if let query = request.query {
            if query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw ExportError(.badQuery, "the query is empty")
            }
            if request.format == .sdmxCSV {
                throw ExportError(.unsupported, "an SDMX-CSV export holds observations, not a query's result; export the query as csv, jsonl or sqlite")
            }
            if let asOf, !asOf.isDate {
                throw ExportError(.unsupported, "with a query, --as-of must be a date such as 2021-07-12 (the query language's asof takes dates)")
            }
        }

        _ = try readModel.openCaughtUp()
        guard let (_, modelPath) = readModel.current() else { throw StoreError(.readModel, "the store has no read model") }

        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw ExportError(.io, "cannot create \(parent): \(error.localizedDescription)")
        }
        SnapshotFiles.removeLeftovers(in: parent)
        let temporary = parent + "/" + SnapshotFiles.temporaryName(for: name)
        guard mkdir(temporary, 0o755) == 0 else {
            throw ExportError(.io, "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        var renamed = false
        defer { if !renamed { try? FileManager.default.removeItem(atPath: temporary) } }

        let db = try Database(path: modelPath, options: .readOnlyQueries)
        let written = try db.transaction(.deferred) {
            try SnapshotWriter(db: db, directory: temporary, request: request, asOf: asOf).write()
        }
        FaultPoints.hit("export-after-data")

        let createdAt = Timestamp.iso8601(ms: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
        let manifest = ExportManifest(
            format: request.format.rawValue, formatVersion: written.formatVersion, content: written.content,
            logPosition: written.logPosition, asOf: asOf?.text, knownBefore: asOf?.knownBefore, createdAt: createdAt,
            query: request.query, effectiveQuery: written.effectiveQuery, readModelSchemaVersion: ReadModelSchema.version,
            columns: written.columns, rows: written.files.reduce(0) { $0 + $1.rows }, files: written.files,
            warnings: written.warnings)
        let manifestWriter = try HashingFileWriter(path: temporary + "/" + ExportManifest.fileName)
        try manifestWriter.write(bytes: try manifest.encoded())
        _ = try manifestWriter.finish()
        try SnapshotFiles.fsync(path: temporary)
        FaultPoints.hit("export-before-rename")

        try SnapshotFiles.renameNoReplace(temporary, target)
        renamed = true
        FaultPoints.hit("export-after-rename")
        try SnapshotFiles.fsync(path: parent)

        return ExportReport(directory: request.outputDirectory, format: request.format, files: written.files,
                            logPosition: written.logPosition, asOf: asOf?.text, knownBefore: asOf?.knownBefore,
                            query: request.query, createdAt: createdAt, warnings: written.warnings)
    }
}

/// The query with `asof <date>` as its first step, for `--as-of` with `--query`; the query
/// must not have an `asof` of its own.
enum ExportQueryText {
    static func addingAsOf(_ asOf: ExportAsOf, to text: String) throws -> String {
        let query: Query
        do {
            query = try Query.parse(text)
        } catch {
            throw ExportError(.badQuery, "query error at \(error.description)", rendered: error.rendered(in: text))
        }
        if query.steps.contains(where: { $0.value.name == .asof }) {
            throw ExportError(.unsupported, "the query has its own asof step; leave out --as-of or the step")
        }
        let source = QueryPrinter.print(Query(indicators: query.indicators, steps: []))
        return ([source, "asof \(asOf.text)"] + query.steps.map { QueryPrinter.print($0.value) }).joined(separator: " | ")
    }
}
