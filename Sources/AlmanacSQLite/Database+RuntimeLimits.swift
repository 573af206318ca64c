import CSQLite

/// SQLite's per-connection size limits (`sqlite3_limit`).
extension Database {
    /// One of SQLite's run-time limits (`SQLITE_LIMIT_*`).
    public enum RuntimeLimit: Sendable, Hashable, CaseIterable {
        /// Longest string or blob, in bytes.
        case length
        /// Longest SQL text, in bytes.
        case sqlLength
        /// Most columns in a table, index, result set, ORDER BY or GROUP BY.
        case columns
        /// Deepest expression tree.
        case expressionDepth
        /// Most terms in a compound SELECT.
        case compoundSelectTerms
        /// Most VM instructions in one compiled statement.
        case vdbeOperations
        /// Most arguments to one function.
        case functionArguments
        /// Most attached databases.
        case attachedDatabases
        /// Longest LIKE or GLOB pattern, in bytes.
        case likePatternLength
        /// Largest parameter index.
        case variableNumber
        /// Deepest trigger recursion.
        case triggerDepth
        /// Most auxiliary worker threads for one statement.
        case workerThreads

        var code: Int32 {
            switch self {
            case .length: SQLITE_LIMIT_LENGTH
            case .sqlLength: SQLITE_LIMIT_SQL_LENGTH
            case .columns: SQLITE_LIMIT_COLUMN
            case .expressionDepth: SQLITE_LIMIT_EXPR_DEPTH
            case .compoundSelectTerms: SQLITE_LIMIT_COMPOUND_SELECT
            case .vdbeOperations: SQLITE_LIMIT_VDBE_OP
            case .functionArguments: SQLITE_LIMIT_FUNCTION_ARG
            case .attachedDatabases: SQLITE_LIMIT_ATTACHED
            case .likePatternLength: SQLITE_LIMIT_LIKE_PATTERN_LENGTH
            case .variableNumber: SQLITE_LIMIT_VARIABLE_NUMBER
            case .triggerDepth: SQLITE_LIMIT_TRIGGER_DEPTH
            case .workerThreads: SQLITE_LIMIT_WORKER_THREADS
            }
        }
    }

    /// The current value of `limit`.
    public func limit(_ limit: RuntimeLimit) -> Int {
        Int(sqlite3_limit(handle, limit.code, -1))
    }

    /// Lowers (or raises, up to the compile-time maximum) `limit`; returns the old value.
    ///
    /// SQLite silently caps values above its compile-time maximum: read `limit(_:)` back
    /// if the exact value matters.
    @discardableResult
    public func setLimit(_ limit: RuntimeLimit, to value: Int) -> Int {
        precondition(value >= 0, "limits are not negative")
        return Int(sqlite3_limit(handle, limit.code, Int32(clamping: value)))
    }

    /// The limits `applyQueryRuntimeLimits()` sets: generous for compiled pipeline queries,
    /// small enough that a hostile query cannot build gigabyte strings or attach files.
    public static let queryRuntimeLimits: [RuntimeLimit: Int] = [
        .length: 10_000_000,
        .sqlLength: 1_000_000,
        .columns: 2000,
        .expressionDepth: 500,
        .compoundSelectTerms: 500,
        .vdbeOperations: 5_000_000,
        .functionArguments: 100,
        .attachedDatabases: 0,
        .likePatternLength: 1000,
        .variableNumber: 10_000,
        .triggerDepth: 10,
        .workerThreads: 0,
    ]

    /// Sets every limit of `Database.queryRuntimeLimits` on this connection.
    public func applyQueryRuntimeLimits() {
        for (limit, value) in Database.queryRuntimeLimits {
            setLimit(limit, to: value)
        }
    }
}
