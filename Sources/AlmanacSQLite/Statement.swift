import CSQLite

/// A compiled SQL statement: owns one `sqlite3_stmt`, finalised in `deinit`.
///
/// The hot path (typed `bind(_:at:)`, `step()`, `reset()`, typed column readers) makes no
/// Swift allocation: text and blobs are handed to SQLite with `SQLITE_TRANSIENT`, so
/// SQLite copies them and the caller's buffers need not outlive the call.
///
/// Indexes follow SQLite: **parameters are 1-based** (`?1` is index 1), **columns are
/// 0-based**. A column index out of range is a programmer error and traps.
///
/// Like its `Database`, a statement is used by one thread at a time.
public final class Statement {
    /// The `sqlite3_stmt*`; valid for the lifetime of `self`.
    let handle: OpaquePointer
    /// The connection; a statement keeps it alive.
    public let database: Database
    /// The SQL the statement was compiled from.
    public let sql: String
    /// The number of parameters (the largest `?NNN` index).
    public let parameterCount: Int
    /// The number of result columns (0 for statements that return no rows).
    public let columnCount: Int
    /// The values bound so far, kept only to report them in errors.
    ///
    /// Recording a value is an enum store into an array of fixed size: no allocation.
    private(set) var boundValues: [SQLValue]

    init(database: Database, sql: String, persistent: Bool) throws {
        var prepared: OpaquePointer?
        var trailingSQL = false
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        database.authorizer?.clearDenial()
        let rc = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(database.handle, text, -1, flags, &prepared, &tail)
            if rc == SQLITE_OK, let tail, tail.pointee != 0 {
                trailingSQL = Self.isStatement(tail, in: database.handle)
            }
            return rc
        }
        guard rc == SQLITE_OK else {
            sqlite3_finalize(prepared)
            throw database.error(rc, sql: sql)
        }
        guard let prepared, !trailingSQL else {
            sqlite3_finalize(prepared)
            throw SQLiteError(
                resultCode: SQLITE_MISUSE,
                message: prepared == nil
                    ? "no SQL statement to prepare"
                    : "prepare takes exactly one statement; use execute(_:) for scripts",
                sql: sql)
        }
        handle = prepared
        self.database = database
        self.sql = sql
        parameterCount = Int(sqlite3_bind_parameter_count(prepared))
        columnCount = Int(sqlite3_column_count(prepared))
        boundValues = Array(repeating: .null, count: parameterCount)
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Whether `text` begins with another statement (not just whitespace or comments).
    private static func isStatement(_ text: UnsafePointer<CChar>, in db: OpaquePointer) -> Bool {
        var next: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, text, -1, &next, nil)
        defer { sqlite3_finalize(next) }
        return rc != SQLITE_OK || next != nil
    }

    /// Whether the statement cannot change the database (`sqlite3_stmt_readonly`).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    // MARK: - Binding

    /// Resets the statement and binds `values` to parameters 1…n.
    ///
    /// - Throws: `SQLiteError` (`SQLITE_RANGE`) when `values.count` differs from
    ///   `parameterCount`, or when SQLite refuses a value (too big).
    public func bind(_ values: [SQLValue]) throws {
        guard values.count == parameterCount else {
            throw SQLiteError(
                resultCode: SQLITE_RANGE,
                message: "statement takes \(parameterCount) argument(s), got \(values.count)",
                sql: sql, arguments: values)
        }
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    /// Binds one value to parameter `index` (1-based).
    public func bind(_ value: SQLValue, at index: Int) throws {
        switch value {
        case .null: try bindNull(at: index)
        case .integer(let integer): try bind(integer, at: index)
        case .real(let real): try bind(real, at: index)
        case .text(let text): try bind(text, at: index)
        case .blob(let bytes): try bind(bytes, at: index)
        }
    }

    /// Binds an integer to parameter `index` (1-based).
    @inline(__always)
    public func bind(_ value: Int64, at index: Int) throws {
        try check(sqlite3_bind_int64(handle, Int32(clamping: index), value), index, .integer(value))
    }

    /// Binds an integer to parameter `index` (1-based).
    @inline(__always)
    public func bind(_ value: Int, at index: Int) throws {
        try bind(Int64(value), at: index)
    }

    /// Binds a double to parameter `index` (1-based); NaN is stored as NULL.
    @inline(__always)
    public func bind(_ value: Double, at index: Int) throws {
        try check(sqlite3_bind_double(handle, Int32(clamping: index), value), index, .real(value))
    }

    /// Binds UTF-8 text to parameter `index` (1-based); SQLite copies the bytes.
    public func bind(_ value: String, at index: Int) throws {
        var text = value
        let position = Int32(clamping: index)
        let rc = text.withUTF8 { utf8 -> Int32 in
            guard let base = utf8.baseAddress, utf8.count > 0 else {
                return sqlite3_bind_text(handle, position, "", 0, almanac_sqlite_transient())
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) { chars in
                sqlite3_bind_text64(
                    handle, position, chars, sqlite3_uint64(utf8.count), almanac_sqlite_transient(),
                    UInt8(SQLITE_UTF8))
            }
        }
        try check(rc, index, .text(value))
    }

    /// Binds bytes to parameter `index` (1-based); an empty array binds an empty blob, not NULL.
    public func bind(_ bytes: [UInt8], at index: Int) throws {
        let position = Int32(clamping: index)
        let rc = bytes.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress, raw.count > 0 else {
                return sqlite3_bind_zeroblob(handle, position, 0)
            }
            return sqlite3_bind_blob64(handle, position, base, sqlite3_uint64(raw.count), almanac_sqlite_transient())
        }
        try check(rc, index, .blob(bytes))
    }

    /// Binds NULL to parameter `index` (1-based).
    public func bindNull(at index: Int) throws {
        try check(sqlite3_bind_null(handle, Int32(clamping: index)), index, .null)
    }

    /// Sets every parameter back to NULL (`sqlite3_clear_bindings`).
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
        for index in boundValues.indices { boundValues[index] = .null }
    }

    /// Records a successful binding, or throws the binding error.
    @inline(__always)
    private func check(_ rc: Int32, _ index: Int, _ value: SQLValue) throws {
        guard rc == SQLITE_OK else {
            let reason = rc == SQLITE_RANGE
                ? "parameter index \(index) out of range 1...\(parameterCount)"
                : String(cString: sqlite3_errstr(rc))
            throw SQLiteError(resultCode: rc, message: reason, sql: sql, arguments: boundValues)
        }
        boundValues[index - 1] = value
    }

    // MARK: - Running

    /// Runs the statement to its next row.
    ///
    /// - Returns: `true` when a row is ready to read, `false` when the statement is done.
    /// - Throws: `SQLiteError` with the SQL and the bound arguments; the statement is reset.
    @inline(__always)
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw stepError(rc)
    }

    /// Builds the error for a failed step, then resets the statement so it holds no lock.
    func stepError(_ rc: Int32) -> SQLiteError {
        let error = database.error(rc, sql: sql, arguments: boundValues)
        sqlite3_reset(handle)
        return error
    }

    /// Rewinds the statement so it can run again; bindings are kept.
    ///
    /// Any error of the last run was already thrown by `step()`, so none is reported here.
    @inline(__always)
    public func reset() {
        sqlite3_reset(handle)
    }

    /// Resets, optionally binds `arguments`, runs to completion and resets again.
    ///
    /// Rows the statement returns are discarded.
    public func execute(_ arguments: [SQLValue]? = nil) throws {
        if let arguments { try bind(arguments) } else { reset() }
        defer { reset() }
        while try step() {}
    }
}
