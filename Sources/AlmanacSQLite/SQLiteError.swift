import CSQLite

/// An error reported by SQLite, with the statement and the arguments that caused it.
///
/// Modelled on GRDB's `DatabaseError`: the primary and extended result codes, SQLite's
/// own message, the SQL, and the bound arguments. `description` is one line suitable for
/// the command line. Errors raised by a query limit (see `QueryLimits`) have
/// `resultCode == SQLITE_INTERRUPT` and say which limit in `limitExceeded` and `message`.
///
/// Arguments appear in `description`; callers that log errors from sensitive data should
/// log `message` and `sql` instead.
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The primary result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, …), 0–255.
    public var resultCode: Int32
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …); equals `resultCode` when
    /// SQLite gave none.
    public var extendedResultCode: Int32
    /// What went wrong, in SQLite's words or ours.
    public var message: String
    /// The statement that failed, if any.
    public var sql: String?
    /// The arguments bound to the statement when it failed (empty if none were bound).
    public var arguments: [SQLValue]
    /// Set when the statement was stopped by a time or row limit.
    public var limitExceeded: QueryLimitExceeded?

    /// Creates an error; the extended code defaults to the primary one.
    public init(
        resultCode: Int32,
        extendedResultCode: Int32? = nil,
        message: String,
        sql: String? = nil,
        arguments: [SQLValue] = [],
        limitExceeded: QueryLimitExceeded? = nil
    ) {
        self.resultCode = resultCode & 0xFF
        self.extendedResultCode = extendedResultCode ?? resultCode
        self.message = message
        self.sql = sql
        self.arguments = arguments
        self.limitExceeded = limitExceeded
    }

    /// The symbolic name of the primary result code, such as `SQLITE_CONSTRAINT`.
    public var codeName: String {
        Self.primaryCodeNames[Int(resultCode)] ?? "SQLITE_ERROR_\(resultCode)"
    }

    /// Whether the error is a constraint violation (UNIQUE, NOT NULL, CHECK, FOREIGN KEY).
    public var isConstraintViolation: Bool { resultCode == SQLITE_CONSTRAINT }

    /// Whether another connection held a lock for longer than the busy timeout.
    public var isBusy: Bool { resultCode == SQLITE_BUSY || resultCode == SQLITE_LOCKED }

    /// One line: code, message, then the SQL (whitespace collapsed, long SQL shortened) and
    /// arguments, e.g. `SQLite error 19 SQLITE_CONSTRAINT: UNIQUE constraint failed: t.id
    /// — while executing `INSERT INTO t VALUES (?)` with arguments [1]`.
    public var description: String {
        var line: String
        if limitExceeded != nil {
            line = message
        } else {
            line = "SQLite error \(resultCode) \(codeName)"
            if extendedResultCode != resultCode { line += " (extended \(extendedResultCode))" }
            line += ": " + message
        }
        if let sql {
            line += " — while executing `\(Self.oneLine(sql, limit: 300))`"
            if !arguments.isEmpty {
                let shown = arguments.prefix(20).map { Self.oneLine($0.description, limit: 80) }
                let more = arguments.count > 20 ? ", … (\(arguments.count) in all)" : ""
                line += " with arguments [\(shown.joined(separator: ", "))\(more)]"
            }
        }
        return line
    }

    /// `text` on one line: runs of whitespace become one space, and at most `limit`
    /// characters are kept.
    static func oneLine(_ text: String, limit: Int) -> String {
        var result = ""
        var pendingSpace = false
        var count = 0
        for character in text {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.append(" ")
                count += 1
                pendingSpace = false
            }
            if count >= limit {
                result.append("…")
                break
            }
            result.append(character)
            count += 1
        }
        return result
    }

    private static let primaryCodeNames: [Int: String] = [
        0: "SQLITE_OK", 1: "SQLITE_ERROR", 2: "SQLITE_INTERNAL", 3: "SQLITE_PERM",
        4: "SQLITE_ABORT", 5: "SQLITE_BUSY", 6: "SQLITE_LOCKED", 7: "SQLITE_NOMEM",
        8: "SQLITE_READONLY", 9: "SQLITE_INTERRUPT", 10: "SQLITE_IOERR", 11: "SQLITE_CORRUPT",
        12: "SQLITE_NOTFOUND", 13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN", 15: "SQLITE_PROTOCOL",
        16: "SQLITE_EMPTY", 17: "SQLITE_SCHEMA", 18: "SQLITE_TOOBIG", 19: "SQLITE_CONSTRAINT",
        20: "SQLITE_MISMATCH", 21: "SQLITE_MISUSE", 22: "SQLITE_NOLFS", 23: "SQLITE_AUTH",
        24: "SQLITE_FORMAT", 25: "SQLITE_RANGE", 26: "SQLITE_NOTADB", 27: "SQLITE_NOTICE",
        28: "SQLITE_WARNING", 100: "SQLITE_ROW", 101: "SQLITE_DONE",
    ]
}
