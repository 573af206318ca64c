import AlmanacSQLite

/// Why a query that compiled could not be run to the end: a limit stopped it, the read
/// model could not be opened or read, or its data made the result impossible (a pivot
/// into too many columns).
///
/// ``message`` is one line for the command line; ``underlying`` keeps SQLite's error, with
/// the SQL and its arguments, for logs.
public struct QueryRuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line: `query stopped after 10 s time limit`.
    public var message: String
    /// Set when a time or row limit stopped the query.
    public var limitExceeded: QueryLimitExceeded?
    /// The SQLite error behind this one, if any.
    public var underlying: SQLiteError?

    /// An error with a message.
    public init(_ message: String, limitExceeded: QueryLimitExceeded? = nil, underlying: SQLiteError? = nil) {
        self.message = message
        self.limitExceeded = limitExceeded
        self.underlying = underlying
    }

    /// The error for a failed statement: the limit's own message when a limit stopped it,
    /// else SQLite's message (never the SQL, which users did not write).
    init(_ error: SQLiteError) {
        if let limit = error.limitExceeded {
            self.init(limit.message, limitExceeded: limit, underlying: error)
        } else {
            self.init("the query failed in the read model: \(error.message)", underlying: error)
        }
    }

    public var description: String { message }
}
