import CSQLite

/// Reading the columns of the current row, and iterating rows.
///
/// Column readers are valid after `step()` returned `true` and until the next `step()` or
/// `reset()`. Readers follow SQLite's conversions: `int64(at:)` of a NULL is 0, of text
/// `'12'` is 12; use `isNull(at:)` or `columnType(at:)` where that matters.
extension Statement {
    /// The name of each result column, as SQLite reports it (the `AS` alias if any).
    public var columnNames: [String] {
        (0..<columnCount).map { columnName(at: $0) }
    }

    /// The name of result column `index` (0-based).
    public func columnName(at index: Int) -> String {
        String(cString: sqlite3_column_name(handle, column(index)))
    }

    /// The storage class of column `index` in the current row.
    @inline(__always)
    public func columnType(at index: Int) -> SQLColumnType {
        switch sqlite3_column_type(handle, column(index)) {
        case SQLITE_INTEGER: .integer
        case SQLITE_FLOAT: .real
        case SQLITE_TEXT: .text
        case SQLITE_BLOB: .blob
        default: .null
        }
    }

    /// Whether column `index` of the current row is NULL.
    @inline(__always)
    public func isNull(at index: Int) -> Bool {
        sqlite3_column_type(handle, column(index)) == SQLITE_NULL
    }

    /// Column `index` as an integer (NULL reads as 0).
    @inline(__always)
    public func int64(at index: Int) -> Int64 {
        sqlite3_column_int64(handle, column(index))
    }

    /// Column `index` as an `Int` (NULL reads as 0).
    @inline(__always)
    public func int(at index: Int) -> Int {
        Int(sqlite3_column_int64(handle, column(index)))
    }

    /// Column `index` as a double (NULL reads as 0).
    @inline(__always)
    public func double(at index: Int) -> Double {
        sqlite3_column_double(handle, column(index))
    }

    /// Column `index` as text, or `nil` for NULL; numbers are converted to their text.
    public func text(at index: Int) -> String? {
        withUnsafeUTF8(at: index) { bytes in
            bytes.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Column `index` as bytes, or `nil` for NULL.
    public func blob(at index: Int) -> [UInt8]? {
        let position = column(index)
        guard sqlite3_column_type(handle, position) != SQLITE_NULL else { return nil }
        let count = Int(sqlite3_column_bytes(handle, position))
        guard count > 0, let base = sqlite3_column_blob(handle, position) else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Calls `body` with the UTF-8 bytes of column `index` (nil for NULL), without copying.
    ///
    /// The buffer belongs to SQLite and is valid only inside `body`.
    public func withUnsafeUTF8<Result>(
        at index: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> Result
    ) rethrows -> Result {
        let position = column(index)
        guard sqlite3_column_type(handle, position) != SQLITE_NULL else { return try body(nil) }
        // Per the SQLite docs: call _text first, then _bytes, so the length is of the UTF-8 form.
        let text = sqlite3_column_text(handle, position)
        let count = Int(sqlite3_column_bytes(handle, position))
        return try body(UnsafeBufferPointer(start: count > 0 ? text : nil, count: count))
    }

    /// Calls `body` with the bytes of blob column `index` (nil for NULL), without copying.
    ///
    /// The buffer belongs to SQLite and is valid only inside `body`.
    public func withUnsafeBlob<Result>(
        at index: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) rethrows -> Result {
        let position = column(index)
        guard sqlite3_column_type(handle, position) != SQLITE_NULL else { return try body(nil) }
        let base = sqlite3_column_blob(handle, position)
        let count = Int(sqlite3_column_bytes(handle, position))
        return try body(UnsafeRawBufferPointer(start: count > 0 ? base : nil, count: count))
    }

    /// Column `index` as a `SQLValue` of its storage class.
    public func value(at index: Int) -> SQLValue {
        switch columnType(at: index) {
        case .null: .null
        case .integer: .integer(int64(at: index))
        case .real: .real(double(at: index))
        case .text: .text(text(at: index) ?? "")
        case .blob: .blob(blob(at: index) ?? [])
        }
    }

    /// All columns of the current row.
    public func currentRow() -> [SQLValue] {
        (0..<columnCount).map { value(at: $0) }
    }

    /// Runs the statement from the start and returns every row (allocates; small results).
    public func rows() throws -> [[SQLValue]] {
        var result: [[SQLValue]] = []
        try forEachRow { statement in result.append(statement.currentRow()) }
        return result
    }

    /// Runs the statement from the start, calling `body` once per row with `self`.
    ///
    /// Nothing is allocated per row: `body` reads the columns it needs with the typed
    /// readers. The statement is reset afterwards (also on error), bindings kept.
    public func forEachRow(_ body: (Statement) throws -> Void) throws {
        reset()
        defer { reset() }
        while try step() {
            try body(self)
        }
    }

    /// The C column index, after checking `index` is a column of this statement.
    @inline(__always)
    private func column(_ index: Int) -> Int32 {
        precondition(index >= 0 && index < columnCount, "column \(index) out of range 0..<\(columnCount)")
        return Int32(truncatingIfNeeded: index)
    }
}
