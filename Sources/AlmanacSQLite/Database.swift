import CSQLite

/// One SQLite connection, configured from `Database.Options`.
///
/// **Threads.** The connection is opened in SQLite's multi-thread mode
/// (`SQLITE_OPEN_NOMUTEX`): SQLite does no locking of its own, so a `Database` and its
/// statements must be used by one thread at a time. That is why `Database` is not
/// `Sendable`: own it from one actor or one thread, and open one connection per reader.
///
/// **Lifetime.** Each `Statement` keeps its `Database` alive. The connection is closed
/// with `sqlite3_close_v2` when the `Database` and all its statements are gone.
///
/// **Not guaranteed.** Nothing here retries on `SQLITE_BUSY` beyond the busy timeout,
/// and no statement cache is kept: prepare once and reuse the `Statement`.
public final class Database {
    /// The `sqlite3*` handle; valid for the lifetime of `self`.
    let handle: OpaquePointer
    /// The path given at open (`":memory:"` for an in-memory database).
    public let path: String
    /// The options the connection was opened with.
    public let options: Options
    /// The authorizer's state while one is installed (see `restrictToReadOnlyQueries`).
    var authorizer: QueryAuthorizer?
    /// The time limit of the statement running under `QueryLimits`, if any.
    var activeTimeLimit: TimeLimitState?

    /// Opens (and, with `options.create`, creates) the database at `path`.
    ///
    /// - Parameters:
    ///   - path: A file path, or `":memory:"`.
    ///   - options: How to open and configure the connection.
    /// - Throws: `SQLiteError` when the file cannot be opened or a setting cannot be applied
    ///   (for instance WAL on a file system that does not support it).
    public init(path: String, options: Options = Options()) throws {
        var flags = SQLITE_OPEN_NOMUTEX
        if options.readOnly {
            flags |= SQLITE_OPEN_READONLY
        } else {
            flags |= SQLITE_OPEN_READWRITE
            if options.create { flags |= SQLITE_OPEN_CREATE }
        }
        var opened: OpaquePointer?
        let rc = sqlite3_open_v2(path, &opened, flags, nil)
        guard rc == SQLITE_OK, let opened else {
            let reason = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            let extended = opened.map { sqlite3_extended_errcode($0) } ?? rc
            sqlite3_close_v2(opened)
            throw SQLiteError(resultCode: rc, extendedResultCode: extended, message: "cannot open \(path): \(reason)")
        }
        handle = opened
        self.path = path
        self.options = options
        // From here `deinit` closes the handle if configuration throws.
        try configure()
    }

    deinit {
        sqlite3_progress_handler(handle, 0, nil, nil)
        sqlite3_set_authorizer(handle, nil, nil)
        sqlite3_close_v2(handle)
    }

    /// Applies `options`, each setting explicitly.
    private func configure() throws {
        sqlite3_busy_timeout(handle, options.busyTimeoutMilliseconds)
        // Extensions are never loaded by Almanac; make sure the C API cannot either.
        sqlite3_enable_load_extension(handle, 0)
        if options.readOnly {
            try execute("PRAGMA query_only = 1")
        } else if let mode = options.journalMode {
            let result = try firstValue("PRAGMA journal_mode = \(mode.rawValue)")
            let isMemory = path == ":memory:" || path.isEmpty
            guard case .text(let actual)? = result, actual.lowercased() == mode.rawValue || isMemory else {
                throw SQLiteError(
                    resultCode: SQLITE_ERROR,
                    message: "journal_mode stayed \(result?.description ?? "unknown"), wanted \(mode.rawValue)",
                    sql: "PRAGMA journal_mode = \(mode.rawValue)")
            }
        }
        try execute("PRAGMA synchronous = \(options.synchronous.rawValue.uppercased())")
        try execute("PRAGMA foreign_keys = \(options.foreignKeys ? "ON" : "OFF")")
    }

    // MARK: - Running SQL

    /// Runs a script of zero or more statements separated by semicolons, to completion.
    ///
    /// Rows returned by the statements are discarded. For user-supplied values use
    /// `execute(_:arguments:)` or a prepared `Statement`: never build SQL from user text.
    /// - Throws: `SQLiteError` naming the statement of the script that failed; statements
    ///   before it have run.
    public func execute(_ sql: String) throws {
        try sql.withCString { script in
            var next: UnsafePointer<CChar>? = script
            while let current = next, current.pointee != 0 {
                var stmt: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                authorizer?.clearDenial()
                let rc = sqlite3_prepare_v2(handle, current, -1, &stmt, &tail)
                guard rc == SQLITE_OK else {
                    throw error(rc, sql: Self.firstStatement(of: current))
                }
                next = tail
                guard let stmt else { continue }  // only whitespace or a comment
                defer { sqlite3_finalize(stmt) }
                var step = sqlite3_step(stmt)
                while step == SQLITE_ROW { step = sqlite3_step(stmt) }
                guard step == SQLITE_DONE else {
                    throw error(step, sql: String(cString: sqlite3_sql(stmt)))
                }
            }
        }
    }

    /// The first complete statement of `script`, for error reports (not a hot path).
    private static func firstStatement(of script: UnsafePointer<CChar>) -> String {
        let remainder = String(cString: script).drop(while: \.isWhitespace)
        var end = remainder.startIndex
        while let semicolon = remainder[end...].firstIndex(of: ";") {
            end = remainder.index(after: semicolon)
            let candidate = String(remainder[..<end])
            if sqlite3_complete(candidate) != 0 { return candidate }
        }
        return String(remainder)
    }

    /// Runs one statement with bound arguments, to completion.
    public func execute(_ sql: String, arguments: [SQLValue]) throws {
        try prepare(sql).execute(arguments)
    }

    /// Compiles one SQL statement.
    ///
    /// - Parameters:
    ///   - sql: Exactly one statement; a trailing semicolon, whitespace and comments are allowed.
    ///   - persistent: Hint that the statement will be reused many times
    ///     (`SQLITE_PREPARE_PERSISTENT`).
    /// - Throws: `SQLiteError` on a syntax error, an unknown table, an authorizer denial, or
    ///   when `sql` holds more than one statement.
    public func prepare(_ sql: String, persistent: Bool = false) throws -> Statement {
        try Statement(database: self, sql: sql, persistent: persistent)
    }

    /// All rows of a query, as values (convenient, allocates; for small results).
    public func rows(_ sql: String, arguments: [SQLValue] = []) throws -> [[SQLValue]] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        return try statement.rows()
    }

    /// The first column of the first row of a query, or `nil` when it returns no row.
    public func firstValue(_ sql: String, arguments: [SQLValue] = []) throws -> SQLValue? {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        return try statement.step() ? statement.value(at: 0) : nil
    }

    // MARK: - State

    /// The rowid of the last row inserted on this connection (`sqlite3_last_insert_rowid`).
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last completed INSERT, UPDATE or DELETE (`sqlite3_changes64`).
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// Rows changed since the connection opened (`sqlite3_total_changes64`).
    public var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }

    /// Whether a transaction is open (the connection is not in autocommit mode).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: - Errors

    /// The error for result code `rc`, taken from the connection's current error state.
    ///
    /// Call right after the failing C call: the message belongs to the latest call. A
    /// pending authorizer denial or an exceeded time limit replaces SQLite's terse message.
    func error(_ rc: Int32, sql: String?, arguments: [SQLValue] = []) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        if rc & 0xFF == SQLITE_INTERRUPT, let limit = activeTimeLimit, limit.fired {
            let exceeded = QueryLimitExceeded.time(limit.limit)
            return SQLiteError(
                resultCode: rc, extendedResultCode: extended, message: exceeded.message,
                sql: sql, arguments: arguments, limitExceeded: exceeded)
        }
        var message = String(cString: sqlite3_errmsg(handle))
        if let denial = authorizer?.takeDenial() {
            message = denial
        }
        return SQLiteError(
            resultCode: rc, extendedResultCode: extended, message: message, sql: sql, arguments: arguments)
    }
}
