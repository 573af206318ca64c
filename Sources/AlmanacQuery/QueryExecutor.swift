import Glibc
import AlmanacSQLite

/// Runs compiled queries on a read-only connection under time and row limits.
///
/// The connection must already be restricted (``QueryEngine`` does it): opened with
/// `Database.Options.readOnlyQueries`, `restrictToReadOnlyQueries()` installed so only
/// reading is authorised, and `applyQueryRuntimeLimits()`. Each statement (a pivot's
/// discovery, then the query) runs under its own `QueryLimits`; a limit stops it with
/// ``QueryRuntimeError`` carrying the limit's message, such as
/// `query stopped after 10 s time limit`.
///
/// Not `Sendable`: it uses one SQLite connection, which one thread at a time may use.
public struct QueryExecutor {
    /// The read-only connection.
    public let database: Database
    /// Where statements run before are kept prepared; nil prepares each one anew.
    public let statements: StatementCache?

    /// An executor on a restricted connection, keeping prepared statements in `statements`.
    public init(database: Database, statements: StatementCache? = nil) {
        self.database = database
        self.statements = statements
    }

    /// The values of a pivot discovery, in order.
    public func discover(_ discovery: PivotDiscovery, limits: QueryLimits) throws -> [String] {
        try run(discovery.sql, discovery.parameters, limits: limits).map { $0.first?.textValue ?? "" }
    }

    /// Runs a compiled query and renders its rows in `format`.
    ///
    /// - Throws: ``QueryRuntimeError`` when a limit stops the statement or SQLite fails.
    public func execute(_ query: CompiledQuery, format: OutputFormat = .table, limits: QueryLimits = QueryLimits()) throws -> QueryResult {
        let count = query.columns.count
        if let shortcut = query.shortcut, let rows = try answer(shortcut, columns: query.columns, limits: limits) {
            var result = QueryResult(columns: query.columns, rows: rows, warnings: [], format: format)
            result.answeredByShortcut = true
            return result
        }
        var rows: [[QueryValue]] = []
        var warnings: [String] = []
        var reader = CellReader(columns: query.columns)
        // Rows are turned into cells as the statement steps (no array of all rows of
        // `SQLValue`s in between).
        try forEachRow(query.sql, query.parameters, limits: limits, columns: { $0 >= count + 3 }) { row in
            if row.columnType(at: count + 1) == .integer, row.int64(at: count + 1) == 1 {
                warnings.append(row.text(at: count) ?? "")
            } else {
                rows.append(reader.cells(of: row))
            }
        }
        return QueryResult(columns: query.columns, rows: rows, warnings: warnings, format: format)
    }

    /// The shortcut's rows, when they are as many as its `$whole` column says (then they are
    /// the answer); nil when not, or when it has none (the statement then says).
    func answer(_ shortcut: CompiledQuery.Shortcut, columns: [ResultColumn], limits: QueryLimits) throws -> [[QueryValue]]? {
        let count = columns.count
        var rows: [[QueryValue]] = []
        var whole: Int64 = -1
        var reader = CellReader(columns: columns)
        try forEachRow(shortcut.sql, shortcut.parameters, limits: limits, columns: { $0 == count + 1 }) { row in
            whole = row.int64(at: count)
            rows.append(reader.cells(of: row))
        }
        return rows.count == whole ? rows : nil
    }

    /// Runs `sql` with `parameters` under `limits`, calling `body` for each row, when the
    /// number of its columns passes `columns` (else no row: a statement of another shape is
    /// not read).
    ///
    /// - Throws: ``QueryRuntimeError`` when a limit stops the statement or SQLite fails.
    func forEachRow(_ sql: String, _ parameters: [SQLValue], limits: QueryLimits, columns: (Int) -> Bool,
                    _ body: (Statement) throws -> Void) throws {
        do {
            let statement = try prepared(sql)
            try statement.bind(parameters)
            guard columns(statement.columnCount) else { return }
            try statement.forEachRow(limits: limits, body)
        } catch let error as SQLiteError {
            throw QueryRuntimeError(error)
        }
    }

    /// `sql` prepared: from the cache when there is one.
    func prepared(_ sql: String) throws -> Statement {
        try statements?.statement(sql, on: database) ?? database.prepare(sql)
    }

    /// Whether `text` is digits with at most one `.` and a leading `-` (at least one digit):
    /// a number `Double` reads, told without parsing it (exact values are such texts).
    static func isPlainDecimal(_ text: String) -> Bool {
        var digits = 0, dots = 0, first = true
        for byte in text.utf8 {
            defer { first = false }
            if byte >= 0x30 && byte <= 0x39 { digits += 1 } else if byte == 0x2E { dots += 1 } else if !(first && byte == 0x2D) { return false }
        }
        return digits > 0 && dots <= 1
    }

    func run(_ sql: String, _ parameters: [SQLValue], limits: QueryLimits) throws -> [[SQLValue]] {
        do {
            return try database.rows(sql, arguments: parameters, limits: limits)
        } catch let error as SQLiteError {
            throw QueryRuntimeError(error)
        }
    }

    /// A cell as the column's kind shows it: exact text kept, computed numbers rounded.
    static func value(_ value: SQLValue, as kind: ResultColumn.Kind) -> QueryValue {
        switch (value, kind) {
        case (.null, _), (.blob, _): return .null
        case (.text(let text), .text): return .text(text)
        case (.integer(let number), .text): return .text(String(number))
        case (.real(let number), .text): return .text(QueryValue.display(number))
        case (.text(let text), _): return isPlainDecimal(text) || Double(text) != nil ? .number(text) : .text(text)
        case (.integer(let number), _): return .number(String(number))
        case (.real(let number), .integer): return number.isFinite ? .number(String(Int64(number.rounded()))) : .null
        case (.real(let number), .number): return number.isFinite ? .number(QueryValue.display(number)) : .null
        }
    }
}

/// Reads the result cells of a row, as ``QueryExecutor/value(_:as:)`` makes them, from
/// SQLite's bytes: a text equal to the same column's text in the row before is that
/// ``QueryValue`` again, not a new string (rows come sorted, so a series' keys and names
/// repeat row after row).
struct CellReader {
    let columns: [ResultColumn]
    private var previous: [QueryValue]

    init(columns: [ResultColumn]) {
        self.columns = columns
        previous = Array(repeating: .null, count: columns.count)
    }

    mutating func cells(of row: Statement) -> [QueryValue] {
        var cells: [QueryValue] = []
        cells.reserveCapacity(columns.count)
        for index in columns.indices {
            let kind = columns[index].kind
            guard row.columnType(at: index) == .text else {
                cells.append(QueryExecutor.value(row.value(at: index), as: kind))
                continue
            }
            let cell = row.withUnsafeUTF8(at: index) { bytes -> QueryValue in
                guard let bytes else { return .null }
                if case .text(var last) = previous[index], kind == .text,
                   last.withUTF8({ $0.count == bytes.count && (bytes.isEmpty || memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0) }) {
                    return previous[index]
                }
                return QueryExecutor.value(.text(String(decoding: bytes, as: UTF8.self)), as: kind)
            }
            previous[index] = cell
            cells.append(cell)
        }
        return cells
    }
}
