import CSQLite

/// A time limit and a row limit for running a statement from an untrusted source.
///
/// The time limit is enforced by a progress handler (`sqlite3_progress_handler`) that
/// compares the monotonic clock with a deadline every `instructionsPerCheck` virtual
/// machine instructions and interrupts the statement once the deadline has passed. Time
/// spent in the caller's row closure counts too, but is only noticed at SQLite's next check.
/// The row limit is counted in Swift: the statement is stopped when it produces a row
/// beyond the limit, so a query returning exactly `rowLimit` rows succeeds.
///
/// Not guaranteed: a single long-running C call inside SQLite that executes no VM
/// instructions (a huge sort's final merge, an fsync) is not interrupted until it returns.
public struct QueryLimits: Sendable, Hashable {
    /// The longest the statement may run, or `nil` for no limit.
    public var timeLimit: Duration?
    /// The most rows the statement may return, or `nil` for no limit.
    public var rowLimit: Int?
    /// VM instructions between two looks at the clock (each look costs ~25 ns).
    public var instructionsPerCheck: Int32

    /// Creates limits; the defaults are those of the `query` command: 10 s, 1,000,000 rows.
    public init(timeLimit: Duration? = .seconds(10), rowLimit: Int? = 1_000_000, instructionsPerCheck: Int32 = 1000) {
        precondition(instructionsPerCheck > 0, "instructionsPerCheck must be positive")
        precondition(rowLimit.map { $0 >= 0 } ?? true, "rowLimit must not be negative")
        self.timeLimit = timeLimit
        self.rowLimit = rowLimit
        self.instructionsPerCheck = instructionsPerCheck
    }

    /// No time or row limit.
    public static let unlimited = QueryLimits(timeLimit: nil, rowLimit: nil)
}

/// Which limit stopped a statement; carried by `SQLiteError.limitExceeded`.
public enum QueryLimitExceeded: Sendable, Hashable {
    /// The time limit passed.
    case time(Duration)
    /// The statement produced more rows than the limit.
    case rows(Int)

    /// `query stopped after 10 s time limit` or `query stopped after 1,000,000 rows (row limit)`.
    public var message: String {
        switch self {
        case .time(let limit): "query stopped after \(Self.format(limit)) time limit"
        case .rows(let limit): "query stopped after \(Self.groupThousands(limit)) rows (row limit)"
        }
    }

    /// `200 ms`, `10 s`, `1.5 s`: whole seconds as seconds, under a second as milliseconds.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(groupThousands(Int(milliseconds / 1000))) s" }
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        var fraction = String(milliseconds % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(groupThousands(Int(milliseconds / 1000))).\(fraction) s"
    }

    /// `1000000` as `1,000,000`.
    static func groupThousands(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var result = value < 0 ? "-" : ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}

/// The deadline the progress handler checks; passed to SQLite as an unretained pointer
/// while `Database.activeTimeLimit` holds it.
final class TimeLimitState {
    let limit: Duration
    let deadline: ContinuousClock.Instant
    /// Set by the progress handler when it interrupted the statement.
    var fired = false

    init(limit: Duration) {
        self.limit = limit
        deadline = .now + limit
    }
}

extension Statement {
    /// Runs the statement from the start under `limits`, calling `body` once per row.
    ///
    /// - Throws: `SQLiteError` with `limitExceeded` set and a message such as
    ///   `query stopped after 10 s time limit`; or any error of the statement or `body`.
    /// - Precondition: No other limited statement is running on this connection (limited
    ///   runs do not nest: SQLite has one progress handler per connection).
    public func forEachRow(limits: QueryLimits, _ body: (Statement) throws -> Void) throws {
        let installed = limits.timeLimit.map { database.installTimeLimit($0, every: limits.instructionsPerCheck) }
        defer { if installed != nil { database.removeTimeLimit() } }
        var rowCount = 0
        try forEachRow { statement in
            if let rowLimit = limits.rowLimit, rowCount >= rowLimit {
                let exceeded = QueryLimitExceeded.rows(rowLimit)
                throw SQLiteError(
                    resultCode: SQLITE_INTERRUPT, message: exceeded.message, sql: sql,
                    arguments: boundValues, limitExceeded: exceeded)
            }
            rowCount += 1
            try body(statement)
        }
    }

    /// Runs the statement from the start under `limits` and returns its rows.
    public func rows(limits: QueryLimits) throws -> [[SQLValue]] {
        var result: [[SQLValue]] = []
        try forEachRow(limits: limits) { statement in result.append(statement.currentRow()) }
        return result
    }
}

extension Database {
    /// Prepares `sql`, binds `arguments`, and returns its rows under `limits`.
    ///
    /// The one-call path for an analyst's compiled query on a restricted connection.
    public func rows(_ sql: String, arguments: [SQLValue] = [], limits: QueryLimits) throws -> [[SQLValue]] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        return try statement.rows(limits: limits)
    }

    /// Installs the progress handler that interrupts statements once `limit` has passed.
    fileprivate func installTimeLimit(_ limit: Duration, every instructions: Int32) -> TimeLimitState {
        precondition(activeTimeLimit == nil, "limited statements do not nest on one connection")
        let state = TimeLimitState(limit: limit)
        activeTimeLimit = state
        sqlite3_progress_handler(handle, instructions, { context in
            guard let context else { return 0 }
            let state = Unmanaged<TimeLimitState>.fromOpaque(context).takeUnretainedValue()
            guard ContinuousClock.now >= state.deadline else { return 0 }
            state.fired = true
            return 1  // non-zero: SQLite stops the statement with SQLITE_INTERRUPT
        }, Unmanaged.passUnretained(state).toOpaque())
        return state
    }

    /// Removes the progress handler, then releases its state (in that order).
    fileprivate func removeTimeLimit() {
        sqlite3_progress_handler(handle, 0, nil, nil)
        activeTimeLimit = nil
    }
}
